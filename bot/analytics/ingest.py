"""Staged events → conversation facts, then the staged rows go.

``ingest`` reads the broker's table, keeps the conversation ids whose last event
is older than ``idle_seconds`` (30 min by default: the conversation is over; a
Rasa session ends after an hour of silence, a later message starts a new
conversation anyway), builds their facts (``bot.analytics.facts``), marks repeat
contacts against the conversations of the last 24 h still holding a person
pseudonym, writes them and deletes the staged rows. Then it empties the person
pseudonym and exact time of conversations older than 24 h, and deletes facts and
reviews older than the retention (``ALLOCBOT_ANALYTICS_RETENTION_DAYS``, 400 days).

Runs before every report and dashboard page (it is cheap when nothing is new),
and as ``python -m bot.analytics ingest`` (a periodic job in production).
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from bot.analytics.facts import ConversationFact, NeedFact, conversation_facts, mark_repeats
from bot.analytics.staging import STAGED
from bot.analytics.store import CONVERSATIONS, NEEDS, REVIEWS

REPEAT_WINDOW = timedelta(hours=24)
DEFAULT_IDLE_SECONDS = 1800.0
DEFAULT_RETENTION_DAYS = 400


def retention_days() -> int:
    return int(os.environ.get("ALLOCBOT_ANALYTICS_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


@dataclass(frozen=True)
class Ingested:
    conversations: int
    staged_rows: int
    pseudonyms_erased: int
    expired: int


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def ingest(
    staging: sa.engine.Engine,
    analytics: sa.engine.Engine,
    idle_seconds: float = DEFAULT_IDLE_SECONDS,
    now: float | None = None,
    only: set[str] | None = None,
) -> Ingested:
    """``only``: these conversation pseudonyms alone (a test among the conversations of other tests)."""
    now = time.time() if now is None else now
    with staging.connect() as connection:
        rows = connection.execute(sa.select(STAGED.c.id, STAGED.c.sender_id, STAGED.c.data).order_by(STAGED.c.id))
        by_sender: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for row_id, sender, data in rows:
            try:
                by_sender[sender].append((row_id, json.loads(data)))
            except (TypeError, ValueError):
                by_sender[sender].append((row_id, {}))
    closed = {
        sender: events
        for sender, events in by_sender.items()
        if max((event.get("t", 0) for _, event in events), default=0) <= now - idle_seconds
        and (only is None or sender in only)
    }
    new_facts: list[ConversationFact] = []
    for sender, events in closed.items():
        ordered = [event for _, event in events if "t" in event]
        new_facts += conversation_facts(ordered, conversation=sender)
    with analytics.begin() as connection:
        recent = _recent_with_pseudonym(connection, new_facts)
        mark_repeats([fact for fact, _ in recent] + new_facts, REPEAT_WINDOW.total_seconds())
        for fact, stored_id in recent:
            _update_repeats(connection, fact, stored_id)
        for fact in new_facts:
            _insert(connection, fact)
        erased = connection.execute(
            CONVERSATIONS.update()
            .where(CONVERSATIONS.c.contact_at < _naive(datetime.fromtimestamp(now, timezone.utc) - REPEAT_WINDOW))
            .values(person_key=None, contact_at=None)
        ).rowcount
        expired = _expire(connection, datetime.fromtimestamp(now, timezone.utc) - timedelta(days=retention_days()))
    ids = [row_id for events in closed.values() for row_id, _ in events]
    with staging.begin() as connection:
        for start in range(0, len(ids), 500):
            connection.execute(STAGED.delete().where(STAGED.c.id.in_(ids[start : start + 500])))
    return Ingested(len(new_facts), len(ids), erased or 0, expired)


def _recent_with_pseudonym(connection: sa.engine.Connection, new_facts: list[ConversationFact]):
    """Stored conversations of the same people in the 24 h before the new ones (only those keep a pseudonym)."""
    keys = {fact.person_key for fact in new_facts if fact.person_key}
    if not keys:
        return []
    rows = connection.execute(
        sa.select(CONVERSATIONS.c.id, CONVERSATIONS.c.person_key, CONVERSATIONS.c.contact_at).where(
            CONVERSATIONS.c.person_key.in_(keys), CONVERSATIONS.c.contact_at.is_not(None)
        )
    ).all()
    recent = []
    for stored_id, person_key, contact_at in rows:
        need_rows = connection.execute(
            sa.select(NEEDS.c.need, NEEDS.c.answered, NEEDS.c.repeated).where(NEEDS.c.conversation_id == stored_id)
        ).all()
        at = contact_at.replace(tzinfo=timezone.utc)
        fact = ConversationFact(started_at=at, ended_at=at, person_key=person_key)
        fact.needs = [NeedFact(need, bool(answered), bool(repeated)) for need, answered, repeated in need_rows]
        recent.append((fact, stored_id))
    return recent


def _update_repeats(connection: sa.engine.Connection, fact: ConversationFact, stored_id: int) -> None:
    repeated = [need.intent for need in fact.needs if need.repeated]
    if repeated:
        connection.execute(
            NEEDS.update().where(NEEDS.c.conversation_id == stored_id, NEEDS.c.need.in_(repeated)).values(repeated=True)
        )


def _insert(connection: sa.engine.Connection, fact: ConversationFact) -> None:
    started = _naive(fact.started_at)
    conversation_id = connection.execute(
        CONVERSATIONS.insert().values(
            hour_start=started.replace(minute=0, second=0, microsecond=0),
            channel=fact.channel,
            messages=fact.messages,
            clarifications=fact.clarifications,
            fallbacks=fact.fallbacks,
            handover_reason=fact.handover_reason,
            counsellor_seconds=fact.counsellor_seconds,
            abandoned=fact.abandoned,
            satisfaction_asked=fact.satisfaction_asked,
            satisfaction=fact.satisfaction,
            identified=fact.identified,
            is_repeat=fact.is_repeat,
            person_key=fact.person_key,
            linkable=fact.person_key is not None,
            contact_at=started if fact.person_key else None,
        )
    ).inserted_primary_key[0]
    if fact.needs:
        connection.execute(
            NEEDS.insert(),
            [
                {"conversation_id": conversation_id, "need": n.intent, "answered": n.answered, "repeated": n.repeated}
                for n in fact.needs
            ],
        )


def _expire(connection: sa.engine.Connection, before: datetime) -> int:
    old = sa.select(CONVERSATIONS.c.id).where(CONVERSATIONS.c.hour_start < _naive(before))
    connection.execute(NEEDS.delete().where(NEEDS.c.conversation_id.in_(old)))
    removed = connection.execute(CONVERSATIONS.delete().where(CONVERSATIONS.c.hour_start < _naive(before))).rowcount
    connection.execute(REVIEWS.delete().where(REVIEWS.c.reviewed_on < _naive(before).date()))
    return removed or 0
