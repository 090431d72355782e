"""Settings read from the environment (and a local, never committed, ``.env``).

Every secret and URL comes from the environment so that the same code runs on a
laptop (SQLite, one process each) and in production (PostgreSQL, Redis, real
keys). Importing this module loads ``.env`` once (variables already set win);
``required`` is the one way a process reads a variable it cannot run without.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parents[2]

load_dotenv(PROJECT_ROOT / ".env", override=False)


PLACEHOLDER = "change-me"
"""What .env.example says where a secret goes; scripts/bootstrap replaces it with a random value."""


def required(name: str, default: str | None = None) -> str:
    """The variable's value (``default`` when it is not set); a clear French error when that is empty or the
    placeholder."""
    value = os.environ.get(name, default)
    if not value or value == PLACEHOLDER:
        raise RuntimeError(f"La variable d'environnement {name} doit être définie (voir .env.example).")
    return value


@dataclass(frozen=True)
class Settings:
    """Configuration of every allocbot process; read once at start-up."""

    database_url: str
    backend_url: str
    backend_service_token: str
    access_token_secret: str
    access_token_ttl_seconds: int
    backend_timeout_seconds: float
    today_override: str | None
    site_token_secret: str | None = None


def load_settings() -> Settings:
    return Settings(
        database_url=required("ALLOCBOT_DATABASE_URL", f"sqlite:///{PROJECT_ROOT / 'var' / 'backend.db'}"),
        backend_url=required("ALLOCBOT_BACKEND_URL", "http://127.0.0.1:8000"),
        backend_service_token=required("ALLOCBOT_BACKEND_SERVICE_TOKEN"),
        access_token_secret=required("ALLOCBOT_ACCESS_TOKEN_SECRET"),
        access_token_ttl_seconds=int(required("ALLOCBOT_ACCESS_TOKEN_TTL_SECONDS", "900")),
        backend_timeout_seconds=float(required("ALLOCBOT_BACKEND_TIMEOUT_SECONDS", "3")),
        today_override=os.environ.get("ALLOCBOT_TODAY") or None,
        site_token_secret=os.environ.get("ALLOCBOT_SITE_TOKEN_SECRET") or None,
    )
