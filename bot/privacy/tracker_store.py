"""Rasa's SQL tracker store, made to keep no identifier in clear.

Rasa writes every event of a conversation to the tracker store and reloads the
conversation from it at each message. This store (declared in endpoints.yml) sits
between the two:

- user and bot texts, parse data and metadata are redacted (``bot.privacy.redaction``)
  before they are written; while the identification form is active the person's
  answers are replaced entirely (``[RÉPONSE D'IDENTIFICATION]``): what they typed to
  prove who they are has no use once checked;
- the values of identifying slots (identifier, birth date, the bearer access token,
  any slot whose value holds an identifier) are *sealed* with an authenticated
  encryption key (Fernet, key derived from ``ALLOCBOT_TRACKER_KEY``) and unsealed
  on reload: the identification form spans several turns and must read back the
  identifier typed one message earlier, but the database only holds ciphertext;
- a conversation id that is itself an identifier (a phone number on SMS or
  WhatsApp) is stored as a keyed hash;
- when a tracker containing ``action_erase_conversation`` is saved, every row of
  that conversation is deleted instead (erasure on request, GDPR art. 17);
- SQLite runs in WAL mode; database calls run in a worker thread so that a locked
  database never blocks Rasa's event loop; if a write fails (database locked or
  down), the conversation is kept in memory, served from there, and written as
  soon as the database accepts writes again: nothing is lost;
- the rows of recent conversations are also kept in memory, exactly as stored
  (``_RecentRows``): a message then costs one indexed look-up of the conversation's
  last row id instead of reading and counting all its rows; any other writer
  (another process, the purge) changes that id, and the database is read again.

SQLite file ``var/conversations.db`` by default; ``ALLOCBOT_TRACKER_DB_URL`` selects
another database (PostgreSQL in production).
"""

from __future__ import annotations

import asyncio
import base64
import copy
import functools
import hashlib
import hmac
import json
import logging
import os
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot.common.config import required
from bot.privacy.redaction import EMAIL, IBAN, NIR, PHONE, redact, redact_event, redact_value
from bot.privacy.tracker_db import create_tracker_engine, tracker_db_url

logger = logging.getLogger(__name__)

ERASE_ACTION = "action_erase_conversation"
IDENTIFICATION_FORM = "identification_form"
IDENTIFICATION_ANSWER = "[RÉPONSE D'IDENTIFICATION]"
SEALED_SLOTS = frozenset({"identifier", "birth_date", "access_token"})
SEAL_PREFIX = "scellé:v1:"
HASHED_SENDER_PREFIX = "h:"
SESSION_STARTED = "session_started"
DEFAULT_RECENT_CONVERSATIONS = 1000
PHONE_CONVERSATION_PREFIXES = ("sms-", "wa-", "phone-")  # bot/channels/phone.py: HMAC of the number


class ConversationStoreUnavailable(RuntimeError):
    """The conversation could not be read (database down): the turn must fail, not start a new conversation.

    Rasa's ``FailSafeTrackerStore`` turns any error of ``retrieve`` into "no such
    conversation": the person, identified a minute ago, would be asked who they are
    again, and the new conversation written over the old one once the database is
    back. ``bot.rasa_runtime`` lets this error through it; the person is told in
    French to send the message again (``OUTAGE_TEXT``).
    """

    allocbot_store_down = True


def tracker_key() -> bytes:
    return required("ALLOCBOT_TRACKER_KEY").encode()


class Sealer:
    """Authenticated encryption of slot values and keyed hashing of conversation ids."""

    def __init__(self, secret: bytes):
        self._fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"allocbot-seal:" + secret).digest()))
        self._hash_key = hashlib.sha256(b"allocbot-sender:" + secret).digest()
        # Looking for identifiers in the id (phone numbers...) at every read and write cost more than the SQL.
        self.stored_sender = functools.lru_cache(maxsize=4096)(self._stored_sender)

    def seal(self, value: Any) -> str:
        return SEAL_PREFIX + self._fernet.encrypt(json.dumps(value).encode()).decode()

    def unseal(self, value: Any) -> Any:
        if not isinstance(value, str) or not value.startswith(SEAL_PREFIX):
            return value
        try:
            return json.loads(self._fernet.decrypt(value.removeprefix(SEAL_PREFIX).encode()))
        except (InvalidToken, ValueError):
            logger.warning("Valeur de slot scellée illisible (clé changée ?) : ignorée.")
            return None

    def _stored_sender(self, sender_id: str) -> str:
        # Random ids (web-<hex>, sms-<hmac>, uuids) may look like a date or an 8-digit identifier
        # by chance; only a phone number, an email, a NIR or an IBAN makes an id personal.
        redacted = redact(sender_id)
        if not any(label in redacted for label in (PHONE, EMAIL, NIR, IBAN)):
            return sender_id
        digest = hmac.new(self._hash_key, sender_id.encode(), hashlib.sha256).hexdigest()
        return HASHED_SENDER_PREFIX + digest[:40]


