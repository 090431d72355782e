"""Rasa's conversation lock shared by replicas, against a real Redis: the pitfalls tested, not assumed.

Two lock-store instances stand for two Rasa replicas (each has its own Redis
connection, as two processes would). Rasa's stock ``RedisLockStore`` loses tickets
when two replicas take one at once (RasaHQ/rasa#9213); ``AtomicRedisLockStore``
does not; a ticket lifetime shorter than a turn lets two turns overlap.
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from rasa.core.lock_store import RedisLockStore

from bot.scale.lock_store import AtomicRedisLockStore, check_lock_lifetime, slowest_turn_seconds
from tests.scaled.redis_server import RedisServer


@pytest.fixture(scope="module")
def redis_url():
    server = RedisServer()
    url = server.start()
    yield url
    server.stop()


def stock(port: int) -> RedisLockStore:
    return RedisLockStore(host="127.0.0.1", port=port, db=0, key_prefix="stock")


def test_rasa_s_stock_redis_lock_store_gives_two_replicas_the_same_ticket(redis_url) -> None:
    """The read-change-write of issue_ticket, interleaved as two replicas interleave it: both are first."""
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    replica_a, replica_b = stock(port), stock(port)
    lock_a = replica_a.get_or_create_lock("conv-race")  # replica A reads the lock…
    lock_b = replica_b.get_or_create_lock("conv-race")  # …and replica B too, before A writes it back
    ticket_a, ticket_b = lock_a.issue_ticket(60), lock_b.issue_ticket(60)
    replica_a.save_lock(lock_a)
    replica_b.save_lock(lock_b)
    assert ticket_a == ticket_b  # both served at once: the two messages run together
    assert len(replica_a.get_lock("conv-race").tickets) == 1  # and A's ticket is gone
    replica_a.delete_lock("conv-race")


def test_the_atomic_lock_store_never_gives_a_ticket_twice(redis_url) -> None:
    replicas = [AtomicRedisLockStore(url=redis_url) for _ in range(4)]
    tickets: list[int] = []
    guard = threading.Lock()

    def take(store: AtomicRedisLockStore) -> None:
        for _ in range(50):
            number = store.issue_ticket("conv-atomic", 60)
            with guard:
                tickets.append(number)

    threads = [threading.Thread(target=take, args=(store,)) for store in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(200))
    assert len(replicas[0].get_lock("conv-atomic").tickets) == 200
    for number in tickets:
        replicas[number % 4].cleanup("conv-atomic", number)
    assert replicas[0].get_lock("conv-atomic") is None  # the last one out deleted it, and only then


async def run_turns(
    stores: list[AtomicRedisLockStore], conversation: str, turns: int, seconds: float, lifetime: float, spacing=0.02
):
    """``turns`` messages of one conversation, spread over the replicas, each holding the lock ``seconds``."""
    inside, most, order = 0, 0, []

    async def turn(index: int) -> None:
        nonlocal inside, most
        await asyncio.sleep(index * spacing)  # sent in this order, a few ms apart
        async with stores[index % len(stores)].lock(conversation, lock_lifetime=lifetime):
            inside += 1
            most = max(most, inside)
            order.append(index)
            await asyncio.sleep(seconds)
            inside -= 1

    await asyncio.gather(*(turn(index) for index in range(turns)))
    return most, order


async def test_messages_of_one_conversation_on_two_replicas_run_one_after_the_other_in_order(redis_url) -> None:
    replicas = [AtomicRedisLockStore(url=redis_url) for _ in range(2)]
    most, order = await run_turns(replicas, "conv-order", turns=8, seconds=0.1, lifetime=60)
    assert most == 1
    assert order == list(range(8))


async def test_a_ticket_lifetime_shorter_than_a_turn_lets_two_turns_overlap(redis_url) -> None:
    """TICKET_LOCK_LIFETIME must exceed the slowest turn: here it does not, and the lock stops protecting."""
    replicas = [AtomicRedisLockStore(url=redis_url) for _ in range(2)]
    most, _ = await run_turns(replicas, "conv-short", turns=2, seconds=1.5, lifetime=0.5, spacing=0.7)
    assert most == 2
    with pytest.raises(ValueError, match="TICKET_LOCK_LIFETIME"):
        check_lock_lifetime(10, backend_timeout_seconds=3)
    check_lock_lifetime(60, backend_timeout_seconds=3)
    assert slowest_turn_seconds(3) < 60


async def test_with_redis_down_each_replica_keeps_answering_with_its_own_lock() -> None:
    server = RedisServer()
    url = server.start()
    replica = AtomicRedisLockStore(url=url)
    server.stop()
    most, order = await run_turns([replica], "conv-down", turns=3, seconds=0.05, lifetime=60)
    assert (most, order) == (1, [0, 1, 2])
