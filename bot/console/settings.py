"""The console's settings, read once from the environment (and ``.env``, loaded by ``bot.common.config``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from bot.common.config import required


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
        backend_url=required("ALLOCBOT_BACKEND_URL", "http://127.0.0.1:8000").rstrip("/"),
        service_token=required("ALLOCBOT_BACKEND_SERVICE_TOKEN"),
        rasa_url=required("ALLOCBOT_RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        rasa_token=required("ALLOCBOT_RASA_TOKEN"),
        secret=required("ALLOCBOT_CONSOLE_SECRET"),
        counsellor_password=required("ALLOCBOT_COUNSELLOR_PASSWORD"),
        timeout_seconds=float(os.environ.get("ALLOCBOT_CONSOLE_TIMEOUT_SECONDS", "5")),
        # Behind TLS in production the cookie must be Secure; the demo and the tests run on plain http.
        secure_cookies=os.environ.get("ALLOCBOT_CONSOLE_SECURE_COOKIES", "") == "1",
    )
