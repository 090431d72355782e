"""The tracker database without Rasa: its URL, an engine, and the events table.

The purge command and the tests read the tracker store's table directly; importing
Rasa for that would take half a minute (TensorFlow). The table is the one Rasa
3.6's ``SQLTrackerStore`` creates (``events``), declared here with the same columns.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from bot.common.config import PROJECT_ROOT
from bot.common.sqlite import file_pool, use_wal

DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'conversations.db'}"

metadata = sa.MetaData()
EVENTS = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def tracker_db_url(configured: str | None = None) -> str:
    """The tracker database: env ``ALLOCBOT_TRACKER_DB_URL``, else endpoints.yml's url, else var/conversations.db."""
    return os.environ.get("ALLOCBOT_TRACKER_DB_URL") or configured or DEFAULT_URL


def create_tracker_engine(url: str) -> sa.engine.Engine:
    """An engine on the tracker database.

    SQLite: WAL and ``synchronous=NORMAL`` (``bot.common.sqlite``); connections are
    kept in a pool. Opening a connection and syncing the disk at every commit were
    a third of the Rasa server's CPU under load (``python -m bot.bench.profile``).
    """
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 2}, **file_pool(url))
        return use_wal(engine, busy_timeout_seconds=2)
    return sa.create_engine(url, pool_pre_ping=True)
