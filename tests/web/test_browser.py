"""End to end in a real headless Chromium: the personal space, the real rasa-webchat 1.0.1, Rasa, actions, backend.

Nothing is mocked: the page is served by the site, the widget connects to
Rasa's socket.io channel (bot.channels.webchat), the actions ask the backend.
Waits are on what the page shows (Playwright's auto-waiting), never on time.
"""

from __future__ import annotations

import json
import re
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import jwt

from bot import site_token
from bot.channels.webchat import conversation_of
from bot.cli.processes import site_service, start_all
from bot.cli.stack import free_port
from bot.formatting import format_eur
from tests.integration.conversation import BackendView, unclear_messages
from tests.servers import RASA_TOKEN

CAMILLE = ("1234567A", date(1988, 4, 12))
JULIEN = ("2345678B", date(1995, 9, 3))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def flat(text: str) -> str:
    """What a person reads: no-break spaces are spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


def bot_texts(page) -> list[str]:
    return [flat(text) for text in page.locator(".rw-response").all_inner_texts()]


def ask(page, message: str, expect: str | None = None) -> list[str]:
    """Type a message as a person does; wait until a new bot message contains ``expect`` (or any new
    bot message); return the bot's messages since this one."""
    before = page.locator(".rw-response").count()
    page.locator(".rw-new-message").fill(message)
    page.keyboard.press("Enter")
    page.locator(".rw-client", has_text=message).last.wait_for()
    page.wait_for_function(
        """([count, expected]) => Array.from(document.querySelectorAll(".rw-response"))
        .slice(count).some(e => e.innerText.replace(/[\\u00a0\\u202f]/g, " ").includes(expected))""",
        arg=[before, expect or ""],
        polling=250,
    )
    return bot_texts(page)[before:]


def log_in(page, site, identifier: str, birth_date: date) -> None:
    page.goto(f"{site.site_url}/connexion")
    page.get_by_label("Identifiant France Travail").fill(identifier)
    page.get_by_label("Date de naissance").fill(birth_date.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Me connecter").click()
    page.wait_for_url("**/espace")


def wait_for_greeting(page) -> None:
    page.locator(".rw-response", has_text="assistant automatique").first.wait_for()


def expected_amount(backend: BackendView, month: str | None = None) -> str:
    figures = backend.get("allowance", **({"month": month} if month else {}))
    payment = figures.get("payment")
    if payment and payment["status"] == "paid":
        return format_eur(Decimal(payment["net"]))
    return format_eur(Decimal(figures["monthly"]["net"]))


def csp_violations(page) -> list[str]:
    # rasa-webchat's stylesheet @imports Google Fonts: blocked on purpose (no third party), the only expected one.
    return [
        message
        for message in page.console_messages
        if "Content Security Policy" in message and "fonts.googleapis.com" not in message
    ]


def test_logged_in_person_reads_their_amount_without_identification_and_after_a_reload(site, page):
    backend = BackendView(site, *CAMILLE)
    log_in(page, site, *CAMILLE)
    assert page.get_by_role("heading", name="Mon espace").is_visible()
    assert "Bonjour Camille" in page.inner_text("main")
    wait_for_greeting(page)
    assert page.get_by_placeholder("Écrivez votre message…").is_visible()

    answer = " ".join(ask(page, "combien je vais toucher ce mois-ci ?", expect=expected_amount(backend)))
    assert "identifiant" not in answer and "date de naissance" not in answer
    announced = flat(page.inner_text("#chat-annonces"))
    assert expected_amount(backend) in announced  # screen readers hear it too

    page.reload()
    page.locator(".rw-client", has_text="combien je vais toucher ce mois-ci ?").wait_for()
    assert any(expected_amount(backend) in text for text in bot_texts(page))

    answer = " ".join(ask(page, "et le mois prochain ?", expect=expected_amount(backend, "2026-12")))
    assert "identifiant" not in answer
    assert csp_violations(page) == []
    backend.close()


def test_without_a_site_token_the_bot_identifies_the_person_as_on_other_channels(site, page):
    page.goto(site.site_url + "/")
    wait_for_greeting(page)
    assert page.locator("#chat").get_attribute("data-site-token") is None
    backend = BackendView(site, *CAMILLE)
    ask(page, "combien je vais toucher ce mois-ci ?", expect="identifiant")
    ask(page, CAMILLE[0], expect="date de naissance")
    answer = " ".join(ask(page, CAMILLE[1].strftime("%d/%m/%Y"), expect=expected_amount(backend)))
    assert "Merci Camille" in answer
    backend.close()


def test_buttons_render_and_work_with_the_keyboard_at_phone_width(site, browser):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(site.site_url + "/")
    wait_for_greeting(page)
    ask(page, unclear_messages(site, 1)[0], expect="comprendre")  # a clarifying question with choices
    choices = page.get_by_role("button", name="Autre chose")
    choices.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    assert page.get_by_role("textbox", name="Votre message").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "widget-375px.png"), full_page=True)

    first = page.locator(".rw-reply").first
    title = first.inner_text()
    before = page.locator(".rw-response").count()
    first.focus()
    page.keyboard.press("Enter")
    page.locator(".rw-client", has_text=title).wait_for()
    page.locator(".rw-response").nth(before).wait_for()
    assert bot_texts(page)[before:]  # the bot answered the chosen need
    context.close()


