"""The whole allocbot system on free ports with a throw-away database.

Used by the tests and by the measurement commands, so that both start the
same real processes the same way as the run command.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bot.cli.processes import (
    Service,
    action_service,
    backend_service,
    console_service,
    rasa_service,
    site_service,
    start_all,
)
from bot.common.config import PROJECT_ROOT
from bot.privacy.files import PRIVATE_UMASK


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_env(database_url: str, backend_url: str, rasa_token: str, today: str | None = None) -> dict[str, str]:
    env = {
        "ALLOCBOT_DATABASE_URL": database_url,
        "ALLOCBOT_BACKEND_URL": backend_url,
        "ALLOCBOT_BACKEND_SERVICE_TOKEN": secrets.token_urlsafe(24),
        "ALLOCBOT_ACCESS_TOKEN_SECRET": secrets.token_urlsafe(24),
        "ALLOCBOT_RASA_TOKEN": rasa_token,
        "ALLOCBOT_BACKEND_TIMEOUT_SECONDS": "5",
        "ALLOCBOT_SITE_TOKEN_SECRET": secrets.token_urlsafe(24),
        "ALLOCBOT_CONSOLE_SECRET": secrets.token_urlsafe(24),
        "ALLOCBOT_COUNSELLOR_PASSWORD": secrets.token_urlsafe(12),
        "ALLOCBOT_ACTIONS_TOKEN": secrets.token_urlsafe(24),
        "ALLOCBOT_TRACKER_KEY": secrets.token_urlsafe(32),
        "ALLOCBOT_REST_TOKEN": secrets.token_urlsafe(24),
    }
    if today:
        env["ALLOCBOT_TODAY"] = today
    return env


def seed(env: dict[str, str], *extra: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "bot.backend.seed", *extra],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        umask=PRIVATE_UMASK,  # the database it creates: 0600
    )


class Stack:
    """The backend alone, or backend + actions + Rasa."""

    def __init__(
        self, workdir: Path, rasa_token: str | None = None, today: str | None = None, env: dict[str, str] | None = None
    ):
        self.workdir = workdir
        self.backend_port = free_port()
        self.backend_url = f"http://127.0.0.1:{self.backend_port}"
        self.rasa_token = rasa_token or secrets.token_urlsafe(24)
        self.env = stack_env(f"sqlite:///{workdir / 'backend.db'}", self.backend_url, self.rasa_token, today)
        self.env.update(env or {})
        self.services: list[Service] = []
        self.actions_port: int | None = None
        self.rasa_port = free_port()  # known early: the console and the site are told where Rasa is
        self.env["ALLOCBOT_RASA_URL"] = f"http://127.0.0.1:{self.rasa_port}"
        # The analytics (issue 19): the event broker's staging table and the store of conversation facts.
        self.env.setdefault("ALLOCBOT_EVENTS_DB_URL", f"sqlite:///{workdir / 'events.db'}")
        self.env.setdefault("ALLOCBOT_ANALYTICS_DB_URL", f"sqlite:///{workdir / 'analytics.db'}")
        self.console_port: int | None = None
        self.site_port: int | None = None
        self.dialogue_started = False

    def start_backend(self, population: int = 0, on_start: Callable[[Service], None] | None = None) -> float:
        """Seed the database, then start the backend; returns the seconds the backend took to answer."""
        seed(self.env, *(["--population", str(population)] if population else []))
        service = backend_service(self.backend_port, self.env, self.workdir / "log")
        seconds = start_all([service], on_start=on_start)
        self.services.append(service)
        return seconds

    def start_dialogue(self, on_start: Callable[[Service], None] | None = None, timeout_seconds: float = 240) -> float:
        """Start the action server and Rasa; returns the seconds until both answered."""
        self.actions_port = free_port()
        endpoints = self.workdir / "endpoints.yml"
        # Same shape as the repository's endpoints.yml: token-protected actions, redacting tracker store.
        self.env.setdefault("ALLOCBOT_TRACKER_DB_URL", f"sqlite:///{self.workdir / 'conversations.db'}")
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.actions_port}/webhook"\n'
            "  token: ${ALLOCBOT_ACTIONS_TOKEN}\n"
            "tracker_store:\n  type: bot.privacy.tracker_store.RedactingTrackerStore\n"
            "event_broker:\n  type: bot.analytics.broker.MinimisingEventBroker\n"
        )
        services = [
            action_service(self.actions_port, self.env, self.workdir / "log"),
            rasa_service(self.rasa_port, self.rasa_token, self.env, self.workdir / "log", endpoints=str(endpoints)),
        ]
        seconds = start_all(services, timeout_seconds, on_start=on_start)
        self.services += services
        self.dialogue_started = True
        return seconds

    def start_console(self) -> None:
        """The counsellor console (needs the backend; replies go through Rasa's API)."""
        self.console_port = free_port()
        service = console_service(self.console_port, self.env, self.workdir / "log")
        start_all([service])
        self.services.append(service)

    def start_site(self) -> None:
        """The demo personal space that embeds the chat widget."""
        self.site_port = free_port()
        service = site_service(self.site_port, self.env, self.workdir / "log")
        start_all([service])
        self.services.append(service)

    @property
    def console_url(self) -> str:
        return f"http://127.0.0.1:{self.console_port}"

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.site_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rest_webhook(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    @property
    def rest_headers(self) -> dict[str, str]:
        """What a caller of Rasa's REST channel must send (bot/channels/rest.py)."""
        return {"Authorization": f"Bearer {self.env['ALLOCBOT_REST_TOKEN']}"}

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()
