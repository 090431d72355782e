"""Handoff tickets kept during a backend outage, shared by two action server replicas through a real Redis.

The deliver functions stand for the backend's ``POST /v1/handoff-tickets`` (down, then up): what is under test
is the outbox's claim, lease and removal, between two keepers sharing one Redis.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.handoff import outbox
from bot.handoff.outbox import SharedOutbox
from tests.scaled.redis_server import RedisServer

SECRET = "jeton-des-actions-de-test"


@pytest.fixture()
def redis_url():
    server = RedisServer()
    url = server.start()
    yield url
    server.stop()


def ticket(conversation: str) -> dict:
    return {"conversation_id": conversation, "reason": "human_requested", "summary": "Demande d'un conseiller."}


class Backend:
    """The backend's side of the delivery: down until ``up`` is set, then it stores what it gets."""

    def __init__(self) -> None:
        self.up = False
        self.stored: list[str] = []

    async def deliver(self, given: dict) -> dict:
        if not self.up:
            raise ConnectionError("backend arrêté")
        self.stored.append(given["conversation_id"])
        return {"reference": f"T-{len(self.stored)}"}


async def test_a_ticket_kept_by_one_replica_is_stored_by_the_other(redis_url, monkeypatch) -> None:
    monkeypatch.setattr(outbox, "RETRY_EVERY_SECONDS", 0.0)  # due at once
    first, second = SharedOutbox(redis_url, SECRET), SharedOutbox(redis_url, SECRET)
    backend = Backend()
    await first.keep(ticket("conv-a"))
    await first.keep(ticket("conv-b"))

    assert await second.sweep(backend.deliver) == 0  # still down: both kept
    assert await second.size() == 2
    backend.up = True
    assert await second.sweep(backend.deliver) == 2  # the first replica may be gone: the second stores them
    assert sorted(backend.stored) == ["conv-a", "conv-b"]
    assert await first.size() == 0
    assert await first.sweep(backend.deliver) == 0  # nothing stored twice


async def test_a_claimed_ticket_is_not_taken_by_another_replica_until_its_lease_ends(redis_url, monkeypatch) -> None:
    monkeypatch.setattr(outbox, "RETRY_EVERY_SECONDS", 0.0)
    first, second = SharedOutbox(redis_url, SECRET), SharedOutbox(redis_url, SECRET)
    await first.keep(ticket("conv-slow"))
    backend = Backend()
    backend.up = True
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow_deliver(given: dict) -> dict:
        started.set()
        await release.wait()
        return await backend.deliver(given)

    sweeping = asyncio.create_task(first.sweep(slow_deliver))
    await started.wait()
    assert await second.sweep(backend.deliver) == 0  # claimed by the first: not delivered twice
    release.set()
    assert await sweeping == 1
    assert backend.stored == ["conv-slow"]
    assert await second.size() == 0


async def test_a_replica_that_dies_holding_a_claim_loses_nothing(redis_url, monkeypatch) -> None:
    monkeypatch.setattr(outbox, "RETRY_EVERY_SECONDS", 0.0)
    monkeypatch.setattr(outbox, "LEASE_SECONDS", 0.5)
    first, second = SharedOutbox(redis_url, SECRET), SharedOutbox(redis_url, SECRET)
    await first.keep(ticket("conv-orphan"))
    backend = Backend()
    backend.up = True

    async def dies(given: dict) -> dict:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    dying = asyncio.create_task(first.sweep(dies))
    await asyncio.sleep(0.2)
    dying.cancel()  # the replica is killed in the middle of the delivery
    assert await second.sweep(backend.deliver) == 0  # its lease still runs
    await asyncio.sleep(0.6)
    assert await second.sweep(backend.deliver) == 1
    assert backend.stored == ["conv-orphan"]


async def test_the_ticket_is_encrypted_in_redis_and_unreadable_with_another_key(redis_url, monkeypatch) -> None:
    from bot.scale.redis_client import async_client

    monkeypatch.setattr(outbox, "RETRY_EVERY_SECONDS", 0.0)
    await SharedOutbox(redis_url, SECRET).keep(ticket("conv-secret"))
    raw = await async_client(redis_url).zrange(outbox.OUTBOX_KEY, 0, -1)
    assert len(raw) == 1 and b"conv-secret" not in raw[0] and b"conseiller" not in raw[0]

    backend = Backend()
    backend.up = True
    renewed = SharedOutbox(redis_url, "un-autre-jeton")
    assert await renewed.sweep(backend.deliver) == 0  # unreadable: dropped, not delivered garbled
    assert backend.stored == [] and await renewed.size() == 0


async def test_a_ticket_past_the_retry_period_is_dropped(redis_url, monkeypatch) -> None:
    monkeypatch.setattr(outbox, "RETRY_EVERY_SECONDS", 0.0)
    keeper = SharedOutbox(redis_url, SECRET)
    await keeper.keep(ticket("conv-old"))
    later = outbox._now() + outbox.RETRY_FOR_SECONDS + 1
    monkeypatch.setattr(outbox, "_now", lambda: later)  # six hours later, and more
    assert await keeper.sweep(Backend().deliver) == 0
    assert await keeper.size() == 0
