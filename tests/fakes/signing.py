"""Inbound webhooks signed exactly as Twilio and Meta sign them, with their real payload shapes."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

from twilio.request_validator import RequestValidator


def twilio_signature(url: str, params: dict[str, str], auth_token: str) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by the sorted fields (Twilio's own code)."""
    return RequestValidator(auth_token).compute_signature(url, params)


def twilio_sms_form(from_number: str, to_number: str, body: str, account_sid: str, **extra: str) -> dict[str, str]:
    """The fields Twilio posts for an incoming SMS (see Twilio's "messaging webhook request")."""
    sid = "SM" + secrets.token_hex(16)
    form = {
        "ToCountry": "FR",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "FR",
        "To": to_number,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_number,
        "ApiVersion": "2010-04-01",
    }
    form.update(extra)
    return form


def meta_signature(body: bytes, app_secret: str) -> str:
    """X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body with the app secret."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def _envelope(number_id: str, value: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "33644630000", "phone_number_id": number_id},
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def meta_message(
    number_id: str,
    wa_id: str,
    text: str | None = None,
    *,
    reply_id: str | None = None,
    reply_title: str = "",
    kind: str | None = None,
    name: str = "Camille",
) -> dict:
    """An incoming WhatsApp message notification: text, interactive button reply, or another type (image...)."""
    message = {"from": wa_id, "id": "wamid." + secrets.token_urlsafe(24), "timestamp": str(int(time.time()))}
    if reply_id is not None:
        message.update(
            type="interactive",
            interactive={"type": "button_reply", "button_reply": {"id": reply_id, "title": reply_title or reply_id}},
        )
    elif kind and kind != "text":
        message.update(type=kind, **{kind: {"mime_type": "image/jpeg", "sha256": "0" * 64, "id": "1234567890"}})
    else:
        message.update(type="text", text={"body": text or ""})
    return _envelope(number_id, {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [message]})


def meta_status(number_id: str, wa_id: str, status: str = "delivered") -> dict:
    """A delivery status notification (sent / delivered / read / failed)."""
    return _envelope(
        number_id,
        {
            "statuses": [
                {
                    "id": "wamid." + secrets.token_urlsafe(24),
                    "status": status,
                    "timestamp": str(int(time.time())),
                    "recipient_id": wa_id,
                    "conversation": {"id": secrets.token_hex(16), "origin": {"type": "service"}},
                    "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
                }
            ]
        },
    )


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def twilio_voice_form(
    call_sid: str, from_number: str, to_number: str, account_sid: str, status: str = "in-progress", **extra: str
) -> dict[str, str]:
    """The fields Twilio posts to a voice webhook (see Twilio's "TwiML voice: your response", request parameters)."""
    form = {
        "AccountSid": account_sid,
        "ApiVersion": "2010-04-01",
        "CallSid": call_sid,
        "CallStatus": status,
        "Called": to_number,
        "CalledCountry": "FR",
        "Caller": from_number,
        "CallerCountry": "FR",
        "Direction": "inbound",
        "From": from_number,
        "FromCountry": "FR",
        "To": to_number,
        "ToCountry": "FR",
    }
    form.update(extra)
    return form
