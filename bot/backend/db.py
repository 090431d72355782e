"""Database engine and sessions: one short session per request, never a shared one.

SQLite is the embedded default; PostgreSQL works with the same code by URL.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import create_engine, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.common.sqlite import use_wal

# SQLite stores NUMERIC as REAL; amounts are quantized to the cent on the way
# back (Numeric(12, 2)), so the warning SQLAlchemy gives about it is noise.
warnings.filterwarnings("ignore", message=".*does \\*not\\* support Decimal.*", category=exc.SAWarning)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Connections kept in a pool: opening one (and setting the pragmas) per request was
        # a tenth of the backend's CPU under load (bot/bench/profile.py).
        engine = create_engine(
            url,
            future=True,
            connect_args={"check_same_thread": False, "timeout": 15},
            poolclass=QueuePool,
            pool_size=10,
            max_overflow=10,
        )
        # Every file read writes an access-log row: WAL and NORMAL sync keep that off the readers' way.
        return use_wal(engine, busy_timeout_seconds=15, foreign_keys=True)
    return create_engine(url, future=True, pool_pre_ping=True, pool_size=10, max_overflow=10)


@lru_cache(maxsize=4)
def session_factory(url: str) -> sessionmaker:
    return sessionmaker(bind=make_engine(url), future=True, expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on error, always close."""
    session: Session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
