"""Rasa's REST channel, made strict about what it accepts.

Rasa's ``RestInput`` answers 500 to a JSON body that is not an object, files a
message without ``sender`` under the shared conversation ``default`` (everyone's
messages in one conversation), and passes any ``message`` type on. This
subclass keeps the same URL (``/webhooks/rest/webhook``) and the same answers,
and refuses with a French 400/413 what it cannot handle: a body that is not a
JSON object, a missing or malformed ``sender``, a ``message`` that is not text,
a message longer than ``ALLOCBOT_REST_MAX_MESSAGE_CHARS`` (5 000 by default).

The REST channel is for integrations, tests and the benchmark; it is not meant
to be exposed to the public (see docs/security.md).
"""

from __future__ import annotations

import os
import re
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.exceptions import SanicException
from sanic.request import Request

MAX_MESSAGE_CHARS = int(os.environ.get("ALLOCBOT_REST_MAX_MESSAGE_CHARS") or 5000)
SENDER = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")


class Refused(SanicException):
    def __init__(self, message: str, status_code: int = 400):
        super().__init__(message, status_code=status_code)


class HardenedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @staticmethod
    def _body(request: Request) -> dict[str, Any]:
        body = request.json
        if not isinstance(body, dict):
            raise Refused('Corps attendu : un objet JSON {"sender": "...", "message": "..."}.')
        return body

    async def _extract_sender(self, request: Request) -> str:
        sender = self._body(request).get("sender")
        if not isinstance(sender, str) or not SENDER.match(sender):
            raise Refused("« sender » est obligatoire : un texte de 1 à 200 caractères, sans caractère de contrôle.")
        return sender

    def _extract_message(self, request: Request) -> str:
        message = self._body(request).get("message")
        if not isinstance(message, str):
            raise Refused("« message » est obligatoire et doit être un texte.")
        if len(message) > MAX_MESSAGE_CHARS:
            raise Refused(f"Message trop long (plus de {MAX_MESSAGE_CHARS} caractères) : raccourcissez-le.", 413)
        return message

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = self._body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None