def storable_events(events: list[dict[str, Any]], sealer: Sealer, start: int = 0) -> list[dict[str, Any]]:
    """The events from ``start`` on as they may be written: redacted texts, sealed identifying slots.

    Only the events not yet stored are redacted and sealed (the earlier ones are
    read for the active form only): redacting the whole conversation at every
    save was about a third of the Rasa server's CPU under load (bot/bench/profile.py)."""
    stored, loop = [], None
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "active_loop":
            loop = event.get("name")
        if index < start:
            continue
        if kind == "slot":
            value = event.get("value")
            if value is not None and (event.get("name") in SEALED_SLOTS or redact_value(value) != value):
                stored.append({**event, "value": sealer.seal(value)})
                continue
        safe = redact_event(event)
        if kind == "user":
            if loop == IDENTIFICATION_FORM:
                safe["text"] = IDENTIFICATION_ANSWER
                if isinstance(safe.get("parse_data"), dict):
                    safe["parse_data"] = {**safe["parse_data"], "text": IDENTIFICATION_ANSWER}
        # Every kind of event may carry the message's metadata (session_started, action
        # events of action_session_start...): the sender's number and the site token with it.
        if safe.get("metadata"):
            safe["metadata"] = redact_value(_without_site_token(safe["metadata"]))
        parse_data = safe.get("parse_data")
        if isinstance(parse_data, dict) and parse_data.get("metadata"):  # Rasa copies it there too
            safe["parse_data"] = {**parse_data, "metadata": redact_value(_without_site_token(parse_data["metadata"]))}
        stored.append(safe)
    return stored


def _without_site_token(metadata: Any) -> Any:
    """The widget's site token is a bearer credential (10 minutes): it is used live, never stored."""
    if (
        isinstance(metadata, dict)
        and isinstance(metadata.get("allocbot"), dict)
        and "site_token" in metadata["allocbot"]
    ):
        return {**metadata, "allocbot": {**metadata["allocbot"], "site_token": "[JETON]"}}
    return metadata


@dataclass(frozen=True)
class StoredRow:
    timestamp: float | None
    type_name: str
    data: str  # the JSON written in the database: redacted, slots sealed


@dataclass(frozen=True)
class Snapshot:
    """What the database holds of a conversation's latest session, as Rasa's query returns it."""

    last_id: int | None  # the conversation's highest row id (any session): changes with any write
    rows: tuple[StoredRow, ...]

    def extended(self, new_rows: list[StoredRow], last_id: int | None) -> Snapshot:
        """The snapshot after ``new_rows`` were inserted, cut at the latest session start like Rasa's
        query (rows whose timestamp is at least the latest ``session_started`` one's)."""
        rows = self.rows + tuple(new_rows)
        if any(row.type_name == SESSION_STARTED for row in new_rows):
            start = max(row.timestamp for row in rows if row.type_name == SESSION_STARTED and row.timestamp is not None)
            rows = tuple(row for row in rows if row.timestamp is not None and row.timestamp >= start)
        return Snapshot(last_id, rows)


class _RecentRows:
    """The stored rows of the most recently used conversations (least recently used dropped first)."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._snapshots: OrderedDict[str, Snapshot] = OrderedDict()

    def get(self, sender_id: str) -> Snapshot | None:
        snapshot = self._snapshots.get(sender_id)
        if snapshot is not None:
            self._snapshots.move_to_end(sender_id)
        return snapshot

    def put(self, sender_id: str, snapshot: Snapshot | None) -> None:
        if snapshot is None or self.capacity <= 0:
            self._snapshots.pop(sender_id, None)
            return
        self._snapshots[sender_id] = snapshot
        self._snapshots.move_to_end(sender_id)
        while len(self._snapshots) > self.capacity:
            self._snapshots.popitem(last=False)

    def drop(self, sender_id: str) -> None:
        self._snapshots.pop(sender_id, None)


class _Statements:
    """The store's SQL, built once (SQLAlchemy Core): ORM queries rebuilt at every message cost more
    CPU than the database itself. Same selection as Rasa's ``SQLTrackerStore._event_query``."""

    def __init__(self, events: sa.Table):
        sender = sa.bindparam("sender")
        columns = (events.c.timestamp, events.c.type_name, events.c.data)
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(events.c.sender_id == sender, events.c.type_name == SESSION_STARTED)
            .scalar_subquery()
        )
        in_latest_session = sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
        # The index on sender_id holds the row ids: a seek, not a scan.
        self.last_id = sa.select(sa.func.max(events.c.id)).where(events.c.sender_id == sender)
        self.latest_session = (
            sa.select(*columns).where(events.c.sender_id == sender, in_latest_session).order_by(events.c.id)
        )
        self.latest_session_count = (
            sa.select(sa.func.count()).select_from(events).where(events.c.sender_id == sender, in_latest_session)
        )
        self.all_sessions = sa.select(*columns).where(events.c.sender_id == sender).order_by(events.c.id)
        self.insert = events.insert()