# Hands the widget another site token than the page's, the way a tampered page would: the page's
# own settings are kept, only customData.site_token changes when the page starts rasa-webchat.
# (Rewriting the HTML with request interception would make Chromium treat the page as public and
# block its requests to Rasa on 127.0.0.1, by Local Network Access rules.)
TAMPER_TOKEN = """token => {
    let webchat;
    Object.defineProperty(window, "WebChat", {configurable: true, get: () => webchat, set: value => {
        const start = value.default;
        webchat = {default: (props, element) => start({...props, customData: {...props.customData, site_token: token}},
                                                      element)};
    }});
}"""


def test_a_forged_or_expired_site_token_is_refused(site, browser):
    backend = BackendView(site, *CAMILLE)
    now = int(time.time())
    forged = site_token.issue(backend.person, "not-the-site-secret-" + "x" * 32)
    expired = jwt.encode(
        {
            "sub": str(backend.person),
            "aud": site_token.AUDIENCE,
            "iss": site_token.ISSUER,
            "iat": now - 1200,
            "exp": now - 600,
        },
        site.env["ALLOCBOT_SITE_TOKEN_SECRET"],
        algorithm=site_token.ALGORITHM,
    )
    for bad in [forged, expired]:
        context = browser.new_context(locale="fr-FR")
        context.set_default_timeout(60_000)
        context.add_init_script(f"({TAMPER_TOKEN})({json.dumps(bad)})")
        page = context.new_page()
        log_in(page, site, *CAMILLE)
        wait_for_greeting(page)
        answer = " ".join(ask(page, "combien je vais toucher ce mois-ci ?", expect="identifiant"))
        assert "€" not in answer and "Camille" not in answer
        key = page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")
        session_id = conversation_of(key)  # the browser holds the key; Rasa knows the id derived from it
        tracker = httpx.get(
            f"{site.rasa_url}/conversations/{session_id}/tracker", params={"token": RASA_TOKEN}, timeout=30
        ).json()
        said = [event for event in tracker["events"] if event["event"] == "user"][-1]
        # A token did reach the bot with the message (stored masked as "[JETON]" by bot.privacy.tracker_store)
        assert said["metadata"]["allocbot"]["site_token"] in (bad, "[JETON]")
        context.close()
    backend.close()


def test_logout_forgets_the_conversation_before_the_next_person(site, page):
    log_in(page, site, *CAMILLE)
    wait_for_greeting(page)
    ask(page, "combien je vais toucher ce mois-ci ?", expect="€")
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("heading", name="Vous êtes déconnecté(e)").wait_for()
    log_in(page, site, *JULIEN)
    wait_for_greeting(page)
    assert "Bonjour Julien" in page.inner_text("main")
    assert page.locator(".rw-client").count() == 0
    assert not any("Camille" in text for text in bot_texts(page))


def test_when_rasa_cannot_be_reached_the_page_says_so_in_french(site, page, tmp_path):
    # A second site whose widget points at a port where nothing listens.
    env = {**site.env, "ALLOCBOT_RASA_URL": f"http://127.0.0.1:{free_port()}"}
    lonely = site_service(free_port(), env, tmp_path / "log")
    start_all([lonely])
    try:
        page.goto(lonely.health_url.removesuffix("/health") + "/")
        page.get_by_role("status").filter(has_text="momentanément indisponible").wait_for()
        assert "3949" in page.inner_text("#chat-etat")
    finally:
        lonely.stop()
