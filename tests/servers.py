"""Start the real allocbot servers for tests, on free ports, with a throw-away database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from bot.cli.processes import Service, action_service, backend_service, rasa_service, start_all
from bot.config import PROJECT_ROOT

TEST_TODAY = "2026-11-22"
SERVICE_TOKEN = "test-service-token-0123456789"
ACCESS_SECRET = "test-access-secret-0123456789"
RASA_TOKEN = "test-rasa-token-0123456789"
SYNTHETIC_PEOPLE = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_env(database_url: str, backend_url: str) -> dict[str, str]:
    return {
        "ALLOCBOT_DATABASE_URL": database_url,
        "ALLOCBOT_BACKEND_URL": backend_url,
        "ALLOCBOT_BACKEND_SERVICE_TOKEN": SERVICE_TOKEN,
        "ALLOCBOT_ACCESS_TOKEN_SECRET": ACCESS_SECRET,
        "ALLOCBOT_RASA_TOKEN": RASA_TOKEN,
        "ALLOCBOT_TODAY": TEST_TODAY,
        "ALLOCBOT_BACKEND_TIMEOUT_SECONDS": "5",
    }


def seed(env: dict[str, str], *extra: str) -> None:
    subprocess.run([sys.executable, "-m", "bot.backend.seed", *extra], cwd=PROJECT_ROOT,
                   env={**os.environ, **env}, check=True, capture_output=True)


class Stack:
    """The backend alone, or backend + actions + Rasa, started for one test session."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.backend_port = free_port()
        self.backend_url = f"http://127.0.0.1:{self.backend_port}"
        self.env = service_env(f"sqlite:///{workdir / 'backend.db'}", self.backend_url)
        self.services: list[Service] = []
        self.actions_port: int | None = None
        self.rasa_port: int | None = None

    def start_backend(self) -> None:
        # A few synthetic people too: tests that lock an identity use them, never a persona.
        seed(self.env, "--population", str(SYNTHETIC_PEOPLE))
        service = backend_service(self.backend_port, self.env, self.workdir / "log")
        start_all([service])
        self.services.append(service)

    def start_dialogue(self) -> None:
        self.actions_port = free_port()
        self.rasa_port = free_port()
        endpoints = self.workdir / "endpoints.yml"
        endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{self.actions_port}/webhook"\n')
        services = [action_service(self.actions_port, self.env, self.workdir / "log"),
                    rasa_service(self.rasa_port, RASA_TOKEN, self.env, self.workdir / "log",
                                 endpoints=str(endpoints))]
        start_all(services)
        self.services += services

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()
