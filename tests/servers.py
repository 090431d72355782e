"""The real allocbot servers for tests: ``bot.cli.stack`` with fixed test secrets and a pinned day."""

from __future__ import annotations

from pathlib import Path

from bot.cli import stack as _stack
from bot.cli.stack import free_port, seed

TEST_TODAY = "2026-11-22"
SERVICE_TOKEN = "test-service-token-0123456789"
ACCESS_SECRET = "test-access-secret-0123456789"
RASA_TOKEN = "test-rasa-token-0123456789"
SYNTHETIC_PEOPLE = 20


def service_env(database_url: str, backend_url: str) -> dict[str, str]:
    env = _stack.stack_env(database_url, backend_url, RASA_TOKEN, TEST_TODAY)
    env.update({"ALLOCBOT_BACKEND_SERVICE_TOKEN": SERVICE_TOKEN, "ALLOCBOT_ACCESS_TOKEN_SECRET": ACCESS_SECRET})
    return env


class Stack(_stack.Stack):
    """The stack with the test secrets; a few synthetic people are seeded for tests that lock an identity."""

    def __init__(self, workdir: Path):
        super().__init__(workdir, rasa_token=RASA_TOKEN, today=TEST_TODAY,
                         env={"ALLOCBOT_BACKEND_SERVICE_TOKEN": SERVICE_TOKEN,
                              "ALLOCBOT_ACCESS_TOKEN_SECRET": ACCESS_SECRET})

    def start_backend(self, population: int = SYNTHETIC_PEOPLE) -> None:
        super().start_backend(population)


__all__ = ["ACCESS_SECRET", "RASA_TOKEN", "SERVICE_TOKEN", "TEST_TODAY", "Stack", "free_port", "seed", "service_env"]
