"""SMS through Twilio: a Rasa input channel that checks every webhook and sends asynchronously.

Rasa's built-in ``twilio`` channel neither checks ``X-Twilio-Signature`` nor
sends without blocking (it calls the synchronous Twilio SDK). This one:

* refuses a webhook whose signature (the twilio package's ``RequestValidator``
  over the public URL and the form fields) does not match: 403, nothing reaches
  the bot. Behind a proxy the URL Twilio signed is not the one the server sees,
  hence ``ALLOCBOT_PUBLIC_BASE_URL``;
* acknowledges at once with an empty TwiML answer and replies through Twilio's
  REST API with ``httpx.AsyncClient`` (timeouts, bounded retries), one message
  at a time per number, in order;
* cuts long answers at sentence boundaries into messages of at most
  ``ALLOCBOT_SMS_MAX_SEGMENTS`` segments (GSM-7 or UCS-2, see ``segments``);
* turns buttons into numbered choices and reads "1", "2"... back;
* honours STOP / START / AIDE and rate-limits each number (see ``phone``).

Unconfigured (no Twilio credentials), the channel still loads so that Rasa
starts, and its webhook answers 503 with what is missing.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

import phonenumbers
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.phone import MAX_BODY_BYTES, PhoneChannel, env, post_with_retries
from bot.channels.segments import numbered_choices, split_sms
from bot.channels.state import Contact

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def e164(raw: str) -> str | None:
    """A valid number in E.164 (``+33612345601``), or None."""
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class TwilioSmsInput(PhoneChannel):
    """Webhook ``/webhooks/twilio_sms/webhook`` (to set as the number's "A message comes in" URL)."""

    label = "sms"
    sender_prefix = "sms"

    @classmethod
    def name(cls) -> str:
        return "twilio_sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioSmsInput:
        credentials = credentials or {}
        return cls(
            account_sid=credentials.get("account_sid") or env("ALLOCBOT_TWILIO_ACCOUNT_SID"),
            auth_token=credentials.get("auth_token") or env("ALLOCBOT_TWILIO_AUTH_TOKEN"),
            from_number=credentials.get("from_number") or env("ALLOCBOT_TWILIO_FROM"),
            api_url=credentials.get("api_url") or env("ALLOCBOT_TWILIO_API_URL", "https://api.twilio.com"),
            public_base_url=credentials.get("public_base_url") or env("ALLOCBOT_PUBLIC_BASE_URL"),
            max_segments=int(credentials.get("max_segments") or env("ALLOCBOT_SMS_MAX_SEGMENTS", "3")),
            **cls.common_settings(credentials),
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        api_url: str,
        public_base_url: str,
        max_segments: int,
        **common: Any,
    ):
        super().__init__(**common)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = from_number
        self.api_url = api_url.rstrip("/")
        self.public_base_url = public_base_url.rstrip("/")
        self.max_segments = max(1, max_segments)
        self.validator = RequestValidator(auth_token) if auth_token else None

    def missing_settings(self) -> list[str]:
        missing = super().missing_settings()
        for name, value in (
            ("ALLOCBOT_TWILIO_ACCOUNT_SID", self.account_sid),
            ("ALLOCBOT_TWILIO_AUTH_TOKEN", self.auth_token),
            ("ALLOCBOT_TWILIO_FROM", self.from_number),
        ):
            if not value or value == "change-me":
                missing.append(name)
        return missing

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: the public one when the server sits behind a proxy."""
        if not self.public_base_url:
            return request.url
        return self.public_base_url + request.path + (f"?{request.query_string}" if request.query_string else "")

    # -- sending ------------------------------------------------------------------------------
    async def send_text(self, phone: str, contact: Contact, text: str) -> None:
        url = f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        for body in split_sms(text, self.max_segments):
            sent = await post_with_retries(
                self.client,
                url,
                f"SMS to {contact.sender_id}",
                data={"To": phone, "From": self.from_number, "Body": body},
                auth=(self.account_sid, self.auth_token),
            )
            if sent is None or sent.status_code >= 400:
                return  # the rest would arrive without its beginning

    async def send_buttons(self, phone: str, contact: Contact, text: str, buttons: list[dict]) -> None:
        body, payloads = numbered_choices(text, buttons)
        await self.db("set_choices", contact.sender_id, payloads)
        await self.send_text(phone, contact, body)

    # -- receiving ----------------------------------------------------------------------------
    def blueprint(self, on_new_message) -> Blueprint:
        webhook = Blueprint("allocbot_twilio_sms", __name__)

        @webhook.listener("after_server_start")
        async def sweep_inbox(_app, _loop) -> None:  # messages acknowledged by a replica that died
            self.start_sweeping(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if not self.missing_settings() else "not configured"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return error(413, "Requête trop volumineuse.")
            if (request.content_type or "").split(";")[0].strip() != "application/x-www-form-urlencoded":
                return error(415, "Twilio envoie des formulaires application/x-www-form-urlencoded.")
            if self.missing_settings():
                return error(503, self.not_configured_message())
            signature = request.headers.get("X-Twilio-Signature", "")
            try:
                pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, errors="strict")
            except (UnicodeDecodeError, ValueError):
                return error(400, "Corps de requête illisible (UTF-8 attendu).")
            params = dict(pairs)
            if len(params) != len(pairs):
                return error(400, "Champ en double dans la requête.")
            if not signature or not self.validator.validate(self.signed_url(request), params, signature):
                logger.warning("twilio_sms: webhook with a wrong X-Twilio-Signature refused")
                return error(403, "Signature Twilio invalide.")
            message_id = params.get("MessageSid") or params.get("SmsSid")
            phone = e164(params.get("From", ""))
            if not message_id or phone is None or "Body" not in params:
                return error(400, "Champs MessageSid, From (numéro valide) et Body attendus.")
            is_text = bool(params["Body"].strip()) or params.get("NumMedia", "0") in ("", "0")
            await self.accept(on_new_message, phone, params["Body"], message_id, is_text=is_text)
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return webhook


__all__ = ["TwilioSmsInput", "e164"]
