"""The analytics store: conversation facts, their needs, and the counsellors' reviews (SQLAlchemy Core).

No column holds a text, an identifier or a conversation id. ``person_key`` and
``contact_at`` (a keyed pseudonym of the person and the exact start time) exist
only for the 24-hour repeat-contact indicator: ``bot.analytics.ingest`` empties
them once a conversation is older than 24 hours. Conversations are otherwise
dated to the hour (``hour_start``). Retention: docs/privacy.md §4.
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from bot.analytics.indicators import Conversation
from bot.analytics.settings import analytics_db_url
from bot.common.sqlite import file_pool, use_wal

metadata = sa.MetaData()

CONVERSATIONS = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("hour_start", sa.DateTime, nullable=False, index=True),
    sa.Column("channel", sa.String(40)),
    sa.Column("messages", sa.Integer, nullable=False, default=0),
    sa.Column("clarifications", sa.Integer, nullable=False, default=0),
    sa.Column("fallbacks", sa.Integer, nullable=False, default=0),
    sa.Column("handover_reason", sa.String(60)),
    sa.Column("counsellor_seconds", sa.Float),
    sa.Column("abandoned", sa.Boolean, nullable=False, default=False),
    sa.Column("satisfaction_asked", sa.Boolean, nullable=False, default=False),
    sa.Column("satisfaction", sa.String(3)),
    sa.Column("identified", sa.Boolean, nullable=False, default=False),
    sa.Column("is_repeat", sa.Boolean, nullable=False, default=False),
    sa.Column("linkable", sa.Boolean, nullable=False, default=False),
    sa.Column("person_key", sa.String(32), index=True),
    sa.Column("contact_at", sa.DateTime),
)

NEEDS = sa.Table(
    "conversation_needs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.Integer, sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True),
    sa.Column("need", sa.String(80), nullable=False),
    sa.Column("answered", sa.Boolean, nullable=False, default=False),
    sa.Column("repeated", sa.Boolean, nullable=False, default=False),
)

REVIEWS = sa.Table(
    "answer_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reviewed_on", sa.Date, nullable=False, index=True),
    sa.Column("need", sa.String(80), nullable=False),
    sa.Column("verdict", sa.String(5), nullable=False),  # "right" / "wrong"
    sa.Column("reason", sa.String(40), nullable=False),
    sa.Column("sample_key", sa.String(32), nullable=False, index=True),
    # A keyed pseudonym of the reviewed conversation, so that the sample does not offer it twice.
)


def create_analytics_engine(url: str | None = None) -> sa.engine.Engine:
    url = url or analytics_db_url()
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = use_wal(
            sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 5}, **file_pool(url, 2)),
            busy_timeout_seconds=5,
            foreign_keys=True,
        )
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())


def load_conversations(engine: sa.engine.Engine, start: date, end: date) -> tuple[list[Conversation], int]:
    """The conversations that started from ``start`` to ``end`` (both included), and how many were repeats."""
    low, high = _bounds(start, end)
    period = (CONVERSATIONS.c.hour_start >= low) & (CONVERSATIONS.c.hour_start < high)
    with engine.connect() as connection:
        need_rows = connection.execute(
            sa.select(NEEDS.c.conversation_id, NEEDS.c.need, NEEDS.c.answered, NEEDS.c.repeated)
            .select_from(NEEDS.join(CONVERSATIONS))
            .where(period)
            .order_by(NEEDS.c.id)
        ).all()
        rows = connection.execute(sa.select(CONVERSATIONS).where(period).order_by(CONVERSATIONS.c.hour_start)).all()
    asked: dict[int, list[str]] = defaultdict(list)
    answered: dict[int, set[str]] = defaultdict(set)
    repeated: dict[int, set[str]] = defaultdict(set)
    for conversation_id, need, was_answered, was_repeated in need_rows:
        asked[conversation_id].append(need)
        if was_answered:
            answered[conversation_id].add(need)
        if was_repeated:
            repeated[conversation_id].add(need)
    conversations = [
        Conversation(
            hour_start=row.hour_start,
            channel=row.channel or "",
            messages=row.messages,
            needs=tuple(asked[row.id]),
            answered=frozenset(answered[row.id]),
            repeated=frozenset(repeated[row.id]),
            clarifications=row.clarifications,
            fallbacks=row.fallbacks,
            handover_reason=row.handover_reason,
            counsellor_seconds=row.counsellor_seconds,
            abandoned=bool(row.abandoned),
            satisfaction_asked=bool(row.satisfaction_asked),
            satisfaction=row.satisfaction,
            linkable=bool(row.linkable),
        )
        for row in rows
    ]
    return conversations, sum(bool(row.is_repeat) for row in rows)


def load_reviews(engine: sa.engine.Engine, start: date, end: date) -> list[tuple[str, str, str]]:
    with engine.connect() as connection:
        return [
            (need, verdict, reason)
            for need, verdict, reason in connection.execute(
                sa.select(REVIEWS.c.need, REVIEWS.c.verdict, REVIEWS.c.reason).where(
                    REVIEWS.c.reviewed_on >= start, REVIEWS.c.reviewed_on <= end
                )
            )
        ]
