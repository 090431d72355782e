"""The widget's identity token: the personal space vouches for the logged-in person.

The site (``bot/site/``) signs a short-lived token for the person it has just
logged in and hands it to the chat widget; the widget sends it with every
message; the backend verifies it (same secret, ``ALLOCBOT_SITE_TOKEN_SECRET``)
and only then grants a per-conversation access token. The bot never asks such a
person to identify again. The token names the file (``sub``) and nothing else:
no identifier, no birth date.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

import jwt

ALGORITHM = "HS256"
AUDIENCE = "allocbot-widget"
ISSUER = "allocbot-site"
DEFAULT_TTL_SECONDS = 600
MAX_TTL_SECONDS = 3600


class InvalidSiteToken(Exception):
    """Forged, expired or malformed: the caller treats every case the same."""


def issue(job_seeker_id: int, secret: str, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> str:
    now = datetime.now(timezone.utc)
    ttl = min(max(1, ttl_seconds), MAX_TTL_SECONDS)
    claims = {
        "sub": str(job_seeker_id),
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl)).timestamp()),
        "jti": secrets.token_urlsafe(8),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(token: str, secret: str) -> int:
    """The job seeker's id, or InvalidSiteToken (bad signature, expired, wrong audience, too long-lived)."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iat", "aud", "iss"]},
        )
        if claims["exp"] - claims["iat"] > MAX_TTL_SECONDS:
            raise InvalidSiteToken("durée de vie trop longue")
        return int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as error:
        raise InvalidSiteToken(str(error)) from error
