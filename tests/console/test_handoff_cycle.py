"""The whole take / reply / close cycle: a real person on the website's socket.io channel, the real
bot handing over, a counsellor in a real headless Chromium, the bot silent meanwhile and back after."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from bot.backend.services.conversation_ids import hashed
from tests.console.conftest import wait_until
from tests.servers import ACCESS_SECRET

TRIGGER = "je veux parler à un conseiller"
REFERENCE = re.compile(r"\bAB-[A-Z0-9]{6}\b")


def identified_person(person):
    """Camille, identified in her conversation, so that her ticket points at her file."""
    camille = person()
    camille.say("combien vais-je toucher ?")
    camille.wait_for("identifiant")
    camille.say("1234567A")
    camille.wait_for("date de naissance")
    camille.say("12/04/1988")
    camille.wait_for("Camille")
    return camille


def bot_lines_after_last_user_message(rasa, conversation_id: str) -> list[dict]:
    events = rasa.get(f"/conversations/{conversation_id}/tracker").json()["events"]
    last_user = max(i for i, event in enumerate(events) if event["event"] == "user")
    return [event for event in events[last_user + 1 :] if event["event"] == "bot"]


def test_counsellor_takes_replies_and_closes_and_the_bot_resumes(console, person, counsellor_page, rasa):
    camille = identified_person(person)

    camille.say(TRIGGER)
    handed_over = " ".join(camille.wait_for("référence"))
    reference = REFERENCE.search(handed_over).group(0)
    # The bot pauses the conversation (opening hours are "always" in the tests) once its turn is stored.
    wait_until(
        lambda: rasa.get(f"/conversations/{camille.session_id}/tracker").json()["paused"],
        what="conversation en pause après la mise en relation",
    )

    # The ticket appears in the queue by itself (the page polls), urgent ones first.
    page = counsellor_page("c.martin")
    link = page.locator(f"#en-attente #lien-{reference}")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name=f"Ticket {reference}")).to_be_visible()
    expect(page.locator(".transcript")).to_contain_text(TRIGGER)
    expect(page.locator(".transcript")).not_to_contain_text("12/04/1988")  # redacted by the bot

    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.locator(".notice")).to_contain_text("Vous avez pris ce ticket")
    expect(page.locator("#ticket-status")).to_contain_text("Claire Martin")
    # The file summary, read as counsellor:c.martin (and logged as such).
    file = page.locator("section[aria-labelledby=titre-dossier]")
    expect(file).to_contain_text("Camille Martin")
    expect(file).to_contain_text("Allocation journalière brute")
    expect(file).to_contain_text(re.compile(r"\d+,\d{2} €"))
    with create_engine(console.env["ALLOCBOT_DATABASE_URL"]).connect() as connection:
        actors = (
            connection.execute(
                text("SELECT actor FROM access_log WHERE conversation_id = :c"),
                {"c": hashed(ACCESS_SECRET, camille.session_id)},
            )
            .scalars()
            .all()
        )
    assert "counsellor:c.martin" in actors

    # The counsellor's reply reaches the person on her own socket.
    reply = "Bonjour Camille, je suis Claire Martin, conseillère. Je regarde votre dossier."
    page.get_by_label(re.compile("Votre réponse à la personne")).fill(reply)
    page.get_by_role("button", name="Envoyer").click()
    assert camille.wait_for("je regarde votre dossier")[-1] == reply
    expect(page.locator("#messages .from-counsellor")).to_contain_text(reply)

    # What the person writes reaches the counsellor, and the bot says nothing.
    question = "Merci ! Pourquoi mon paiement de novembre est-il plus bas ?"
    camille.say(question)
    expect(page.locator("#messages .from-user").last).to_contain_text(question)
    # Shown in the console means Rasa has stored the turn: any bot answer would have been sent before.
    assert bot_lines_after_last_user_message(rasa, camille.session_id) == []
    assert camille.drain() == []

    # Closing gives the conversation back to the bot, which says so and answers again.
    page.get_by_role("button", name="Clore et rendre la main au bot").click()
    expect(page.locator(".notice")).to_contain_text("Ticket clos")
    expect(page.locator(f"#clos #lien-{reference}")).to_be_visible()
    assert "Je reprends" in camille.wait_for("Je reprends")[-1]
    assert rasa.get(f"/conversations/{camille.session_id}/tracker").json()["paused"] is False
    camille.say("quand vais-je être payée ?")
    assert camille.next_text()  # the bot answers again
