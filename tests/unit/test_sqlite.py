"""The three SQLite databases (backend, conversations, channels) get the same pragmas from one place."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.backend.db import make_engine
from bot.channels.state import ChannelStore
from bot.privacy.tracker_db import create_tracker_engine

pytestmark = pytest.mark.unit


def pragmas(engine: sa.engine.Engine) -> dict[str, object]:
    with engine.connect() as connection:
        found = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in ("journal_mode", "synchronous")
        }
        found |= {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in ("busy_timeout", "foreign_keys")
        }
    engine.dispose()
    return found


def test_every_database_is_in_wal_mode_with_normal_sync(tmp_path: Path) -> None:
    backend = pragmas(make_engine(f"sqlite:///{tmp_path / 'backend.db'}"))
    tracker = pragmas(create_tracker_engine(f"sqlite:///{tmp_path / 'conversations.db'}"))
    channels = pragmas(ChannelStore(f"sqlite:///{tmp_path / 'channels.db'}").engine)
    for found in (backend, tracker, channels):
        assert found["journal_mode"] == "wal" and found["synchronous"] == 1  # 1: NORMAL
    assert (backend["busy_timeout"], tracker["busy_timeout"], channels["busy_timeout"]) == (15000, 2000, 5000)
    assert (backend["foreign_keys"], tracker["foreign_keys"], channels["foreign_keys"]) == (1, 0, 0)
