"""The real widget in headless Chromium against the real servers: whose replies reach whom, what a message
may contain (issue 17 §1, §11).

A raw socket.io client plays the intruder who read the victim's conversation id
somewhere (a log, a ticket) and asks for that session. Counsellor replies are
pushed as the console pushes them (Rasa's API, ``output_channel=latest``).
"""

from __future__ import annotations

import time

import httpx

from bot.channels.webchat import conversation_of
from tests.fakes.webchat import Widget
from tests.servers import RASA_TOKEN
from tests.web.test_browser import ask, bot_texts, wait_for_greeting


def conversation_in(page) -> str:
    key = page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")
    return conversation_of(key)


def push(site, conversation_id: str, text: str) -> None:
    response = httpx.post(
        f"{site.rasa_url}/conversations/{conversation_id}/tracker/events",
        params={"token": RASA_TOKEN, "output_channel": "latest", "execute_side_effects": "true"},
        json=[{"event": "bot", "text": text, "metadata": {"counsellor": "c.martin"}}],
        timeout=60,
    )
    assert response.status_code == 200, response.text


def test_a_second_socket_naming_the_conversation_id_receives_nothing(site, page) -> None:
    page.goto(site.site_url + "/")
    wait_for_greeting(page)
    victim = conversation_in(page)
    intruder = Widget(site.rasa_url).open(victim)  # before: it joined the victim's room
    assert intruder.session_id != victim
    ask(page, "vous êtes un robot ?", expect="pas une personne")
    push(site, victim, "Bonjour, je suis Claire, conseillère. Je regarde votre dossier.")
    page.locator(".rw-response", has_text="je suis Claire").wait_for()
    time.sleep(2)  # what the intruder could have received has had time to arrive
    assert intruder.received.empty()
    intruder.close()


def test_a_reply_keeps_only_web_links_and_loads_no_remote_image(site, page) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site.site_url + "/")
    wait_for_greeting(page)
    push(
        site,
        conversation_in(page),
        "Voir [ici](javascript:alert(document.cookie)) ou [là](data:text/html,<b>x</b>) "
        "![logo](https://images.example.org/pixel.png) <img src=https://images.example.org/tag.png> "
        "<javascript:alert(1)> "
        "et [le site](https://www.francetravail.fr/accueil).",
    )
    bubble = page.locator(".rw-response", has_text="le site").last
    bubble.wait_for()
    hrefs = bubble.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(href.startswith("https://") for href in hrefs), hrefs  # before: javascript: links
    assert "https://www.francetravail.fr/accueil" in hrefs
    assert bubble.locator("img").count() == 0  # before: remote images (the CSP blocked them)
    assert not any("images.example.org" in url for url in requested)
    assert "ici" in bot_texts(page)[-1]
