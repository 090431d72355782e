"""Session fixtures: the real servers, started once per test run; the fast loop's guard.

Tests marked ``unit`` (``make unit``) run in process and start no server: using the
session's servers, or starting any process through ``bot.cli.processes.Service``,
fails them with a message that says so.
"""

from __future__ import annotations

import os

import httpx
import pytest
from hypothesis import settings

from bot.cli.processes import Service
from tests.servers import SERVICE_TOKEN, Stack

# In CI, property tests explore the same examples on every run (a red CI is then
# reproducible); on a developer's machine they explore new ones each time.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


SERVER_FIXTURES = frozenset({"stack", "dialogue"})


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if item.get_closest_marker("unit") and SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            raise pytest.UsageError(f"{item.nodeid} est marqué unit mais utilise les serveurs : retirez la marque.")


@pytest.fixture(autouse=True)
def _unit_tests_start_no_server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("unit"):

        def refuse(service: Service) -> None:
            raise RuntimeError(f"Un test unit ne démarre pas de serveur ({service.name}) : retirez la marque unit.")

        monkeypatch.setattr(Service, "start", refuse)


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Stack:
    stack = Stack(tmp_path_factory.mktemp("allocbot"))
    stack.start_backend()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def dialogue(stack: Stack) -> Stack:
    """Backend + action server + Rasa server (slow to start: shared by the whole run)."""
    if not stack.dialogue_started:
        stack.start_dialogue()
    return stack


@pytest.fixture()
def api(stack: Stack) -> httpx.Client:
    with httpx.Client(base_url=stack.backend_url, headers={"X-Service-Token": SERVICE_TOKEN}, timeout=10) as client:
        yield client
