"""Rasa's REST channel, closed: for our own tools and server-to-server integrations only.

Rasa's ``RestInput`` lets anyone who can reach the port talk in any conversation
by naming its id, take another channel's name (``input_channel``), pass any
metadata, and send as much as it likes. This subclass keeps the same URL
(``/webhooks/rest/webhook``) and the same answers, and:

- **needs its own token**: ``Authorization: Bearer $ALLOCBOT_REST_TOKEN`` (401
  without it; 503 when the variable is not set, so an unconfigured REST channel
  is closed, not open). Behind the reverse proxy (``deploy/``) the path is not
  published at all;
- refuses an invalid conversation id with a French 400: not a JSON object, a
  missing ``sender``, control characters, a lone surrogate (Rasa's store failed
  on it at every turn), an id shaped like another channel's (``web-``, ``sms-``,
  ``wa-``…: those conversations are reached only through their own connectors);
- always files the message under the ``rest`` channel, whatever the body says,
  and keeps from ``metadata`` only a site token (at most 4 kB of metadata, 413 beyond);
- limits bodies (64 kB), messages (``ALLOCBOT_REST_MAX_MESSAGE_CHARS``, 5 000)
  and the pace per conversation (``ALLOCBOT_REST_RATE_LIMIT_MAX_MESSAGES`` per
  ``…_PER_SECONDS``, 60 per 60 s by default: 429 beyond);
- cleans typed payloads like every channel (``bot.channels.inbound``).
"""

from __future__ import annotations

import hmac
import json
import os
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.exceptions import SanicException
from sanic.request import Request

from bot.channels.inbound import clean_payload, valid_sender_id
from bot.channels.rate_limit import SenderRateLimiter
from bot.channels.shared_limits import shared_limiter

MAX_MESSAGE_CHARS = int(os.environ.get("ALLOCBOT_REST_MAX_MESSAGE_CHARS") or 5000)
MAX_BODY_BYTES = 64 * 1024
MAX_METADATA_BYTES = 4096
MAX_SITE_TOKEN_CHARS = 2048
CHANNEL = "rest"


class Refused(SanicException):
    def __init__(self, message: str, status_code: int = 400):
        super().__init__(message, status_code=status_code)


def rest_token() -> str:
    token = os.environ.get("ALLOCBOT_REST_TOKEN") or ""
    return "" if token == "change-me" else token


def build_metadata(metadata: Any) -> dict:
    """What Rasa receives: the channel and, if well-formed, the site token; nothing else of the body."""
    allocbot: dict[str, str] = {"channel": CHANNEL}
    if isinstance(metadata, dict) and isinstance(metadata.get("allocbot"), dict):
        token = metadata["allocbot"].get("site_token")
        if isinstance(token, str) and 0 < len(token) <= MAX_SITE_TOKEN_CHARS:
            allocbot["site_token"] = token
    return {"allocbot": allocbot}


class HardenedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def __init__(self) -> None:
        super().__init__()
        self.token = rest_token()
        self.rate_limiter = shared_limiter(
            "rest", SenderRateLimiter.from_env("ALLOCBOT_REST_RATE_LIMIT", default_max_messages=60)
        )

    def _authenticate(self, request: Request) -> None:
        if not self.token:
            raise Refused("Le canal REST est fermé : ALLOCBOT_REST_TOKEN n'est pas défini.", 503)
        given = request.headers.get("authorization", "")
        if not given.startswith("Bearer ") or not hmac.compare_digest(
            given.removeprefix("Bearer ").strip().encode(), self.token.encode()
        ):
            raise Refused("Appel refusé : le canal REST demande son jeton (Authorization: Bearer …).", 401)

    def _body(self, request: Request) -> dict[str, Any]:
        if len(request.body or b"") > MAX_BODY_BYTES:
            raise Refused(
                f"Requête trop volumineuse (plus de {MAX_BODY_BYTES // 1024} ko) : raccourcissez le message.", 413
            )
        body = request.json
        if not isinstance(body, dict):
            raise Refused('Corps attendu : un objet JSON {"sender": "...", "message": "..."}.')
        return body

    async def _extract_sender(self, request: Request) -> str:
        # Called first by RestInput's route: the place to refuse before anything is read or run.
        self._authenticate(request)
        sender = self._body(request).get("sender")
        if not valid_sender_id(sender):
            raise Refused(
                "« sender » n'est pas valide : un texte de 1 à 200 caractères imprimables, "
                "qui ne commence pas par web-, sms-, wa- ou tel-."
            )
        allowed, _ = await self.rate_limiter.check(sender)
        if not allowed:
            raise Refused("Trop de messages pour cette conversation en peu de temps : réessayez dans une minute.", 429)
        return sender

    def _extract_message(self, request: Request) -> str:
        message = self._body(request).get("message")
        if not isinstance(message, str):
            raise Refused("« message » est obligatoire et doit être un texte.")
        if len(message) > MAX_MESSAGE_CHARS:
            raise Refused(f"Message trop long (plus de {MAX_MESSAGE_CHARS} caractères) : raccourcissez-le.", 413)
        try:
            message.encode("utf-8")
        except UnicodeEncodeError:
            raise Refused("« message » contient des caractères invalides.") from None
        return clean_payload(message)

    def _extract_input_channel(self, request: Request) -> str:
        return CHANNEL  # never the body's "input_channel": that would borrow the trust of another channel

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = self._body(request).get("metadata")
        if metadata is not None and len(json.dumps(metadata)) > MAX_METADATA_BYTES:
            raise Refused(f"« metadata » dépasse {MAX_METADATA_BYTES} octets.", 413)
        return build_metadata(metadata)
