"""The channels' rate limits shared by the replicas through a real Redis, and each replica's own when it is down."""

from __future__ import annotations

from bot.channels.rate_limit import SenderRateLimiter
from bot.channels.shared_limits import RedisRateLimiter
from tests.scaled.redis_server import RedisServer


async def test_two_replicas_share_one_window_and_warn_once() -> None:
    server = RedisServer()
    url = server.start()
    try:
        replicas = [RedisRateLimiter(url, "test", SenderRateLimiter(3, 60)) for _ in range(2)]
        verdicts = [await replicas[index % 2].check("web-abc") for index in range(6)]
        assert [allowed for allowed, _ in verdicts] == [True, True, True, False, False, False]
        assert [warn for _, warn in verdicts] == [False, False, False, True, False, False]  # told once, by either
        assert (await replicas[0].check("web-other"))[0]  # another sender has its own window
    finally:
        server.stop()


async def test_with_redis_down_each_replica_counts_on_its_own() -> None:
    server = RedisServer()
    url = server.start()
    server.stop()
    replica = RedisRateLimiter(url, "test", SenderRateLimiter(2, 60))
    verdicts = [await replica.check("web-abc") for _ in range(3)]
    assert verdicts == [(True, False), (True, False), (False, True)]  # still a flood guard, never refusing all
