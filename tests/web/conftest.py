"""Fixtures of the website channel's tests: the personal space on the session stack, and a real headless Chromium."""

from __future__ import annotations

import pytest

from tests.fakes.addresses import new_address
from tests.servers import Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def site(dialogue: Stack) -> Stack:
    """Backend + actions + Rasa + the personal space (the browser talks to Rasa directly)."""
    if dialogue.site_port is None:
        dialogue.start_site()
    return dialogue


# Module-scoped on purpose: while Playwright's sync API lives, the main thread has a
# running asyncio loop, which breaks asyncio.run() in the tests that come later.
@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (Playwright never downloads a browser here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    """A fresh browser context (own cookies and storage) per test, in French, Paris time."""
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1100, "height": 900},
        # A person of their own behind the (trusted) proxy: per-origin limits count each test apart.
        extra_http_headers={"X-Forwarded-For": new_address()},
    )
    context.set_default_timeout(60_000)  # Rasa on a busy 2-core machine can be slow; never a timed assertion
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(f"{message.type}: {message.text}"))
    yield page
    context.close()
