"""The event broker's table (Rasa's ``SQLEventBroker`` layout: ``events(id, sender_id, data)``), without Rasa.

``sender_id`` holds the conversation's keyed pseudonym and ``data`` the minimised
event (``bot.analytics.minimise``): the broker never writes anything else. Rows
live until ``bot.analytics.ingest`` has turned a closed conversation into facts.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from bot.analytics.settings import events_db_url
from bot.common.sqlite import file_pool, use_wal

metadata = sa.MetaData()
STAGED = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), index=True),
    sa.Column("data", sa.Text),
)


def create_staging_engine(url: str | None = None) -> sa.engine.Engine:
    url = url or events_db_url()
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = use_wal(
            sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 5}, **file_pool(url, 2)),
            busy_timeout_seconds=5,
        )
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine
