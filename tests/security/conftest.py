"""Fixtures of the security tests: the personal space on the session stack, when a test needs it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def site(dialogue):
    if dialogue.site_port is None:
        dialogue.start_site()
    return dialogue
