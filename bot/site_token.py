"""Kept so that code not yet moved keeps working: the widget's identity token lives in ``bot.common.site_token``."""

from bot.common.site_token import (
    ALGORITHM,
    AUDIENCE,
    DEFAULT_TTL_SECONDS,
    ISSUER,
    MAX_TTL_SECONDS,
    InvalidSiteToken,
    issue,
    verify,
)

__all__ = [
    "ALGORITHM",
    "AUDIENCE",
    "DEFAULT_TTL_SECONDS",
    "ISSUER",
    "MAX_TTL_SECONDS",
    "InvalidSiteToken",
    "issue",
    "verify",
]
