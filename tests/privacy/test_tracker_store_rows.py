"""The tracker store's rows kept in memory must never change what a conversation reads back.

Two stores on the same database stand for two processes (Rasa and, say, a second
Rasa or the purge): whatever one writes, the other must read, and a store reading
from memory must return exactly what a fresh store reads from the database.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.config import PROJECT_ROOT
from bot.privacy.tracker_store import RedactingTrackerStore

pytestmark = pytest.mark.unit  # the fast loop: make unit

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))
SENDER = "web-5f3a9c2e"


@pytest.fixture()
def url(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("ALLOCBOT_TRACKER_KEY", "clé-de-test-des-conversations")
    monkeypatch.delenv("ALLOCBOT_TRACKER_DB_URL", raising=False)
    return f"sqlite:///{tmp_path / 'conversations.db'}"


def store(url: str) -> RedactingTrackerStore:
    return RedactingTrackerStore(DOMAIN, url=url)


def user(text: str, intent: str, at: float) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=at)


def start(at: float) -> list:
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at + 0.001),
        ActionExecuted("action_listen", timestamp=at + 0.002),
    ]


def dicts(tracker: DialogueStateTracker | None) -> list[dict]:
    return [event.as_dict() for event in tracker.events] if tracker is not None else []


def stored_count(url: str) -> int:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return connection.execute("SELECT count(*) FROM events").fetchone()[0]


async def turn(a_store: RedactingTrackerStore, *events) -> DialogueStateTracker:
    tracker = await a_store.retrieve(SENDER) or DialogueStateTracker(SENDER, DOMAIN.slots)
    for event in events:
        tracker.update(event)
    await a_store.save(tracker)
    return tracker


def test_read_back_from_memory_equals_a_fresh_read_from_the_database(url):
    async def scenario():
        rasa = store(url)
        await turn(rasa, *start(1000.0), user("combien je touche", "ask_allowance_amount", 1001.0))
        await turn(
            rasa,
            SlotSet("identifier", "1234567A", timestamp=1002.0),
            BotUttered("Votre date de naissance ?", timestamp=1002.5),
        )
        await turn(rasa, user("merci", "thank", 1003.0))
        from_memory = await rasa.retrieve(SENDER)
        from_database = await store(url).retrieve(SENDER)
        assert dicts(from_memory) == dicts(from_database)
        assert from_memory.get_slot("identifier") == "1234567A"  # unsealed on the way back
        assert stored_count(url) == 7  # each event once (action_session_start is stored, before the session)

    asyncio.run(scenario())


def test_a_write_by_another_process_is_read_and_not_overwritten(url):
    async def scenario():
        rasa, other = store(url), store(url)
        await turn(rasa, *start(1000.0), user("bonjour", "greet", 1001.0))
        await rasa.retrieve(SENDER)  # now in rasa's memory
        await turn(other, BotUttered("Message du conseiller", timestamp=1002.0))
        seen = await rasa.retrieve(SENDER)
        assert "Message du conseiller" in [getattr(event, "text", None) for event in seen.events]
        await turn(rasa, user("d'accord", "affirm", 1003.0))
        assert dicts(await store(url).retrieve(SENDER)) == dicts(await rasa.retrieve(SENDER))
        assert stored_count(url) == 6

    asyncio.run(scenario())


def test_a_new_session_is_cut_like_the_database_query(url):
    async def scenario():
        rasa = store(url)
        await turn(rasa, *start(1000.0), user("bonjour", "greet", 1001.0))
        await turn(rasa, *start(5000.0), user("re bonjour", "greet", 5001.0))
        from_memory, from_database = await rasa.retrieve(SENDER), await store(url).retrieve(SENDER)
        assert dicts(from_memory) == dicts(from_database)
        assert [getattr(event, "text", None) for event in from_memory.events if isinstance(event, UserUttered)] == [
            "re bonjour"
        ]

    asyncio.run(scenario())


def test_rows_deleted_elsewhere_are_not_served_from_memory(url):
    async def scenario():
        rasa = store(url)
        await turn(rasa, *start(1000.0), user("bonjour", "greet", 1001.0))
        assert await rasa.retrieve(SENDER) is not None
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:  # what the purge does
            connection.execute("DELETE FROM events WHERE sender_id = ?", (SENDER,))
        assert await rasa.retrieve(SENDER) is None

    asyncio.run(scenario())
