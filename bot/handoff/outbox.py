"""Handoff tickets the backend could not take, kept until it can.

When the backend is down at the moment of a handover, the person is told to call
(``utter_handoff_unavailable``) and the ticket is kept here, then stored as soon as
the backend answers again, for ``RETRY_FOR_SECONDS`` at most.

Two keepers, the same interface:

- ``MemoryOutbox`` (``make run``, one action server): in the process's memory. A
  restart of the action server during a backend outage loses what it held.
- ``SharedOutbox`` (``ALLOCBOT_REDIS_URL`` set: ``make run-scaled`` and
  production): a Redis sorted set shared by every action server replica, scored by
  the time of the next attempt. Any replica sweeps it; a ticket is *claimed* by
  moving its score a lease into the future (one Lua script, atomic), and removed
  only once the backend has stored it. A replica that dies holding a claim loses
  nothing: the ticket comes due again when the lease ends and another replica takes
  it. The backend may then receive it twice in the rare case where it stored it and
  the answer was lost; a counsellor seeing two tickets for one conversation is
  better than none. The ticket (its summary and transcript, already redacted) is
  encrypted at rest with a key derived from ``ALLOCBOT_ACTIONS_TOKEN``: renewing
  that secret makes the tickets kept before it unreadable (they are logged and
  dropped; the person was told to call).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken

from bot.common.config import required
from bot.scale.redis_client import async_client, redis_url

log = logging.getLogger(__name__)

RETRY_EVERY_SECONDS = 15.0
RETRY_FOR_SECONDS = 6 * 3600.0
LEASE_SECONDS = 60.0  # longer than one attempt (the backend client's timeout and retries)
OUTBOX_KEY = "allocbot:handoff-outbox"

Deliver = Callable[[dict[str, Any]], Awaitable[Any]]


def _now() -> float:
    """Wall-clock seconds, shared by the replicas (one place, for the tests)."""
    return time.time()


# The first ticket due (score <= now) gets a new score (now + lease) and is returned: one replica claims it.
_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], ARGV[2], due[1])
return due[1]
"""


class Outbox(Protocol):
    async def keep(self, ticket: dict[str, Any]) -> None: ...

    async def sweep(self, deliver: Deliver) -> int:
        """Try every ticket due once; returns how many the backend stored."""
        ...


class MemoryOutbox:
    """One process's tickets, in its memory (the embedded topology)."""

    def __init__(self) -> None:
        self._pending: list[tuple[float, dict[str, Any]]] = []

    async def keep(self, ticket: dict[str, Any]) -> None:
        self._pending.append((time.monotonic(), ticket))

    def __len__(self) -> int:
        return len(self._pending)

    async def sweep(self, deliver: Deliver) -> int:
        stored, still = 0, []
        for since, ticket in self._pending:
            if await _delivered(deliver, ticket):
                stored += 1
            elif time.monotonic() - since < RETRY_FOR_SECONDS:
                still.append((since, ticket))
            else:
                log.error("handoff ticket dropped after %d s of backend outage", RETRY_FOR_SECONDS)
        self._pending = still
        return stored


class SharedOutbox:
    """Every replica's tickets, in Redis, claimed one at a time (module docstring)."""

    def __init__(self, url: str, secret: str, key: str = OUTBOX_KEY) -> None:
        self._redis = async_client(url)
        self._key = key
        self._fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"allocbot-outbox:" + secret.encode()).digest()))
        self._claim = self._redis.register_script(_CLAIM)

    async def keep(self, ticket: dict[str, Any]) -> None:
        entry = {"id": uuid.uuid4().hex, "since": _now(), "ticket": ticket}
        sealed = self._fernet.encrypt(json.dumps(entry).encode()).decode()
        await self._redis.zadd(self._key, {sealed: _now() + RETRY_EVERY_SECONDS})

    async def size(self) -> int:
        return int(await self._redis.zcard(self._key))

    async def sweep(self, deliver: Deliver) -> int:
        stored = 0
        while True:
            now = _now()
            member = await self._claim(keys=[self._key], args=[now, now + LEASE_SECONDS])
            if not member:
                return stored
            member = member.decode() if isinstance(member, bytes) else member
            try:
                entry = json.loads(self._fernet.decrypt(member.encode()))
            except (InvalidToken, ValueError):
                log.error("handoff ticket unreadable (key renewed?): dropped")
                await self._redis.zrem(self._key, member)
                continue
            if await _delivered(deliver, entry["ticket"]):
                await self._redis.zrem(self._key, member)
                stored += 1
            elif now - float(entry["since"]) >= RETRY_FOR_SECONDS:
                log.error("handoff ticket dropped after %d s of backend outage", RETRY_FOR_SECONDS)
                await self._redis.zrem(self._key, member)
            else:
                # Still down: due again at the next round, for every replica; this round stops here.
                await self._redis.zadd(self._key, {member: now + RETRY_EVERY_SECONDS})
                return stored


async def _delivered(deliver: Deliver, ticket: dict[str, Any]) -> bool:
    """True once the backend has the ticket. Any failure (down, refused, Redis) leaves it kept."""
    try:
        created = await deliver(ticket)
    except Exception as error:  # noqa: BLE001 - the backend client's errors and the network's, all "not yet"
        log.info("handoff ticket still not stored (%s)", type(error).__name__)
        return False
    log.info("handoff ticket %s stored after a backend outage", (created or {}).get("reference"))
    return True


def configured_outbox() -> Outbox:
    """Shared in Redis when ``ALLOCBOT_REDIS_URL`` is set (several replicas), else this process's memory."""
    url = redis_url()
    if url is None:
        return MemoryOutbox()
    return SharedOutbox(url, required("ALLOCBOT_ACTIONS_TOKEN"))


class Sweeper:
    """A process's background sweep of one outbox, started once in the running loop.

    The action server starts every registered sweeper when it starts (``bot.actions_server``), so that each
    replica sweeps the shared outbox, also one that kept nothing itself; a handover that keeps a ticket starts
    it too (in-process use, no server)."""

    def __init__(self, outbox: Outbox, deliver: Deliver) -> None:
        self.outbox = outbox
        self.deliver = deliver
        self.task: asyncio.Task | None = None
        SWEEPERS.append(self)

    def start(self, every_seconds: float | None = None) -> None:
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.task.get_loop() is not loop:  # a test's loop may have ended
            self.task = loop.create_task(self._forever(every_seconds))

    async def _forever(self, every_seconds: float | None) -> None:
        while True:
            await asyncio.sleep(RETRY_EVERY_SECONDS if every_seconds is None else every_seconds)
            try:
                await self.outbox.sweep(self.deliver)
            except Exception as error:  # noqa: BLE001 - Redis down: the next round tries again
                log.warning("handoff outbox not swept (%s)", type(error).__name__)


SWEEPERS: list[Sweeper] = []


def start_sweepers() -> None:
    for sweeper in SWEEPERS:
        sweeper.start()
