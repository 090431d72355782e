"""Fixtures of the console tests: the real console process beside the real backend, actions and Rasa,
a real headless Chromium (Debian's, driven by Playwright), and real socket.io people."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.console.person import Person
from tests.servers import RASA_TOKEN, SERVICE_TOKEN

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
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def console(dialogue):
    """The stack with the console started (after Rasa, whose API the console calls)."""
    if dialogue.console_port is None:
        dialogue.start_console()
    return dialogue


@pytest.fixture(scope="session")
def password(console) -> str:
    return console.env["ALLOCBOT_COUNSELLOR_PASSWORD"]


# Module-scoped on purpose: while Playwright's sync API lives, the main thread has a
# running asyncio loop, which breaks asyncio.run() in the tests that come later.
@pytest.fixture(scope="module")
def browser() -> Browser:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def counsellor_page(browser, console, password):
    """``counsellor_page("c.martin")``: a new browser context at 1366×768, logged in as that counsellor."""
    contexts = []

    def open_page(login: str = "c.martin") -> Page:
        context = browser.new_context(
            viewport=LAPTOP, locale="fr-FR", timezone_id="Europe/Paris", base_url=console.console_url
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Identifiant").fill(login)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(re.compile(r"/$"))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture()
def person(console):
    people = []

    def connect() -> Person:
        people.append(Person(console.rasa_url))
        return people[-1]

    yield connect
    for someone in people:
        someone.close()


@pytest.fixture()
def rasa(console) -> httpx.Client:
    with httpx.Client(base_url=console.rasa_url, params={"token": RASA_TOKEN}, timeout=30) as client:
        yield client


@pytest.fixture()
def backend(console) -> httpx.Client:
    with httpx.Client(base_url=console.backend_url, headers={"X-Service-Token": SERVICE_TOKEN}, timeout=10) as client:
        yield client


@pytest.fixture()
def ticket_via_api(backend, rasa):
    """A ticket made directly in the backend, its conversation paused in Rasa as the bot's handoff does:
    for the tests of the console's own rules (the whole cycle starts from a real conversation)."""

    def make(
        transcript: list[dict] | None = None,
        priority: str = "normal",
        reason: str = "human_requested",
        conversation_id: str | None = None,
    ) -> dict:
        conversation_id = conversation_id or f"web-{uuid.uuid4().hex}"
        assert (
            rasa.post(f"/conversations/{conversation_id}/tracker/events", json=[{"event": "pause"}]).status_code == 200
        )
        created = backend.post(
            "/v1/handoff-tickets",
            json={
                "conversation_id": conversation_id,
                "channel": "socketio",
                "reason": reason,
                "priority": priority,
                "need": "ask_payment_date",
                "summary": "La personne demande un conseiller.",
                "transcript": transcript or [{"sender": "user", "text": "je veux parler à un conseiller"}],
            },
        )
        assert created.status_code == 201, created.text
        return created.json()

    return make


@contextmanager
def logged_in_client(console, password: str, login: str = "c.martin") -> Iterator[httpx.Client]:
    """An HTTP client with a console session (for the checks a browser would not let us make)."""
    with httpx.Client(base_url=console.console_url, timeout=15, follow_redirects=False) as client:
        form = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        answer = client.post("/login", data={"csrf_token": token, "login": login, "password": password})
        assert answer.status_code == 303, answer.text
        yield client


def wait_until(condition, timeout: float = 30, what: str = "la condition") -> None:
    """Bounded wait for something another process does (never a measure of its speed)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} : toujours faux après {timeout:.0f} s")
        time.sleep(0.2)


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
