"""Rasa's conversation lock in Redis, safe between replicas (endpoints: ``lock_store``).

Rasa takes a ticket lock per conversation around every message, so that two
messages of one conversation are processed one after the other. With one Rasa
process the in-memory lock store does it; with several replicas the lock must be
shared, and Rasa's ``RedisLockStore`` is not safe for that (RasaHQ/rasa#9213; the
"concurrent" lock store that fixed it is not in Rasa Open Source):

- ``issue_ticket``, ``finish_serving`` and ``cleanup`` each *read* the lock,
  change it in the process and *write it back*. Two replicas doing so at once
  overwrite each other: a ticket is lost and two messages of one conversation run
  together, or ``cleanup`` deletes a lock another replica has just queued in, and
  that replica's message fails with ``LockError`` (``tests/scaled/test_lock_store.py``
  shows both against a real Redis with the stock class).
- Every Redis call is synchronous, in Rasa's event loop, with a 10 s socket timeout.

``AtomicRedisLockStore`` keeps Rasa's ticket format and algorithm but makes each
read-change-write one Redis transaction (``WATCH``/``MULTI``, retried on conflict),
runs the Redis calls in a worker thread with a 1 s timeout, polls every 0.1 s
instead of every second, and gives every lock key an expiry (a replica killed
while holding one leaves nothing behind).

When Redis cannot be reached the conversation is not refused: the replica falls
back to its own in-memory lock (messages of one conversation stay in order on
that replica; across replicas only for as long as Redis is down) and logs it.

``TICKET_LOCK_LIFETIME`` (Rasa's variable, 60 s by default) is how long a ticket
is honoured: a turn longer than it lets the next message of the conversation in
while it still runs. ``check_lock_lifetime`` refuses a lifetime that does not
exceed the slowest turn (the run-scaled command calls it).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, RedisLockStore

from bot.scale.redis_client import redis_url, sync_client

logger = logging.getLogger(__name__)

WAIT_SECONDS = 0.1  # between two looks at the lock while another message of the conversation runs
KEY_MARGIN_SECONDS = 30  # a lock key outlives its last ticket by this much, then Redis forgets it
T = TypeVar("T")


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.RedisError, OSError)


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose every change of a lock is one Redis transaction."""

    def __init__(self, endpoint_config: Any = None, url: str | None = None, key_prefix: str | None = None) -> None:
        configured = getattr(endpoint_config, "url", None) if endpoint_config is not None else None
        kwargs = getattr(endpoint_config, "kwargs", {}) or {}
        self.url = url or configured or redis_url()
        if not self.url:
            raise ValueError("AtomicRedisLockStore a besoin d'une URL Redis (ALLOCBOT_REDIS_URL).")
        self.red = sync_client(self.url)
        self.key_prefix = "lock:"
        if key_prefix or kwargs.get("key_prefix"):
            self._set_key_prefix(key_prefix or kwargs["key_prefix"])
        self._local = InMemoryLockStore()
        self._errors = _redis_errors()
        self._degraded = False
        # LockStore.__init__ takes no argument; RedisLockStore.__init__ would connect with its own settings.

    # --- one transaction per change ---------------------------------------------------------

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply ``change`` to the stored lock atomically: it returns the lock to store (None: delete) and a result."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new, result = change(lock)
                    pipe.multi()
                    if new is None or not new.tickets:
                        pipe.delete(key)
                    else:
                        expires = max(ticket.expires for ticket in new.tickets)
                        pipe.set(key, new.dumps())
                        pipe.expireat(key, int(expires) + KEY_MARGIN_SECONDS)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another replica changed this lock meanwhile: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except self._errors as error:
            raise LockError(f"Redis injoignable : {type(error).__name__}") from error

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Removing the ticket and deleting an empty lock are one step: deleting it after another
        # replica queued a ticket in would make that replica's message fail.
        self.finish_serving(conversation_id, ticket_number)

    def update_lock(self, conversation_id: str) -> None:
        def prune(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, prune)

    # --- Rasa's lock, without blocking its event loop -----------------------------------------

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = WAIT_SECONDS
    ) -> AsyncGenerator[TicketLock, None]:
        wait = min(wait_time_in_seconds, WAIT_SECONDS)
        try:
            ticket = await asyncio.to_thread(self.issue_ticket, conversation_id, lock_lifetime)
        except LockError as error:
            if not isinstance(error.__cause__, self._errors):
                raise
            self._say_degraded(error)
            async with self._local.lock(conversation_id, lock_lifetime, wait) as local:
                yield local
            return
        self._say_recovered()
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait)
        finally:
            try:
                await asyncio.to_thread(self.cleanup, conversation_id, ticket)
            except self._errors as error:  # the key expires by itself
                logger.warning("Verrou de conversation non libéré (Redis : %s) : il expirera.", type(error).__name__)

    async def _acquire_lock(self, conversation_id: str, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            try:
                lock = await asyncio.to_thread(self.get_lock, conversation_id)
            except self._errors as error:
                # Redis went away while this message waited: it goes on rather than being lost.
                self._say_degraded(error)
                return TicketLock(conversation_id)
            if not lock:
                break  # our ticket expired (a turn before ours outlived TICKET_LOCK_LIFETIME)
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def _say_degraded(self, error: BaseException) -> None:
        if not self._degraded:
            logger.error(
                "Redis injoignable (%s) : verrou des conversations local à ce processus jusqu'à son retour.",
                type(error).__name__,
            )
        self._degraded = True

    def _say_recovered(self) -> None:
        if self._degraded:
            logger.warning("Redis de retour : verrou des conversations partagé à nouveau.")
        self._degraded = False


def slowest_turn_seconds(backend_timeout_seconds: float, backend_calls_per_turn: int = 3, margin: float = 5) -> float:
    """An upper bound of one turn: the backend calls of its actions, each given up after its timeout."""
    return backend_calls_per_turn * backend_timeout_seconds + margin


def check_lock_lifetime(lock_lifetime: float, backend_timeout_seconds: float) -> None:
    """Refuse a ``TICKET_LOCK_LIFETIME`` shorter than the slowest turn (two messages would then run together)."""
    slowest = slowest_turn_seconds(backend_timeout_seconds)
    if lock_lifetime <= slowest:
        raise ValueError(
            f"TICKET_LOCK_LIFETIME={lock_lifetime:g} s ne dépasse pas le tour le plus lent ({slowest:g} s : "
            f"délai du backend {backend_timeout_seconds:g} s) : deux messages d'une conversation se chevaucheraient."
        )
