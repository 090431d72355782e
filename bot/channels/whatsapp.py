"""WhatsApp through Meta's WhatsApp Business Cloud API: a Rasa input channel.

* ``GET /webhooks/whatsapp/webhook``: Meta's verification handshake
  (``hub.mode=subscribe``, ``hub.verify_token`` equal to ours -> ``hub.challenge``).
* ``POST``: refused (403) unless ``X-Hub-Signature-256`` is the HMAC-SHA256 of
  the raw body with the app secret; then acknowledged at once (Meta retries slow
  webhooks) and handled in the background, in order per number. Delivery
  statuses (sent, delivered, read, failed) are acknowledged and ignored.
* Replies: text; up to 3 buttons as interactive reply buttons, 4 to 10 as an
  interactive list, more as numbered choices; a tapped button comes back as its
  payload.
* The 24-hour customer-service window: a free-form message may only be sent
  within 24 hours of the person's last message. Outside it (a counsellor
  answering late), the approved template ``ALLOCBOT_WHATSAPP_TEMPLATE_NAME`` is
  sent instead, inviting the person to write back; without a template the
  message is refused and the reason logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.phone import MAX_BODY_BYTES, PhoneChannel, env, in_service_window, post_with_retries
from bot.channels.segments import numbered_choices
from bot.channels.sms import e164, error
from bot.channels.state import Contact

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # Cloud API limit of a text body
INTERACTIVE_BODY_LIMIT = 1024
BUTTON_TITLE_LIMIT = 20
ROW_TITLE_LIMIT = 24
LIST_ROWS_LIMIT = 10


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _chunks(text: str, limit: int) -> list[str]:
    """A text longer than the API allows, cut between paragraphs or sentences (rare: answers are short)."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(". ", 0, limit) + 1, text.rfind(" ", 0, limit))
        cut = cut if cut > 0 else limit
        chunks.append(text[:cut].strip())
        text = text[cut:].strip()
    return chunks + ([text] if text else [])


