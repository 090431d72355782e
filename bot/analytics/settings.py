"""Where the analytics data lives and the key of its pseudonyms (environment first, embedded default)."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping

from bot.common.config import PROJECT_ROOT, required

VAR = PROJECT_ROOT / "var"
EVENTS_DEFAULT_URL = f"sqlite:///{VAR / 'events.db'}"
ANALYTICS_DEFAULT_URL = f"sqlite:///{VAR / 'analytics.db'}"
CONFIG_PATH = PROJECT_ROOT / "config" / "analytics.yml"


def events_db_url() -> str:
    """The event broker's staging table: ``ALLOCBOT_EVENTS_DB_URL``, else ``var/events.db``."""
    return os.environ.get("ALLOCBOT_EVENTS_DB_URL") or EVENTS_DEFAULT_URL


def analytics_db_url() -> str:
    """The analytics store: ``ALLOCBOT_ANALYTICS_DB_URL``, else ``var/analytics.db``."""
    return os.environ.get("ALLOCBOT_ANALYTICS_DB_URL") or ANALYTICS_DEFAULT_URL


def pseudonym_key(env: Mapping[str, str] | None = None) -> bytes:
    """The key of the analytics pseudonyms: ``ALLOCBOT_ANALYTICS_KEY``, else derived from the tracker key (one
    secret less to hold). Domain-separated: a pseudonym tells nothing of the tracker store's seals or hashes.
    ``env``: another process's environment (the tests, the demo), else this one's."""
    if env is None:
        secret = os.environ.get("ALLOCBOT_ANALYTICS_KEY") or required("ALLOCBOT_TRACKER_KEY")
    else:
        secret = env.get("ALLOCBOT_ANALYTICS_KEY") or os.environ.get("ALLOCBOT_ANALYTICS_KEY") or ""
        secret = secret or env["ALLOCBOT_TRACKER_KEY"]
    return hashlib.sha256(b"allocbot-analytics:" + secret.encode()).digest()


def keyed(key: bytes, kind: str, value: str) -> str:
    """A keyed pseudonym (HMAC-SHA256, 128 bits): the same value gives the same pseudonym, and without the key
    nobody can tell which value it stands for, nor test a guess."""
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]
