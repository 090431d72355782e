"""Indicators from conversations run through the real servers, against hand-counted expectations.

Real backend, action server and Rasa (the session stack): Rasa's event broker writes the
minimised events to the stack's ``events.db``; the test ingests its own conversations (by their
pseudonyms: other tests share the broker) into an analytics store of its own and checks the facts.
Then every row of the broker's table and of the store is searched for an identifier or a text.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from datetime import date

import httpx
import pytest

from bot.analytics.indicators import compute
from bot.analytics.ingest import ingest
from bot.analytics.minimise import conversation_pseudonym
from bot.analytics.settings import pseudonym_key
from bot.analytics.staging import create_staging_engine
from bot.analytics.store import create_analytics_engine, load_conversations
from tests.integration.conversation import Conversation
from tests.privacy.test_stored_conversation import EMAIL, IBAN, PHONE, spellings
from tests.servers import RASA_TOKEN

IDENTIFIER, BIRTH_DATE = "1234567A", date(1988, 4, 12)


def key_of(stack) -> bytes:
    return pseudonym_key(stack.env)


def counsellor_writes(stack, sender: str) -> None:
    """What the console does when a counsellor answers (bot/console/clients.py ``Rasa.reply``)."""
    response = httpx.post(
        f"{stack.rasa_url}/conversations/{sender}/tracker/events",
        params={"token": RASA_TOKEN},
        json=[
            {"event": "bot", "text": "Bonjour, je suis Claire, conseillère.", "metadata": {"counsellor": "c.martin"}}
        ],
        timeout=15,
    )
    assert response.status_code == 200, response.text


def staged_for(stack, pseudonyms: set[str], expected_users: int, timeout: float = 20) -> None:
    """Wait until the broker's writer thread has written the users' messages (it batches off the loop)."""
    deadline = time.monotonic() + timeout
    database = stack.env["ALLOCBOT_EVENTS_DB_URL"].removeprefix("sqlite:///")
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            marks = ",".join("?" * len(pseudonyms))
            rows = connection.execute(
                f'SELECT count(*) FROM events WHERE sender_id IN ({marks}) AND data LIKE \'%"e":"user"%\'',
                tuple(pseudonyms),
            ).fetchone()[0]
        if rows >= expected_users:
            time.sleep(1.0)  # the last bot events of the turn
            return
        time.sleep(0.3)
    raise AssertionError(f"le courtier n'a écrit que {rows} messages sur {expected_users}")


@pytest.fixture(scope="module")
def run(dialogue, tmp_path_factory):
    handover, abandoned, satisfied, repeat = (Conversation(dialogue, f"t-an-{uuid.uuid4()}") for _ in range(4))
    assert "conseiller" in handover.say("je veux parler à un conseiller").lower()
    counsellor_writes(dialogue, handover.sender)
    assert "identifiant" in abandoned.say("combien vais-je toucher ce mois-ci ?")
    answer = satisfied.identify(IDENTIFIER, BIRTH_DATE)
    assert "€" in answer and "Cette réponse vous a-t-elle aidé ?" in answer
    after = satisfied.say("oui")
    assert "Cette réponse vous a-t-elle aidé ?" not in after
    # Same person, another conversation, same need, the same day: a repeat contact.
    again = repeat.identify(IDENTIFIER, BIRTH_DATE)
    assert "€" in again
    # The question, then a real question: answered normally, the satisfaction not asked again.
    payment = repeat.say("quand est-ce que je vais être payé ?")
    assert "aidé" not in payment and payment.strip()
    # Identifiers typed in clear, for the grep below.
    repeat.say(f"mon IBAN est {IBAN}, mon téléphone {PHONE}, mon email {EMAIL}")
    conversations = [handover, abandoned, satisfied, repeat]
    key = key_of(dialogue)
    pseudonyms = {conversation_pseudonym(key, c.sender) for c in conversations}
    staged_for(dialogue, pseudonyms, expected_users=1 + 1 + 4 + 5)
    staged_text = everything_in(dialogue.env["ALLOCBOT_EVENTS_DB_URL"].removeprefix("sqlite:///"))  # before ingestion
    store_url = f"sqlite:///{tmp_path_factory.mktemp('analytics') / 'analytics.db'}"
    store = create_analytics_engine(store_url)
    done = ingest(create_staging_engine(dialogue.env["ALLOCBOT_EVENTS_DB_URL"]), store, idle_seconds=0, only=pseudonyms)
    return {
        "done": done,
        "store": store,
        "store_url": store_url,
        "conversations": conversations,
        "staged": staged_text,
        "pseudonyms": pseudonyms,
    }


def test_the_facts_match_the_hand_count(run):
    assert run["done"].conversations == 4
    today = date.today()
    rows, repeats = load_conversations(run["store"], today.replace(day=1), today)
    assert len(rows) == 4
    handed = [row for row in rows if row.handed_over]
    assert [row.handover_reason for row in handed] == ["human_requested"]
    assert handed[0].counsellor_seconds is not None and handed[0].counsellor_seconds < 60
    abandoned = [row for row in rows if row.abandoned]
    assert [row.needs for row in abandoned] == [("ask_allowance_amount",)]
    assert sum(row.satisfaction == "yes" for row in rows) == 1
    assert sum(row.satisfaction_asked for row in rows) == 2  # once in each identified conversation, not twice
    assert repeats == 1
    identified = [row for row in rows if "ask_allowance_amount" in row.answered]
    assert len(identified) == 2 and all(row.linkable for row in identified)
    first = next(row for row in identified if row.satisfaction == "yes")
    assert "ask_allowance_amount" in first.repeated and not first.contained()
    ind = compute(rows, today.replace(day=1), today, repeats)
    assert (ind.overall.handover.hits, ind.overall.handover.of) == (1, 4)
    assert (ind.overall.abandonment.hits, ind.overall.abandonment.of) == (1, 4)
    assert (ind.overall.satisfaction.hits, ind.overall.satisfaction.of) == (1, 1)
    # Contained: only the repeat conversation (no handover, not abandoned, nothing asked again after it).
    assert (ind.overall.containment.hits, ind.overall.containment.of) == (1, 4)
    assert [e.reason for e in ind.escalations] == ["human_requested"]
    assert {s.label for s in ind.by_channel} == {"API REST"}


def everything_in(database: str) -> str:
    connection = sqlite3.connect(database)
    try:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            " ".join(str(value) for value in row)
            for table in tables
            for row in connection.execute(f"SELECT * FROM {table}")
        )
    finally:
        connection.close()


def test_nothing_identifying_reaches_the_broker_nor_the_analytics_store(run, dialogue):
    staged, stored = run["staged"], everything_in(run["store_url"].removeprefix("sqlite:///"))
    assert all(pseudonym in staged for pseudonym in run["pseudonyms"]) and stored
    # The ingestion deleted the staged events it turned into facts.
    after = everything_in(dialogue.env["ALLOCBOT_EVENTS_DB_URL"].removeprefix("sqlite:///"))
    assert not any(pseudonym in after for pseudonym in run["pseudonyms"])
    forbidden = {
        **spellings(),
        "prénom": ["Camille"],
        "texte": ["toucher", "conseiller", "payé", "IBAN", "oui", "Claire", "c.martin", "€"],
        "conversation": [c.sender for c in run["conversations"]],
        "identifiant de dossier": [f'"value":{n}' for n in range(1, 30)],
    }
    leaks = [
        f"{kind} « {value} » dans {place}"
        for kind, values in forbidden.items()
        for value in values
        for place, text in {"courtier (events.db)": staged, "magasin d'analyse": stored}.items()
        if value in text
    ]
    assert leaks == []
