"""Whole conversations through the real Rasa server, action server and backend (REST channel).

The amount the bot says must be the backend's figure, for every demo persona.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import httpx
import pytest

from bot.backend.seed import synthetic_identity
from bot.backend.seed.personas import personas
from bot.common.formatting import format_date_fr, format_eur
from tests.servers import SERVICE_TOKEN, TEST_TODAY

PERSONAS = personas(date.fromisoformat(TEST_TODAY))


def say(stack, sender: str, message: str) -> str:
    response = httpx.post(
        stack.rest_webhook, json={"sender": sender, "message": message}, headers=stack.rest_headers, timeout=30
    )
    assert response.status_code == 200, response.text
    return "\n".join(m.get("text", "") for m in response.json())


def backend_allowance(stack, identifier: str, birth_date: date) -> dict:
    """The backend's own figures for this month, asked in a conversation of the test's own."""
    with httpx.Client(base_url=stack.backend_url, headers={"X-Service-Token": SERVICE_TOKEN}, timeout=10) as api:
        conversation_id = f"check-{uuid.uuid4()}"
        grant = api.post(
            "/v1/identification",
            json={
                "conversation_id": conversation_id,
                "channel": "rest",
                "identifier": identifier,
                "birth_date": birth_date.isoformat(),
            },
        ).json()
        return api.get(
            f"/v1/job-seekers/{grant['job_seeker_id']}/allowance",
            headers={"Authorization": f"Bearer {grant['access_token']}", "X-Conversation-Id": conversation_id},
        ).json()


def test_greeting_says_it_is_an_automated_assistant(dialogue):
    reply = say(dialogue, f"t-{uuid.uuid4()}", "bonjour")
    assert "assistant automatique" in reply


def test_are_you_a_robot(dialogue):
    reply = say(dialogue, f"t-{uuid.uuid4()}", "est ce que je parle a un robot ?")
    assert "pas une personne" in reply


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.key for p in PERSONAS])
def test_the_amount_said_is_the_backends(dialogue, persona):
    sender = f"t-{uuid.uuid4()}"
    assert "identifiant" in say(dialogue, sender, "combien vais-je toucher ce mois ci ?")
    assert "date de naissance" in say(dialogue, sender, persona.identifier)
    reply = say(dialogue, sender, persona.birth_date.strftime("%d/%m/%Y"))
    assert f"Merci {persona.first_name}" in reply
    figures = backend_allowance(dialogue, persona.identifier, persona.birth_date)
    payment = figures.get("payment")
    if figures["monthly"]["days_payable"] == 0:
        # Not yet started (waiting period) or already over: no figure, the date instead.
        assert (
            format_date_fr(date.fromisoformat(figures["first_paid_day"])) in reply
            or format_date_fr(date.fromisoformat(figures["end_of_rights"])) in reply
        )
        assert "aucune allocation n'est due" in reply
        return
    if payment and payment["status"] == "paid":
        assert format_eur(Decimal(payment["net"])) in reply
    else:
        assert format_eur(Decimal(figures["monthly"]["net"])) in reply
        if not payment:
            assert format_eur(Decimal(figures["monthly"]["gross"])) in reply
    assert format_eur(Decimal(figures["daily"]["gross"])) in reply


def test_identifier_and_birth_date_are_not_kept_in_the_slots(dialogue):
    sender = f"t-{uuid.uuid4()}"
    say(dialogue, sender, "combien je touche")
    say(dialogue, sender, "1234567A")
    say(dialogue, sender, "12/04/1988")
    tracker = httpx.get(
        f"{dialogue.rasa_url}/conversations/{sender}/tracker",
        params={"token": "test-rasa-token-0123456789"},
        timeout=10,
    ).json()
    assert tracker["slots"]["identified"] is True
    assert tracker["slots"]["identifier"] != "1234567A"
    assert tracker["slots"]["birth_date"] != "12/04/1988"


def test_wrong_birth_date_then_lock_offers_a_human(dialogue):
    sender = f"t-{uuid.uuid4()}"
    say(dialogue, sender, "combien vais-je toucher ?")
    replies = []
    for wrong in ("01/01/1970", "02/01/1970", "03/01/1970"):
        say(dialogue, sender, synthetic_identity(4).identifier)
        replies.append(say(dialogue, sender, wrong))
    assert "ne nous permettent pas" in replies[0]
    assert "bloquée" in replies[-1]
    assert "conseiller" in replies[-1]
    assert "€" not in " ".join(replies)


def test_invalid_identifier_is_explained(dialogue):
    sender = f"t-{uuid.uuid4()}"
    say(dialogue, sender, "combien vais je toucher")
    reply = say(dialogue, sender, "je sais pas")
    assert "7 chiffres" in reply


def test_rasa_http_api_needs_the_token(dialogue):
    response = httpx.get(f"{dialogue.rasa_url}/conversations/someone/tracker", timeout=10)
    assert response.status_code == 401
