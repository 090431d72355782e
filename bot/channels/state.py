"""What the SMS and WhatsApp connectors must remember across restarts.

Kept in the channel process's own small database (SQLite in ``var/`` by default,
``ALLOCBOT_CHANNELS_DATABASE_URL`` for PostgreSQL in production), not in the
benefits backend: the backend stands for France Travail's systems and would be
swapped for the real API, while opt-outs, the WhatsApp service window and the
recipient of a conversation belong to the channel. A restart must not forget a
STOP, so this cannot live in memory.

Per conversation (``sender_id`` = keyed hash of the number, see ``identity``):
the number encrypted (needed to answer, never stored in clear), the STOP flag,
the last inbound time (WhatsApp's 24-hour window) and the last numbered choices.
Webhook message ids already handled are kept for a week so that a replayed or
retried webhook is not answered twice.

SQLAlchemy calls are synchronous: the connectors run them in a worker thread
(``asyncio.to_thread``) so that the event loop never blocks; one connection per
call, never a shared long-lived session.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
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
from sqlalchemy.exc import IntegrityError, ProgrammingError

from bot.common.config import PROJECT_ROOT
from bot.common.sqlite import file_pool, use_wal

metadata = MetaData()

contacts = Table(
    "channel_contacts",
    metadata,
    Column("sender_id", String(80), primary_key=True),
    Column("channel", String(20), nullable=False),
    Column("phone_encrypted", Text, nullable=False),
    Column("stopped", Boolean, nullable=False, default=False),
    Column("last_inbound_at", DateTime, nullable=True),
    Column("choices", Text, nullable=True),
    Column("updated_at", DateTime, nullable=False),
)

seen_messages = Table(
    "channel_seen_messages",
    metadata,
    Column("message_key", String(200), primary_key=True),
    Column("received_at", DateTime, nullable=False),
)

# Inbound messages acknowledged to the provider but not yet handled: the provider will not send them again,
# so a replica killed between the acknowledgement and the answer must not lose them. A row is written in the
# transaction that records the message id, deleted once the message is handled; a row left behind by a dead
# process is claimed by another after INBOX_STALE_AFTER (longer than any turn: the lock lifetime is 60 s).
inbox = Table(
    "channel_inbox",
    metadata,
    Column("message_key", String(200), primary_key=True),
    Column("sender_id", String(80), nullable=False),
    Column("text_encrypted", Text, nullable=False),  # the person's words, encrypted at rest like the number
    Column("is_text", Boolean, nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("claimed_at", DateTime, nullable=False),
    Column("claimed_by", String(40), nullable=False),
)

SEEN_RETENTION = timedelta(days=7)
INBOX_STALE_AFTER = timedelta(seconds=120)


@dataclass(frozen=True)
class Pending:
    """An inbound message claimed for handling (``ChannelStore.claim_stale``)."""

    message_key: str
    sender_id: str
    text_encrypted: str
    is_text: bool


DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'channels.db'}"


def channels_db_url() -> str:
    """The channel store: ``ALLOCBOT_CHANNELS_DATABASE_URL``, else ``var/channels.db``."""
    return (os.environ.get("ALLOCBOT_CHANNELS_DATABASE_URL") or "").strip() or DEFAULT_URL


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class Contact:
    sender_id: str
    channel: str
    phone_encrypted: str
    stopped: bool
    last_inbound_at: datetime | None
    choices: list[str]


class ChannelStore:
    """Small synchronous store; call its methods through ``asyncio.to_thread``."""

    def __init__(self, url: str):
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(
            url,
            future=True,
            connect_args={"check_same_thread": False, "timeout": 5} if url.startswith("sqlite") else {},
            **file_pool(url),
            pool_pre_ping=not url.startswith("sqlite"),  # PostgreSQL restarted: a dead pooled connection is replaced
        )
        if url.startswith("sqlite"):
            use_wal(self.engine, busy_timeout_seconds=5)
        try:
            metadata.create_all(self.engine)
        except (IntegrityError, ProgrammingError):  # another replica created the tables at the same moment
            metadata.create_all(self.engine)
        self._inserts = 0

    def contact(self, sender_id: str) -> Contact | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(contacts).where(contacts.c.sender_id == sender_id)).first()
        if row is None:
            return None
        return Contact(
            row.sender_id,
            row.channel,
            row.phone_encrypted,
            bool(row.stopped),
            row.last_inbound_at,
            json.loads(row.choices) if row.choices else [],
        )

    def receive(
        self,
        message_key: str,
        sender_id: str,
        channel: str,
        phone_encrypted: str,
        pending: tuple[str, bool, str] | None = None,
    ) -> bool:
        """A verified inbound message, in one transaction: False for a replay, else the contact is refreshed.

        ``pending`` (encrypted text, is it text, the claiming process) also puts the message in the inbox,
        until ``handled`` takes it out."""
        now = utcnow()
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(seen_messages).values(message_key=message_key, received_at=now))
                self._remember(connection, sender_id, channel, phone_encrypted, now)
                if pending is not None:
                    text_encrypted, is_text, owner = pending
                    connection.execute(
                        insert(inbox).values(
                            message_key=message_key,
                            sender_id=sender_id,
                            text_encrypted=text_encrypted,
                            is_text=is_text,
                            received_at=now,
                            claimed_at=now,
                            claimed_by=owner,
                        )
                    )
        except IntegrityError:
            return False
        self._purge_seen(now)
        return True

    def handled(self, message_key: str) -> None:
        """The message was handled (answered, refused or ignored): out of the inbox."""
        with self.engine.begin() as connection:
            connection.execute(delete(inbox).where(inbox.c.message_key == message_key))

    def claim_stale(self, owner: str, channel: str, older_than: timedelta = INBOX_STALE_AFTER) -> list[Pending]:
        """``channel``'s messages whose claim is older than ``older_than`` (their process died), now ``owner``'s.

        Each claim is a conditional update on the claim seen: of two replicas sweeping at once, one gets it."""
        limit = utcnow() - older_than
        with self.engine.connect() as connection:
            stale = connection.execute(
                select(inbox)
                .where(inbox.c.claimed_at < limit, inbox.c.message_key.startswith(f"{channel}:", autoescape=True))
                .order_by(inbox.c.received_at)
                .limit(100)
            ).all()
        claimed = []
        for row in stale:
            with self.engine.begin() as connection:
                won = connection.execute(
                    update(inbox)
                    .where(inbox.c.message_key == row.message_key, inbox.c.claimed_at == row.claimed_at)
                    .values(claimed_at=utcnow(), claimed_by=owner)
                ).rowcount
            if won:
                claimed.append(Pending(row.message_key, row.sender_id, row.text_encrypted, bool(row.is_text)))
        return claimed

    def remember(self, sender_id: str, channel: str, phone_encrypted: str, inbound_at: datetime | None) -> None:
        """Create or refresh a contact when a verified message arrives from it."""
        with self.engine.begin() as connection:
            self._remember(connection, sender_id, channel, phone_encrypted, inbound_at)

    @staticmethod
    def _remember(connection, sender_id: str, channel: str, phone_encrypted: str, inbound_at: datetime | None) -> None:
        values = {"phone_encrypted": phone_encrypted, "updated_at": utcnow()}
        if inbound_at is not None:
            values["last_inbound_at"] = inbound_at
        changed = connection.execute(
            update(contacts).where(contacts.c.sender_id == sender_id).values(**values)
        ).rowcount
        if not changed:
            connection.execute(
                insert(contacts).values(
                    sender_id=sender_id,
                    channel=channel,
                    stopped=False,
                    choices=None,
                    **{"last_inbound_at": None, **values},
                )
            )

    def set_stopped(self, sender_id: str, stopped: bool) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(contacts).where(contacts.c.sender_id == sender_id).values(stopped=stopped, updated_at=utcnow())
            )

    def set_choices(self, sender_id: str, payloads: list[str]) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(contacts)
                .where(contacts.c.sender_id == sender_id)
                .values(choices=json.dumps(payloads) if payloads else None, updated_at=utcnow())
            )

    def first_time_seen(self, message_key: str) -> bool:
        """True once per webhook message id; False for a replay or a provider's retry."""
        now = utcnow()
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(seen_messages).values(message_key=message_key, received_at=now))
        except IntegrityError:
            return False
        self._purge_seen(now)
        return True

    def forget(self, sender_id: str) -> bool:
        """Erasure on request: the conversation's number goes now; a STOP stays honoured (without the number)."""
        with self.engine.begin() as connection:
            connection.execute(delete(inbox).where(inbox.c.sender_id == sender_id))
            removed = connection.execute(
                delete(contacts).where(contacts.c.sender_id == sender_id, contacts.c.stopped.is_(False))
            ).rowcount
            emptied = connection.execute(
                update(contacts)
                .where(contacts.c.sender_id == sender_id, contacts.c.stopped.is_(True))
                .values(phone_encrypted="", choices=None, updated_at=utcnow())
            ).rowcount
        return bool(removed or emptied)

    def forget_inactive(self, older_than: timedelta) -> int:
        """Retention: forget the numbers of conversations silent for ``older_than``; returns how many.

        An opt-out is kept (the hash and the STOP flag, without the number): forgetting
        it would let messages reach someone who asked for none.
        """
        limit = utcnow() - older_than
        inactive = contacts.c.updated_at < limit
        with self.engine.begin() as connection:
            removed = connection.execute(delete(contacts).where(inactive, contacts.c.stopped.is_(False))).rowcount
            emptied = connection.execute(
                update(contacts)
                .where(inactive, contacts.c.stopped.is_(True), contacts.c.phone_encrypted != "")
                .values(phone_encrypted="", choices=None)
            ).rowcount
            connection.execute(delete(seen_messages).where(seen_messages.c.received_at < utcnow() - SEEN_RETENTION))
            connection.execute(delete(inbox).where(inbox.c.received_at < utcnow() - SEEN_RETENTION))
        return removed + emptied

    def _purge_seen(self, now: datetime) -> None:
        self._inserts += 1
        if self._inserts % 500 == 0:
            with self.engine.begin() as connection:
                connection.execute(delete(seen_messages).where(seen_messages.c.received_at < now - SEEN_RETENTION))
