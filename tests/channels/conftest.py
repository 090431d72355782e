"""SMS and WhatsApp tests: the real Rasa + action server + backend, and the local Twilio/Meta stand-in.

A ``Phone`` plays a person's handset: it posts webhooks signed exactly as Twilio
or Meta sign them to the real Rasa server, and reads what the connector sent back
through the fake SaaS server. A turn is over when Rasa's tracker (read through its
HTTP API) shows the message answered: the connector sends before Rasa saves.
"""

from __future__ import annotations

import random
import time
from urllib.parse import urlencode

import httpx
import pytest

from bot.channels.phone import PhoneIdentity
from tests.fakes.saas import FakeSaaS
from tests.fakes.signing import (
    body_of,
    meta_message,
    meta_signature,
    twilio_signature,
    twilio_sms_form,
)
from tests.servers import (
    CHANNEL_SECRET,
    PUBLIC_BASE_URL,
    RASA_TOKEN,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_FROM,
    WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID,
)

SMS_PATH = "/webhooks/twilio_sms/webhook"
WHATSAPP_PATH = "/webhooks/whatsapp/webhook"
IDENTITY = PhoneIdentity(CHANNEL_SECRET)


@pytest.fixture(scope="session")
def saas(stack) -> FakeSaaS:
    server = FakeSaaS(
        stack.saas_port, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def channels(dialogue, saas):
    """The stack with Rasa running and the fake Twilio/Meta listening."""
    return dialogue


def unknown_number() -> str:
    """A valid French mobile number linked to no file (the personas use +336123456NN)."""
    return f"+3378{random.randint(0, 9_999_999):07d}"


class Phone:
    """A person's handset on one channel."""

    channel = ""
    prefix = ""

    def __init__(self, stack, saas: FakeSaaS, number: str):
        self.stack, self.saas, self.number = stack, saas, number
        self.sender_id = IDENTITY.sender_id(self.prefix, number)

    def tracker(self) -> dict:
        response = httpx.get(
            f"{self.stack.rasa_url}/conversations/{self.sender_id}/tracker", params={"token": RASA_TOKEN}, timeout=30
        )
        assert response.status_code == 200, response.text
        return response.json()

    def user_events(self) -> list[dict]:
        return [e for e in self.tracker().get("events") or [] if e.get("event") == "user"]

    def wait_turn(self, message_id: str, timeout: float = 120) -> None:
        """Until Rasa has answered the message ``message_id`` (its tracker is saved after the replies left)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            tracker = self.tracker()
            events = tracker.get("events") or []
            ids = [i for i, e in enumerate(events) if e.get("event") == "user" and e.get("message_id") == message_id]
            last = events[-1] if events else {}
            listening = last.get("event") == "action" and last.get("name") == "action_listen"
            # a handover pauses the bot: it stops answering without listening again
            if ids and ((listening and ids[-1] < len(events) - 1) or tracker.get("paused")):
                return
            time.sleep(0.3)
        raise AssertionError(f"Rasa did not answer message {message_id} in {timeout:.0f} s")

    def push_bot_message(self, text: str, buttons: list[dict] | None = None) -> httpx.Response:
        """What the counsellor console does: a bot event sent to the person through the latest channel."""
        event = {"event": "bot", "text": text, "data": {"buttons": buttons} if buttons else {}}
        return httpx.post(
            f"{self.stack.rasa_url}/conversations/{self.sender_id}/tracker/events",
            params={"token": RASA_TOKEN, "output_channel": "latest", "execute_side_effects": "true"},
            json=[event],
            timeout=60,
        )


class SmsPhone(Phone):
    channel = "sms"
    prefix = "sms"

    def post(
        self, body: str, *, token: str = TWILIO_AUTH_TOKEN, tamper: str | None = None, **extra: str
    ) -> tuple[httpx.Response, str]:
        """POST one incoming SMS as Twilio does; returns the response and the MessageSid."""
        form = twilio_sms_form(self.number, TWILIO_FROM, body, TWILIO_ACCOUNT_SID, **extra)
        signature = twilio_signature(PUBLIC_BASE_URL + SMS_PATH, form, token)
        if tamper is not None:
            form["Body"] = tamper  # signed for one body, sent with another
        response = httpx.post(
            self.stack.rasa_url + SMS_PATH,
            content=urlencode(form),
            timeout=30,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature,
                "User-Agent": "TwilioProxy/1.1",
            },
        )
        return response, form["MessageSid"]

    def send(self, body: str) -> str:
        response, sid = self.post(body)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/xml")
        return sid

    def received(self) -> list[str]:
        return self.saas.sms_to(self.number)

    def ask(self, body: str) -> str:
        """Send a message that reaches the bot; return every SMS sent back for it, joined."""
        before = len(self.received())
        self.wait_turn(self.send(body))
        return "\n".join(self.received()[before:])

    def expect(self, count: int) -> list[str]:
        """Wait for ``count`` SMS in all to this number."""
        return self.saas.wait_for(lambda: (lambda got: got if len(got) >= count else None)(self.received()))


class WhatsAppPhone(Phone):
    channel = "whatsapp"
    prefix = "wa"

    @property
    def wa_id(self) -> str:
        return self.number.lstrip("+")

    def post_payload(
        self, payload: dict, *, secret: str = WHATSAPP_APP_SECRET, signature: str | None = None
    ) -> httpx.Response:
        body = body_of(payload)
        return httpx.post(
            self.stack.rasa_url + WHATSAPP_PATH,
            content=body,
            timeout=30,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": signature if signature is not None else meta_signature(body, secret),
                "User-Agent": "facebookexternalua",
            },
        )

    def send(self, text: str | None = None, **kwargs) -> str:
        payload = meta_message(WHATSAPP_PHONE_NUMBER_ID, self.wa_id, text, **kwargs)
        response = self.post_payload(payload)
        assert response.status_code == 200, response.text
        return payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]

    def received(self) -> list[dict]:
        return self.saas.whatsapp_to(self.wa_id)

    def ask(self, text: str | None = None, **kwargs) -> list[dict]:
        before = len(self.received())
        self.wait_turn(self.send(text, **kwargs))
        return self.received()[before:]

    def expect(self, count: int) -> list[dict]:
        return self.saas.wait_for(lambda: (lambda got: got if len(got) >= count else None)(self.received()))


def texts(messages: list[dict]) -> str:
    """The words of WhatsApp messages, whatever their type."""
    parts = []
    for message in messages:
        if message["type"] == "text":
            parts.append(message["text"]["body"])
        elif message["type"] == "interactive":
            parts.append(message["interactive"]["body"]["text"])
        elif message["type"] == "template":
            parts.append(f"[template {message['template']['name']}]")
    return "\n".join(parts)
