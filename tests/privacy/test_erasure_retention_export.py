"""Erasure asked in the conversation, retention purge, and the access-log export, on the real servers."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone

import httpx
import pytest

from bot.backend.services.conversation_ids import hashed
from bot.config import PROJECT_ROOT
from tests.integration.conversation import Conversation
from tests.servers import ACCESS_SECRET, SERVICE_TOKEN

CAMILLE = ("1234567A", date(1988, 4, 12))


def stored_rows(stack, sender: str) -> int:
    database = stack.env["ALLOCBOT_TRACKER_DB_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def command(module: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def open_ticket(stack, conversation_id: str, person: int | None) -> str:
    response = httpx.post(
        f"{stack.backend_url}/v1/handoff-tickets",
        headers={"X-Service-Token": SERVICE_TOKEN},
        json={
            "conversation_id": conversation_id,
            "channel": "rest",
            "reason": "asked_human",
            "summary": "Demande de mise en relation",
            "job_seeker_id": person,
            "transcript": [{"sender": "user", "text": "[IDENTIFIANT]", "at": "2026-11-22T10:00"}],
        },
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()["reference"]


def test_erasure_after_confirmation_removes_the_conversation_and_its_tickets(dialogue):
    conversation = Conversation(dialogue)
    conversation.identify(*CAMILLE)
    person = int(conversation.tracker()["slots"]["job_seeker_id"])
    reference = open_ticket(dialogue, conversation.sender, person)
    assert stored_rows(dialogue, conversation.sender) > 0

    question = conversation.messages("je veux que vous effaciez mes données")
    assert "efface" in question[0]["text"] and "réversible" in question[0]["text"]
    assert [button["payload"] for button in question[0]["buttons"]] == ["/affirm", "/deny"]
    done = conversation.say("oui")
    assert "effacée" in done

    assert stored_rows(dialogue, conversation.sender) == 0
    ticket = httpx.get(
        f"{dialogue.backend_url}/v1/handoff-tickets/{reference}", headers={"X-Service-Token": SERVICE_TOKEN}, timeout=10
    )
    assert ticket.status_code == 404
    export = command("bot.privacy.access_log_export", "--identifier", CAMILLE[0], "--format", "json", env=dialogue.env)
    assert export.returncode == 0, export.stderr
    exported = json.loads(export.stdout)["entries"]
    # The access log names conversations by a keyed hash, never in clear (issue 17 §4).
    assert all(e["conversation_id"] != conversation.sender for e in exported)
    entries = [e for e in exported if e["conversation_id"] == hashed(ACCESS_SECRET, conversation.sender)]
    # The fact of the erasure, nothing more: the earlier reads stay but no longer name the conversation.
    assert [e["resource"] for e in entries] == ["conversation"]
    assert "effacement" in entries[-1]["purpose"]

    # A new message is a new conversation: nothing of the old one comes back.
    again = conversation.say("bonjour")
    assert "automatique" in again
    events = conversation.tracker()["events"]
    assert not any(e.get("event") == "user" and "effaciez" in (e.get("text") or "") for e in events)
    assert conversation.tracker()["slots"].get("identified") is not True
    assert 0 < stored_rows(dialogue, conversation.sender) < 20


def test_erasure_cancelled_keeps_everything(dialogue):
    conversation = Conversation(dialogue)
    conversation.say("bonjour")
    conversation.say("supprimez mes données")
    before = stored_rows(dialogue, conversation.sender)
    assert "rien" in conversation.say("non")
    assert stored_rows(dialogue, conversation.sender) > before


def test_a_hesitation_at_the_erasure_question_erases_nothing(dialogue):
    # « euh » used to come out as affirm at 0.30, a hair from the threshold: a yes here (HesitationGuard).
    conversation = Conversation(dialogue)
    conversation.say("bonjour")
    conversation.say("supprimez mes données")
    before = stored_rows(dialogue, conversation.sender)
    reply = conversation.say("euh")
    assert "effacée" not in reply and "comprendre" in reply
    assert stored_rows(dialogue, conversation.sender) > before
    assert conversation.tracker()["latest_message"]["intent"]["name"] == "nlu_fallback"


@pytest.mark.parametrize(
    ("answer", "expected_intent", "reply_word"),
    [
        ("d'accord merci", "thank", "plaisir"),  # an acknowledgement, not a yes: cross-validation had read it as affirm
        ("nn merci", "deny", "rien"),  # a no with thanks is the no (it was read as thanks)
    ],
)
def test_an_answer_with_thanks_at_the_erasure_question_erases_nothing(dialogue, answer, expected_intent, reply_word):
    conversation = Conversation(dialogue)
    conversation.say("bonjour")
    conversation.say("supprimez mes données")
    before = stored_rows(dialogue, conversation.sender)
    reply = conversation.say(answer)
    assert "effacée" not in reply and reply_word in reply
    assert stored_rows(dialogue, conversation.sender) > before
    intent = conversation.tracker()["latest_message"]["intent"]
    assert (intent["name"], intent["confidence"]) == (expected_intent, 1.0)


def test_identification_answers_are_not_stored_even_redacted(dialogue):
    conversation = Conversation(dialogue)
    conversation.identify(*CAMILLE)
    database = dialogue.env["ALLOCBOT_TRACKER_DB_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        texts = [
            json.loads(data).get("text")
            for (data,) in connection.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (conversation.sender,)
            )
        ]
    assert texts.count("[RÉPONSE D'IDENTIFICATION]") == 2  # identifier and birth date


def test_purge_removes_old_conversations_and_old_closed_tickets(dialogue, tmp_path):
    # A tracker database of our own: two old conversations, one recent.
    tracker_url = f"sqlite:///{tmp_path / 'conversations.db'}"
    from bot.privacy.tracker_db import EVENTS, create_tracker_engine

    engine = create_tracker_engine(tracker_url)
    EVENTS.metadata.create_all(engine, tables=[EVENTS])
    now = time.time()
    with engine.begin() as connection:
        for sender, age_days in (("ancien-1", 200), ("ancien-2", 91), ("recent", 10)):
            for offset in range(3):
                connection.execute(
                    EVENTS.insert().values(
                        sender_id=sender,
                        type_name="user",
                        timestamp=now - age_days * 86_400 + offset,
                        data=json.dumps({"event": "user", "text": "bonjour"}),
                    )
                )
    engine.dispose()
    # Tickets in the stack's backend: one closed long ago, one closed today, one open.
    old, recent, still_open = (open_ticket(dialogue, f"purge-{uuid.uuid4()}", None) for _ in range(3))
    for reference in (old, recent):
        closed = httpx.post(
            f"{dialogue.backend_url}/v1/handoff-tickets/{reference}/take",
            headers={"X-Service-Token": SERVICE_TOKEN},
            json={"counsellor": "c.test"},
            timeout=10,
        )
        assert closed.status_code == 200, closed.text
        closed = httpx.post(
            f"{dialogue.backend_url}/v1/handoff-tickets/{reference}/close",
            headers={"X-Service-Token": SERVICE_TOKEN},
            json={"counsellor": "c.test"},
            timeout=10,
        )
        assert closed.status_code == 200, closed.text
    backend_db = dialogue.env["ALLOCBOT_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(backend_db) as connection:
        long_ago = (datetime.now(timezone.utc) - timedelta(days=120)).strftime("%Y-%m-%d %H:%M:%S.%f")
        connection.execute("UPDATE handoff_tickets SET closed_at = ? WHERE reference = ?", (long_ago, old))

    env = {**dialogue.env, "ALLOCBOT_TRACKER_DB_URL": tracker_url}
    dry = command("bot.privacy.purge", "--days", "90", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "Conversations à effacer : 2 (6 événements)." in dry.stdout
    result = command("bot.privacy.purge", "--days", "90", env=env)
    assert result.returncode == 0, result.stderr
    assert "Conversations effacées : 2 (6 événements)." in result.stdout
    assert "Tickets clos effacés : 1." in result.stdout
    with sqlite3.connect(tmp_path / "conversations.db") as connection:
        left = {sender for (sender,) in connection.execute("SELECT DISTINCT sender_id FROM events")}
    assert left == {"recent"}
    status = {
        reference: httpx.get(
            f"{dialogue.backend_url}/v1/handoff-tickets/{reference}",
            headers={"X-Service-Token": SERVICE_TOKEN},
            timeout=10,
        ).status_code
        for reference in (old, recent, still_open)
    }
    assert status == {old: 404, recent: 200, still_open: 200}
    again = command("bot.privacy.purge", "--days", "90", env=env)
    assert "Conversations effacées : 0 (0 événements)." in again.stdout  # idempotent: safe to run daily
    assert command("bot.privacy.purge", "--days", "0", env=env).returncode == 2


def test_access_log_export_lists_every_read_in_csv_and_json(dialogue):
    conversation = Conversation(dialogue)
    conversation.identify(*CAMILLE)
    conversation.say("quand est-ce que je vais être payé ?")
    as_csv = command("bot.privacy.access_log_export", "--identifier", "1234567a", env=dialogue.env)
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    mine = [row for row in rows if row["conversation_id"] == hashed(ACCESS_SECRET, conversation.sender)]
    assert {row["actor"] for row in mine} == {"bot"}
    assert {"identification"} < {row["resource"] for row in mine}
    assert all(row["at"] and row["purpose"] for row in mine)
    as_json = json.loads(
        command(
            "bot.privacy.access_log_export", "--identifier", CAMILLE[0], "--format", "json", env=dialogue.env
        ).stdout
    )
    assert len(as_json["entries"]) == len(rows)
    unknown = command("bot.privacy.access_log_export", "--identifier", "0000000Z", env=dialogue.env)
    assert unknown.returncode == 1 and "Aucun dossier" in unknown.stderr
    invalid = command("bot.privacy.access_log_export", "--identifier", "'; DROP TABLE--", env=dialogue.env)
    assert invalid.returncode == 2 and "Identifiant invalide" in invalid.stderr
