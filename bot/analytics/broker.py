"""Rasa's SQL event broker, writing only minimised events, off the event loop.

Declared in endpoints.yml (``event_broker``). Rasa calls ``publish`` for every new
event of every conversation, from its event loop; the stock ``SQLEventBroker``
writes the whole event (text, slots, metadata) with a blocking commit there. This
one keeps the same table but:

- writes what ``bot.analytics.minimise`` keeps, under a keyed pseudonym of the
  conversation id: no text, no identifier ever reaches the database;
- queues the row and lets a writer thread commit in batches: a slow or locked
  database never delays an answer; if the database refuses a batch, it is kept
  and retried (a thousand batches at most, then the oldest are dropped and logged).
  A batch gathers the events of ``FLUSH_EVERY_SECONDS`` (or ``BATCH`` events): one
  commit per event, on a new connection each, cost the Rasa process as much CPU as
  answering the message (30 ms per message, ``docs/performance.md``). The events of
  the last half second are lost only if the process is killed (``atexit`` flushes).

Database: ``ALLOCBOT_EVENTS_DB_URL``, else ``var/events.db`` (endpoints.yml may name
another ``url``). In production a Kafka or RabbitMQ broker (Rasa's own) feeds a
consumer running the same ``minimise`` (docs/deployment.md).
"""

from __future__ import annotations

import atexit
import json
import logging
import queue
import threading
import time
from asyncio import AbstractEventLoop
from typing import Any

from rasa.core.brokers.sql import SQLEventBroker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.exc import SQLAlchemyError

from bot.analytics.minimise import conversation_pseudonym, minimise
from bot.analytics.settings import pseudonym_key
from bot.analytics.staging import STAGED, create_staging_engine

logger = logging.getLogger(__name__)

BATCH = 200
FLUSH_EVERY_SECONDS = 0.5
MAX_PENDING_BATCHES = 1000


class MinimisingEventBroker(SQLEventBroker):
    """``SQLEventBroker``'s table, minimised rows, written by a thread."""

    def __init__(self, url: str | None = None, **_ignored: Any) -> None:
        self.engine = create_staging_engine(url)
        self._key = pseudonym_key()
        self._queue: queue.Queue[dict[str, str] | None] = queue.Queue()
        self._failed: list[list[dict[str, str]]] = []
        self._writer = threading.Thread(target=self._write_forever, name="analytics-broker", daemon=True)
        self._writer.start()
        atexit.register(self.flush)

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> MinimisingEventBroker:
        return cls(url=broker_config.url)

    def publish(self, event: dict[str, Any]) -> None:
        kept = minimise(event, self._key)
        if kept is None:
            return
        sender = conversation_pseudonym(self._key, str(event.get("sender_id") or ""))
        self._queue.put({"sender_id": sender, "data": json.dumps(kept, separators=(",", ":"))})

    def is_ready(self) -> bool:
        return self._writer.is_alive()

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until every queued event is written (tests; the end of the process)."""
        done = threading.Event()
        self._queue.put(None)
        self._flushed = done
        done.wait(timeout)

    async def close(self) -> None:
        self.flush()

    def _write_forever(self) -> None:
        while True:
            rows: list[dict[str, str]] = []
            marker = False
            try:
                item = self._queue.get(timeout=5)  # a batch that failed is retried every 5 s at least
            except queue.Empty:
                item = None
            else:
                marker = item is None
            if item is not None:
                rows.append(item)
            deadline = time.monotonic() + FLUSH_EVERY_SECONDS
            while rows and len(rows) < BATCH and not marker:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    item = self._queue.get(timeout=remaining)
                except queue.Empty:
                    break
                if item is None:
                    marker = True
                else:
                    rows.append(item)
            if rows:
                self._failed.append(rows)
            self._write_failed()
            if marker and getattr(self, "_flushed", None) is not None:
                self._flushed.set()

    def _write_failed(self) -> None:
        while self._failed:
            try:
                with self.engine.begin() as connection:
                    connection.execute(STAGED.insert(), self._failed[0])
            except SQLAlchemyError as error:
                logger.warning(
                    "Événements d'analyse non écrits (%s) : nouvel essai au prochain lot.", type(error).__name__
                )
                if len(self._failed) > MAX_PENDING_BATCHES:
                    dropped = self._failed.pop(0)
                    logger.error("%d événements d'analyse abandonnés (base indisponible).", len(dropped))
                return
            self._failed.pop(0)