def forget_phone_number(sender_id: str) -> None:
    """The SMS/WhatsApp store's encrypted number of an erased conversation goes with it."""
    from bot.channels.state import ChannelStore, channels_db_url

    try:
        store = ChannelStore(channels_db_url())
        try:
            store.forget(sender_id)
        finally:
            store.engine.dispose()
    except SQLAlchemyError as error:  # the conversation is erased; the number goes with the retention purge
        logger.warning(
            "Numéro de la conversation effacée non supprimé (%s) : il le sera par la purge.", type(error).__name__
        )


def is_erasure(tracker: DialogueStateTracker) -> bool:
    return any(getattr(event, "action_name", None) == ERASE_ACTION for event in tracker.events)


class RedactingTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that redacts, seals, erases on request and never loses a write."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        for unused in ("dialect", "db", "username", "password", "port", "login_db", "query"):
            kwargs.pop(unused, None)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        self.url = tracker_db_url(url or host)
        self.sealer = Sealer(tracker_key())
        self.engine = create_tracker_engine(self.url)
        self.Base.metadata.create_all(self.engine)
        self.sessionmaker = sessionmaker(bind=self.engine)
        self._sql = _Statements(self.SQLEvent.__table__)
        self._pending: dict[str, DialogueStateTracker] = {}
        self._recent = _RecentRows(int(os.environ.get("ALLOCBOT_TRACKER_RECENT", DEFAULT_RECENT_CONVERSATIONS)))
        self._write_lock: asyncio.Lock | None = None  # created in Rasa's loop, on first use
        self._flusher: asyncio.Task | None = None
        logger.info("Conversations enregistrées (expurgées) dans %r", self.engine.url)  # repr hides the password

    async def keys(self) -> Iterable[str]:
        stored = await asyncio.to_thread(self._keys_sync)
        return sorted(set(stored) | set(self._pending))

    def _keys_sync(self) -> list[str]:
        with self.session_scope() as session:
            return [sender for (sender,) in session.query(self.SQLEvent.sender_id).distinct()]

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._retrieve(sender_id, fetch_events_from_all_sessions=False)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._retrieve(conversation_id, fetch_events_from_all_sessions=True)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        pending = self._pending.get(sender_id)
        if pending is not None and not fetch_events_from_all_sessions:
            # Not yet written (database locked or down): the copy in memory is the truth.
            return copy.deepcopy(pending)
        try:
            if fetch_events_from_all_sessions:
                rows = await asyncio.to_thread(self._all_rows_sync, sender_id)
            else:
                snapshot = await asyncio.to_thread(self._snapshot_sync, sender_id, self._recent.get(sender_id))
                self._recent.put(sender_id, snapshot if snapshot.rows else None)
                rows = snapshot.rows
        except SQLAlchemyError as error:
            logger.warning("Base des conversations illisible (%s) : message non traité.", type(error).__name__)
            raise ConversationStoreUnavailable(type(error).__name__) from error
        if not rows or self.domain is None:
            return None
        events = [json.loads(row.data) for row in rows]
        for event in events:
            if event.get("event") == "slot":
                event["value"] = self.sealer.unseal(event.get("value"))
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _snapshot_sync(self, sender_id: str, recent: Snapshot | None) -> Snapshot:
        """The latest session's rows: from memory if nobody wrote since, else from the database."""
        stored_sender = self.sealer.stored_sender(sender_id)
        with self.engine.connect() as connection:
            last_id = connection.execute(self._sql.last_id, {"sender": stored_sender}).scalar()
            if recent is not None and recent.last_id == last_id:
                return recent
            rows = connection.execute(self._sql.latest_session, {"sender": stored_sender})
            return Snapshot(last_id, tuple(StoredRow(*row) for row in rows))

    def _all_rows_sync(self, sender_id: str) -> tuple[StoredRow, ...]:
        with self.engine.connect() as connection:
            rows = connection.execute(self._sql.all_sessions, {"sender": self.sealer.stored_sender(sender_id)})
            return tuple(StoredRow(*row) for row in rows)

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        if is_erasure(tracker):
            self._pending.pop(sender_id, None)
            self._recent.drop(sender_id)
            removed = await asyncio.to_thread(self.erase_sync, sender_id)
            logger.info("Conversation effacée à la demande de la personne (%d événements supprimés).", removed)
            if sender_id.startswith(PHONE_CONVERSATION_PREFIXES):
                await asyncio.to_thread(forget_phone_number, sender_id)
            return
        if not await self._write(sender_id, tracker):
            # Kept in memory, served from there, and written as soon as the database accepts it.
            self._pending[sender_id] = copy.deepcopy(tracker)
            if self._flusher is None or self._flusher.done():
                self._flusher = asyncio.get_running_loop().create_task(self._flush_pending())

    async def _write(self, sender_id: str, tracker: DialogueStateTracker) -> bool:
        if self._write_lock is None:
            self._write_lock = asyncio.Lock()
        events = [event.as_dict() for event in tracker.events]
        async with self._write_lock:  # one writer at a time: the count-then-insert must not interleave
            try:
                snapshot, already = await asyncio.to_thread(
                    self._save_sync, sender_id, events, self._recent.get(sender_id)
                )
            except SQLAlchemyError as error:
                self._recent.drop(sender_id)
                logger.warning(
                    "Base des conversations indisponible (%s) : conversation gardée en mémoire.", type(error).__name__
                )
                return False
            self._recent.put(sender_id, snapshot)
            if self._pending.get(sender_id) is not None and self._pending[sender_id] is not tracker:
                self._pending.pop(sender_id, None)
        self._publish(sender_id, events[already:])
        return True

    def _publish(self, sender_id: str, new_events: list[dict[str, Any]]) -> None:
        """The events just stored, to the event broker (analytics), as Rasa's ``stream_events`` sends them.

        Rasa's ``stream_events`` reads the stored conversation again at every save to tell the new events from
        the old (a query and a whole tracker rebuilt per message); the write has just counted them. A
        conversation kept in memory while the database is down is published once it is written."""
        if self.event_broker is None:
            return
        for event in new_events:
            self.event_broker.publish({"sender_id": sender_id, **event})

    async def _flush_pending(self, every_seconds: float = 1.0) -> None:
        while self._pending:
            await asyncio.sleep(every_seconds)
            for sender_id, tracker in list(self._pending.items()):
                if await self._write(sender_id, tracker) and self._pending.get(sender_id) is tracker:
                    del self._pending[sender_id]
                    logger.info("Conversation gardée en mémoire enregistrée dans la base.")

    def _save_sync(
        self, sender_id: str, events: list[dict[str, Any]], recent: Snapshot | None
    ) -> tuple[Snapshot | None, int]:
        """Insert the events not stored yet; returns the new snapshot when the rows before were known, and how
        many of ``events`` were stored before."""
        stored_sender = self.sealer.stored_sender(sender_id)
        with self.engine.begin() as connection:
            last_id = connection.execute(self._sql.last_id, {"sender": stored_sender}).scalar()
            if recent is None or recent.last_id != last_id:
                recent = None
                already = connection.execute(self._sql.latest_session_count, {"sender": stored_sender}).scalar()
            else:
                already = len(recent.rows)
            new_rows, values = [], []
            for data in storable_events(events, self.sealer, start=already):
                row = StoredRow(data.get("timestamp"), data.get("event"), json.dumps(data))
                new_rows.append(row)
                values.append(
                    {
                        "sender_id": stored_sender,
                        "type_name": row.type_name,
                        "timestamp": row.timestamp,
                        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                        "action_name": data.get("name"),
                        "data": row.data,
                    }
                )
            if values:
                connection.execute(self._sql.insert, values)
                last_id = connection.execute(self._sql.last_id, {"sender": stored_sender}).scalar()
        return (recent.extended(new_rows, last_id) if recent is not None else None), already

    def erase_sync(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many rows went."""
        with self.session_scope() as session:
            removed = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == self.sealer.stored_sender(sender_id))
                .delete(synchronize_session=False)
            )
            session.commit()
            return removed
