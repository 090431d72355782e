"""The console's settings, read once from the environment (and ``.env`` through bot.config)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import bot.config  # noqa: F401 - importing it loads .env


def _required(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if not value or value == "change-me":
        raise RuntimeError(f"La variable d'environnement {name} doit être définie (voir .env.example).")
    return value


@dataclass(frozen=True)
class ConsoleSettings:
    backend_url: str
    service_token: str
    rasa_url: str
    rasa_token: str
    secret: str
    counsellor_password: str
    timeout_seconds: float
    secure_cookies: bool


def load() -> ConsoleSettings:
    return ConsoleSettings(
        backend_url=_required("ALLOCBOT_BACKEND_URL", "http://127.0.0.1:8000").rstrip("/"),
        service_token=_required("ALLOCBOT_BACKEND_SERVICE_TOKEN"),
        rasa_url=_required("ALLOCBOT_RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        rasa_token=_required("ALLOCBOT_RASA_TOKEN"),
        secret=_required("ALLOCBOT_CONSOLE_SECRET"),
        counsellor_password=_required("ALLOCBOT_COUNSELLOR_PASSWORD"),
        timeout_seconds=float(os.environ.get("ALLOCBOT_CONSOLE_TIMEOUT_SECONDS", "5")),
        # Behind TLS in production the cookie must be Secure; the demo and the tests run on plain http.
        secure_cookies=os.environ.get("ALLOCBOT_CONSOLE_SECURE_COOKIES", "") == "1",
    )
