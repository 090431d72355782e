"""A counsellor's reply reaches the real widget (rasa-webchat in headless Chromium) whichever replica sends it.

The widget connects through HAProxy (sticky: its socket stays on one replica). The
counsellor's reply is sent once through each replica's API: one of the two is
necessarily not the widget's, and both must show.
"""

from __future__ import annotations

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_a_counsellor_reply_through_either_replica_reaches_the_widget_in_chromium(scaled, browser) -> None:
    from bot.channels.webchat import conversation_of

    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{scaled.topology.ports.site}/")
        page.locator(".rw-response", has_text="assistant automatique").first.wait_for()
        key = page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")
        conversation = conversation_of(key)
        for number, url in enumerate(scaled.replica_urls, start=1):
            text = f"Bonjour, ici Claire Martin, conseillère (réplique {number})."
            scaled.counsellor_reply(url, conversation, text)
            page.locator(".rw-response", has_text=f"(réplique {number})").wait_for()
    finally:
        context.close()