class WhatsAppInput(PhoneChannel):
    """Webhook ``/webhooks/whatsapp/webhook`` (the callback URL of the Meta app)."""

    label = "whatsapp"
    sender_prefix = "wa"

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WhatsAppInput:
        credentials = credentials or {}
        return cls(
            access_token=credentials.get("access_token") or env("ALLOCBOT_WHATSAPP_ACCESS_TOKEN"),
            app_secret=credentials.get("app_secret") or env("ALLOCBOT_WHATSAPP_APP_SECRET"),
            verify_token=credentials.get("verify_token") or env("ALLOCBOT_WHATSAPP_VERIFY_TOKEN"),
            phone_number_id=credentials.get("phone_number_id") or env("ALLOCBOT_WHATSAPP_PHONE_NUMBER_ID"),
            api_url=credentials.get("api_url") or env("ALLOCBOT_WHATSAPP_API_URL", "https://graph.facebook.com/v19.0"),
            template_name=credentials.get("template_name") or env("ALLOCBOT_WHATSAPP_TEMPLATE_NAME"),
            template_language=credentials.get("template_language") or env("ALLOCBOT_WHATSAPP_TEMPLATE_LANGUAGE", "fr"),
            **cls.common_settings(credentials),
        )

    def __init__(
        self,
        access_token: str,
        app_secret: str,
        verify_token: str,
        phone_number_id: str,
        api_url: str,
        template_name: str,
        template_language: str,
        **common: Any,
    ):
        super().__init__(**common)
        self.access_token = access_token
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.phone_number_id = phone_number_id
        self.api_url = api_url.rstrip("/")
        self.template_name = template_name
        self.template_language = template_language

    def missing_settings(self) -> list[str]:
        missing = super().missing_settings()
        for name, value in (
            ("ALLOCBOT_WHATSAPP_ACCESS_TOKEN", self.access_token),
            ("ALLOCBOT_WHATSAPP_APP_SECRET", self.app_secret),
            ("ALLOCBOT_WHATSAPP_VERIFY_TOKEN", self.verify_token),
            ("ALLOCBOT_WHATSAPP_PHONE_NUMBER_ID", self.phone_number_id),
        ):
            if not value or value == "change-me":
                missing.append(name)
        return missing

    def signature_ok(self, body: bytes, header: str) -> bool:
        expected = "sha256=" + hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, header.strip())

    # -- sending ------------------------------------------------------------------------------
    async def _post(self, contact: Contact, payload: dict) -> bool:
        sent = await post_with_retries(
            self.client,
            f"{self.api_url}/{self.phone_number_id}/messages",
            f"WhatsApp to {contact.sender_id}",
            json={"messaging_product": "whatsapp", "recipient_type": "individual", **payload},
            headers={"Authorization": f"Bearer {self.access_token}"},
        )
        return sent is not None and sent.status_code < 400

    async def _window_open(self, phone: str, contact: Contact) -> bool:
        """Within 24 h of the last inbound message; otherwise send the template (or nothing) and say so."""
        if in_service_window(contact.last_inbound_at):
            return True
        if self.template_name:
            logger.info(
                "%s: outside the 24-hour window: template %s sent instead of a free-form message",
                contact.sender_id,
                self.template_name,
            )
            await self._post(
                contact,
                {
                    "to": phone.lstrip("+"),
                    "type": "template",
                    "template": {"name": self.template_name, "language": {"code": self.template_language}},
                },
            )
        else:
            logger.warning(
                "%s: outside the 24-hour window and no template configured "
                "(ALLOCBOT_WHATSAPP_TEMPLATE_NAME): message not sent",
                contact.sender_id,
            )
        return False

    async def send_text(self, phone: str, contact: Contact, text: str) -> None:
        if not await self._window_open(phone, contact):
            return
        for body in _chunks(text.strip(), TEXT_LIMIT):
            if not await self._post(
                contact, {"to": phone.lstrip("+"), "type": "text", "text": {"preview_url": False, "body": body}}
            ):
                return

    async def send_buttons(self, phone: str, contact: Contact, text: str, buttons: list[dict]) -> None:
        if len(buttons) > LIST_ROWS_LIMIT:
            body, payloads = numbered_choices(text, buttons)
            await self.db("set_choices", contact.sender_id, payloads)
            await self.send_text(phone, contact, body)
            return
        if not await self._window_open(phone, contact):
            return
        text = (text or "").strip() or "Choisissez :"
        if len(text) > INTERACTIVE_BODY_LIMIT:
            for body in _chunks(text, TEXT_LIMIT):
                await self._post(
                    contact, {"to": phone.lstrip("+"), "type": "text", "text": {"preview_url": False, "body": body}}
                )
            text = "Choisissez :"
        choices = [
            (str(b.get("payload") or b.get("title"))[:256], str(b.get("title") or b.get("payload"))) for b in buttons
        ]
        if len(choices) <= 3:
            interactive = {
                "type": "button",
                "body": {"text": text},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": ident, "title": _clip(title, BUTTON_TITLE_LIMIT)}}
                        for ident, title in choices
                    ]
                },
            }
        else:
            interactive = {
                "type": "list",
                "body": {"text": text},
                "action": {
                    "button": "Choisir",
                    "sections": [
                        {
                            "title": "Réponses possibles",
                            "rows": [{"id": ident, "title": _clip(title, ROW_TITLE_LIMIT)} for ident, title in choices],
                        }
                    ],
                },
            }
        await self._post(contact, {"to": phone.lstrip("+"), "type": "interactive", "interactive": interactive})

    # -- receiving ----------------------------------------------------------------------------
    def blueprint(self, on_new_message) -> Blueprint:
        webhook = Blueprint("allocbot_whatsapp", __name__)

        @webhook.listener("after_server_start")
        async def sweep_inbox(_app, _loop) -> None:  # messages acknowledged by a replica that died
            self.start_sweeping(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if not self.missing_settings() else "not configured"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if self.missing_settings():
                return error(503, self.not_configured_message())
            mode = request.args.get("hub.mode")
            token = request.args.get("hub.verify_token") or ""
            challenge = request.args.get("hub.challenge")
            if mode == "subscribe" and challenge and hmac.compare_digest(token, self.verify_token):
                return response.text(challenge)
            return error(403, "Jeton de vérification invalide.")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:
                return error(413, "Requête trop volumineuse.")
            if (request.content_type or "").split(";")[0].strip() != "application/json":
                return error(415, "Meta envoie du JSON (application/json).")
            if self.missing_settings():
                return error(503, self.not_configured_message())
            if not self.signature_ok(body, request.headers.get("X-Hub-Signature-256", "")):
                logger.warning("whatsapp: webhook with a wrong X-Hub-Signature-256 refused")
                return error(403, "Signature X-Hub-Signature-256 invalide.")
            try:
                event = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return error(400, "Corps de requête illisible (JSON UTF-8 attendu).")
            messages = self.inbound_messages(event)
            if messages is None:
                return error(400, "Notification WhatsApp attendue (object whatsapp_business_account, entry[]).")
            for phone, text, message_id, is_text in messages:
                await self.accept(on_new_message, phone, text, message_id, is_text=is_text)
            return response.json({"status": "received"})

        return webhook

    def inbound_messages(self, event: Any) -> list[tuple[str, str | None, str, bool]] | None:
        """(number, text or payload, message id, is_text) of each message; None when the shape is wrong."""
        if (
            not isinstance(event, dict)
            or event.get("object") != "whatsapp_business_account"
            or not isinstance(event.get("entry"), list)
        ):
            return None
        found = []
        for entry in event["entry"]:
            for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
                value = change.get("value") if isinstance(change, dict) else None
                if not isinstance(value, dict) or change.get("field") != "messages":
                    continue
                number_id = (value.get("metadata") or {}).get("phone_number_id")
                if number_id and number_id != self.phone_number_id:
                    logger.warning("whatsapp: notification for another phone number id: ignored")
                    continue
                if value.get("statuses"):
                    logger.debug("whatsapp: %d status callback(s) ignored", len(value["statuses"]))
                for message in value.get("messages") or []:
                    parsed = self._parse(message)
                    if parsed:
                        found.append(parsed)
        return found

    @staticmethod
    def _parse(message: Any) -> tuple[str, str | None, str, bool] | None:
        if not isinstance(message, dict) or not isinstance(message.get("id"), str):
            return None
        phone = e164("+" + str(message.get("from", "")).lstrip("+"))
        if phone is None:
            logger.warning("whatsapp: message %s without a valid sender number: ignored", message["id"])
            return None
        kind = message.get("type")
        if kind == "text":
            return phone, str((message.get("text") or {}).get("body") or ""), message["id"], True
        if kind == "interactive":
            interactive = message.get("interactive") or {}
            reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
            return phone, str(reply.get("id") or reply.get("title") or ""), message["id"], True
        if kind == "button":  # quick reply of a template
            button = message.get("button") or {}
            return phone, str(button.get("payload") or button.get("text") or ""), message["id"], True
        return phone, None, message["id"], False
