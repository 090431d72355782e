"""Session fixtures: the real servers, started once per test run."""

from __future__ import annotations

import os

import httpx
import pytest
from hypothesis import settings

from tests.servers import SERVICE_TOKEN, Stack

# In CI, property tests explore the same examples on every run (a red CI is then
# reproducible); on a developer's machine they explore new ones each time.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


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
