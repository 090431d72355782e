"""Short-lived access tokens: one person, one conversation, a few minutes.

The action server gets one after a successful identification and sends it back
with every personal request; the backend checks the person *and* the
conversation, so a token copied into another conversation is useless.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt

from bot.backend.errors import unauthorized

ALGORITHM = "HS256"
AUDIENCE = "allocbot-backend"


@dataclass(frozen=True)
class AccessGrant:
    job_seeker_id: int
    conversation_id: str
    channel: str
    expires_at: datetime


def issue(
    secret: str, ttl_seconds: int, job_seeker_id: int, conversation_id: str, channel: str
) -> tuple[str, AccessGrant]:
    now = datetime.now(timezone.utc)
    expires_at = now + timedelta(seconds=ttl_seconds)
    claims = {
        "sub": str(job_seeker_id),
        "cnv": conversation_id,
        "chn": channel,
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": secrets.token_urlsafe(8),
    }
    token = jwt.encode(claims, secret, algorithm=ALGORITHM)
    return token, AccessGrant(job_seeker_id, conversation_id, channel, expires_at)


def verify(secret: str, token: str) -> AccessGrant:
    """Decode and check a token; any problem is the same 401 (no hint for a forger)."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], audience=AUDIENCE, options={"require": ["sub", "cnv", "exp", "aud"]}
        )
        return AccessGrant(
            job_seeker_id=int(claims["sub"]),
            conversation_id=str(claims["cnv"]),
            channel=str(claims.get("chn", "")),
            expires_at=datetime.fromtimestamp(claims["exp"], timezone.utc),
        )
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise unauthorized("Votre identification a expiré ou n'est pas valable.") from error
