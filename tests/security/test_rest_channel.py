"""Rasa's REST channel is not an open door (issue 17 §1, §6, §10), through the real Rasa server.

Before: anyone who could reach Rasa's port posted into any conversation by naming
it, borrowed another channel's name and metadata, sent 1 MB of metadata, and a
lone surrogate in ``sender`` broke the tracker store silently.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

import httpx
import pytest

from tests.integration.conversation import Conversation

CAMILLE = ("1234567A", date(1988, 4, 12))


def post(stack, body, headers=None, **kwargs) -> httpx.Response:
    return httpx.post(stack.rest_webhook, json=body, headers=headers, timeout=60, **kwargs)


def tracker(stack, sender: str) -> dict:
    response = httpx.get(
        f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": stack.rasa_token}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    "headers",
    [None, {"Authorization": "Bearer faux"}, {"Authorization": "bonjour"}, {"X-Rasa-Token": "x"}],
    ids=["sans jeton", "mauvais jeton", "pas Bearer", "autre en-tête"],
)
def test_the_rest_channel_needs_its_token(dialogue, headers) -> None:
    sender = f"t-{uuid.uuid4()}"
    response = post(dialogue, {"sender": sender, "message": "bonjour"}, headers)
    assert response.status_code == 401
    assert "jeton" in response.text
    assert [e for e in tracker(dialogue, sender)["events"] if e["event"] == "user"] == []


def test_with_its_token_the_rest_channel_answers(dialogue) -> None:
    response = post(dialogue, {"sender": f"t-{uuid.uuid4()}", "message": "bonjour"}, dialogue.rest_headers)
    assert response.status_code == 200
    assert "assistant automatique" in " ".join(m.get("text", "") for m in response.json())


@pytest.mark.parametrize(
    "sender",
    ["\udc00-1", "a\ud800b", "web-" + "0" * 32, "sms-" + "a" * 40, "wa-" + "b" * 40, "x" * 201, " t-1", "a\u2028b"],
    ids=["surrogate", "surrogate au milieu", "web", "sms", "whatsapp", "trop long", "espace", "séparateur de ligne"],
)
def test_an_invalid_or_borrowed_conversation_id_gets_a_400(dialogue, sender: str) -> None:
    body = json.dumps({"sender": sender, "message": "bonjour"})  # escapes the lone surrogates, as a client would
    response = httpx.post(
        dialogue.rest_webhook,
        content=body,
        headers={"Content-Type": "application/json", **dialogue.rest_headers},
        timeout=60,
    )
    assert response.status_code == 400, response.text
    assert "sender" in response.text


def test_a_lone_surrogate_never_reaches_the_store(dialogue) -> None:
    """The store used to fall back to memory on every turn of such an id (909 ERROR lines for 300 requests)."""
    log = dialogue.workdir / "log" / "rasa.log"
    before = log.read_text(errors="replace").count("ERROR")
    for _ in range(5):
        response = httpx.post(
            dialogue.rest_webhook,
            content='{"sender": "\\udc00-1", "message": "bonjour"}',
            headers={"Content-Type": "application/json", **dialogue.rest_headers},
            timeout=60,
        )
        assert response.status_code == 400
    assert log.read_text(errors="replace").count("ERROR") == before


def test_the_body_cannot_choose_the_channel_nor_its_identity(dialogue) -> None:
    """A REST caller naming ``whatsapp`` with a persona's number is still a REST caller: no identity by phone."""
    sender = f"t-{uuid.uuid4()}"
    response = post(
        dialogue,
        {
            "sender": sender,
            "message": "quand serai-je payé ?",
            "input_channel": "whatsapp",
            "metadata": {"allocbot": {"channel": "whatsapp", "phone": "+33612345601"}, "job_seeker_id": 1},
        },
        dialogue.rest_headers,
    )
    assert response.status_code == 200
    answer = " ".join(m.get("text", "") for m in response.json())
    assert "identifiant" in answer  # asked for the identifier: the number was not believed
    user = [e for e in tracker(dialogue, sender)["events"] if e["event"] == "user"][-1]
    assert user["input_channel"] == "rest"
    assert user["metadata"]["allocbot"] == {"channel": "rest"}
    assert "job_seeker_id" not in user["metadata"]


def test_metadata_and_bodies_are_limited(dialogue) -> None:
    sender = f"t-{uuid.uuid4()}"
    big = post(
        dialogue,
        {"sender": sender, "message": "bonjour", "metadata": {"x": "a" * 1_000_000}},
        dialogue.rest_headers,
    )
    assert big.status_code == 413
    huge = post(dialogue, {"sender": sender, "message": "bonjour", "junk": "a" * 100_000}, dialogue.rest_headers)
    assert huge.status_code == 413
    assert [e for e in tracker(dialogue, sender)["events"] if e["event"] == "user"] == []


def test_one_conversation_cannot_flood_the_rest_channel(dialogue) -> None:
    """Refused messages count too: the limit is checked before anything is read further."""
    sender = f"t-{uuid.uuid4()}"
    limit = int(dialogue.env.get("ALLOCBOT_REST_RATE_LIMIT_MAX_MESSAGES") or 60)
    with httpx.Client(headers=dialogue.rest_headers, timeout=60) as client:
        for _ in range(limit):
            assert client.post(dialogue.rest_webhook, json={"sender": sender, "message": 12}).status_code == 400
        over = client.post(dialogue.rest_webhook, json={"sender": sender, "message": "bonjour"})
        assert over.status_code == 429
        assert "Trop de messages" in over.json()["message"]
        other = client.post(dialogue.rest_webhook, json={"sender": f"t-{uuid.uuid4()}", "message": "bonjour"})
        assert other.status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        '/ask_allowance_amount{"month":"zzz"}',
        '/ask_allowance_amount{"month":"2026-13"}',
        '/ask_allowance_amount{"month":["2026-11"]}',
        '/ask_allowance_amount{"amount":"beaucoup"}',
    ],
)
def test_a_typed_payload_leaves_no_junk_slot(dialogue, payload: str) -> None:
    """Issue 17 §10: the junk month made the next plain question answer « La requête n'est pas valide »."""
    conversation = Conversation(dialogue)
    conversation.identify(*CAMILLE)
    conversation.say(payload)
    slots = conversation.tracker()["slots"]
    assert slots.get("month") in (None, "") and slots.get("amount") in (None, "")
    answer = conversation.say("combien vais-je toucher ?")
    assert "pas valide" not in answer
    assert "€" in answer


def test_a_typed_payload_keeps_a_well_formed_month(dialogue) -> None:
    conversation = Conversation(dialogue)
    conversation.identify(*CAMILLE)
    answer = conversation.say('/ask_allowance_amount{"month":"2026-10"}')
    assert "octobre 2026" in answer
