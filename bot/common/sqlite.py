"""SQLite as every allocbot database uses it: WAL, ``synchronous=NORMAL``, a busy timeout.

WAL lets readers go on while one connection writes (a ticket, a conversation's
events, a webhook id). In WAL mode ``synchronous=NORMAL`` syncs the disk at
checkpoints instead of at every commit: the database stays consistent and survives
a crash of the process, only a power cut can lose the last commits; the per-commit
sync held the write lock under load (bot/bench/profile.py, docs/performance.md).
The busy timeout makes a writer wait for the lock instead of failing at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool


def use_wal(engine: Engine, busy_timeout_seconds: float, foreign_keys: bool = False) -> Engine:
    """Set the pragmas on every new connection of ``engine`` (a SQLite one); returns it."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if foreign_keys:  # off by default in SQLite
            cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_seconds * 1000)}")
        cursor.close()

    return engine


def file_pool(url: str, size: int = 4) -> dict[str, Any]:
    """``create_engine`` options keeping a SQLite file's connections in a pool.

    SQLAlchemy 1.4 opens a new connection to a SQLite file for every use by default
    (``NullPool``), and ``use_wal`` then runs its pragmas on each: the analytics
    broker's writer spent as much of the Rasa process's CPU doing that as answering
    the messages (docs/performance.md). In-memory databases keep SQLAlchemy's default
    (one connection is the whole database)."""
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else ""
    if not path or path == ":memory:":
        return {}
    return {"poolclass": QueuePool, "pool_size": size, "max_overflow": size}
