"""The conversation runner, shared by the scenario tests: one per run, on the session's real servers."""

from __future__ import annotations

from datetime import date

import pytest

from bot.cli.conversations.runner import ConversationRunner
from tests.servers import SERVICE_TOKEN, TEST_TODAY


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "conversations: whole multi-turn conversations through the real servers (issue 20's measure)"
    )


@pytest.fixture(scope="session")
def conversation_runner(dialogue) -> ConversationRunner:
    runner = ConversationRunner(
        dialogue.rasa_url,
        dialogue.backend_url,
        SERVICE_TOKEN,
        date.fromisoformat(TEST_TODAY),
        dialogue.env["ALLOCBOT_REST_TOKEN"],
    )
    yield runner
    runner.close()
