"""What the phone channel remembers during a call, shared by every Rasa replica.

One row per call (Twilio's ``CallSid``), in the channel store's database
(``ALLOCBOT_CHANNELS_DATABASE_URL``): Twilio may send the next ``<Gather>``
result to another replica, so nothing of a call lives in a process's memory.

Per call: the conversation id (keyed hash of the number), the number encrypted
(the first identification factor on each turn), what was said last (for ``*``,
encrypted: it may hold amounts), the keypad choices on offer, what the bot is
waiting for (a birth date, an identifier, an amount: how to read digits), the
counts of misunderstandings and silences in a row, and whether the call has
ended. When the call ends, what was said and the number are dropped at once;
the row itself goes after a day.

Synchronous SQLAlchemy: the connector calls it through ``asyncio.to_thread``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from bot.channels.state import utcnow
from bot.common.sqlite import file_pool, use_wal

metadata = MetaData()

calls = Table(
    "voice_calls",
    metadata,
    Column("call_sid", String(64), primary_key=True),
    Column("sender_id", String(80), nullable=False),
    Column("phone_encrypted", Text, nullable=False, default=""),
    Column("last_said", Text, nullable=False, default=""),
    Column("choices", Text, nullable=True),
    Column("expecting", String(20), nullable=True),
    Column("misunderstandings", Integer, nullable=False, default=0),
    Column("silences", Integer, nullable=False, default=0),
    Column("turns", Integer, nullable=False, default=0),
    Column("ended", Boolean, nullable=False, default=False),
    Column("last_request", String(64), nullable=True),
    Column("updated_at", DateTime, nullable=False),
)

RETENTION = timedelta(days=1)


@dataclass
class Call:
    call_sid: str
    sender_id: str
    phone_encrypted: str = ""
    last_said: str = ""  # encrypted
    choices: list[str] = field(default_factory=list)
    expecting: str | None = None
    misunderstandings: int = 0
    silences: int = 0
    turns: int = 0
    ended: bool = False
    last_request: str | None = None


class VoiceCallStore:
    def __init__(self, url: str):
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(
            url,
            future=True,
            connect_args={"check_same_thread": False, "timeout": 5} if url.startswith("sqlite") else {},
            **file_pool(url),
        )
        if url.startswith("sqlite"):
            use_wal(self.engine, busy_timeout_seconds=5)
        metadata.create_all(self.engine)

    def get(self, call_sid: str) -> Call | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(calls).where(calls.c.call_sid == call_sid)).first()
        if row is None:
            return None
        return Call(
            row.call_sid,
            row.sender_id,
            row.phone_encrypted,
            row.last_said,
            json.loads(row.choices) if row.choices else [],
            row.expecting,
            row.misunderstandings,
            row.silences,
            row.turns,
            bool(row.ended),
            row.last_request,
        )

    def start(self, call: Call) -> bool:
        """A new call; False if Twilio already announced it (a retried webhook)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(calls).values(**self._values(call)))
        except IntegrityError:
            return False
        self._purge()
        return True

    def save(self, call: Call) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(calls).where(calls.c.call_sid == call.call_sid).values(**self._values(call)))

    def set_last_said(self, call_sid: str, last_said: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(calls)
                .where(calls.c.call_sid == call_sid, calls.c.ended.is_(False))
                .values(last_said=last_said, updated_at=utcnow())
            )

    def end(self, call_sid: str) -> bool:
        """The call is over: forget what was said and the number; True if it was still open."""
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(calls)
                .where(calls.c.call_sid == call_sid, calls.c.ended.is_(False))
                .values(ended=True, last_said="", phone_encrypted="", choices=None, updated_at=utcnow())
            ).rowcount
        return bool(changed)

    @staticmethod
    def _values(call: Call) -> dict:
        return {
            "call_sid": call.call_sid,
            "sender_id": call.sender_id,
            "phone_encrypted": call.phone_encrypted,
            "last_said": call.last_said,
            "choices": json.dumps(call.choices) if call.choices else None,
            "expecting": call.expecting,
            "misunderstandings": call.misunderstandings,
            "silences": call.silences,
            "turns": call.turns,
            "ended": call.ended,
            "last_request": call.last_request,
            "updated_at": utcnow(),
        }

    def _purge(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(calls).where(calls.c.updated_at < utcnow() - RETENTION))
