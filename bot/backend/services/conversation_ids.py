"""Conversation ids as the backend keeps them: a keyed hash, and for tickets the id sealed.

A conversation id comes from a channel and may itself be personal (a REST
integration may name a conversation after an email or a phone number; an SMS id
is a hash of a number). The backend never stores one in clear:

* ``hashed`` (``c:`` + 40 hex digits of an HMAC-SHA256) is what ``access_log`` and
  ``handoff_tickets`` hold and search by: the same conversation always gives the
  same hash, so erasure and "one open ticket per conversation" still work;
* ``seal`` / ``unseal`` (Fernet) keep the id of a ticket readable by the backend
  only, because the counsellor console must reach that conversation in Rasa to
  read and answer it. A database dump without the key names no conversation.

Both keys are derived from ``ALLOCBOT_ACCESS_TOKEN_SECRET`` (as the
identification locks' keys are), each for its own purpose.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

PREFIX = "c:"


def _derive(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), f"allocbot-conversation-{purpose}".encode(), hashlib.sha256).digest()


def hashed(secret: str, conversation_id: str) -> str:
    digest = hmac.new(_derive(secret, "hash"), conversation_id.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return PREFIX + digest.hexdigest()[:40]


def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret, "seal")))


def seal(secret: str, conversation_id: str) -> str:
    return _fernet(secret).encrypt(conversation_id.encode("utf-8", "surrogatepass")).decode()


def unseal(secret: str, sealed: str | None) -> str | None:
    """The conversation id, or None when it cannot be read (another key, an old row)."""
    if not sealed:
        return None
    try:
        return _fernet(secret).decrypt(sealed.encode()).decode("utf-8", "surrogatepass")
    except (InvalidToken, ValueError):
        return None
