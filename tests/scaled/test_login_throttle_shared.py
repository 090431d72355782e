"""The console's login throttle shared by two consoles through a real Redis, and each console's own when it is down."""

from __future__ import annotations

from bot.console.accounts import LoginThrottle
from bot.console.login_throttle import RedisLoginThrottle
from tests.scaled.redis_server import RedisServer


async def test_failures_on_one_console_block_the_login_on_the_other() -> None:
    server = RedisServer()
    url = server.start()
    try:
        consoles = [RedisLoginThrottle(url, LoginThrottle(per_login=3, per_address=10)) for _ in range(2)]
        for index in range(3):
            assert not await consoles[1].blocked("c.martin", "198.51.100.1")
            await consoles[index % 2].failed("c.martin", f"198.51.100.{index + 1}")
        assert await consoles[1].blocked("c.martin", "198.51.100.9")  # three failures, spread over both consoles
        assert not await consoles[0].blocked("p.durand", "198.51.100.9")  # another login is not blocked
        await consoles[0].succeeded("c.martin")
        assert not await consoles[1].blocked("c.martin", "198.51.100.9")
    finally:
        server.stop()


async def test_one_address_trying_many_logins_is_blocked_on_both_consoles() -> None:
    server = RedisServer()
    url = server.start()
    try:
        consoles = [RedisLoginThrottle(url, LoginThrottle(per_login=5, per_address=4)) for _ in range(2)]
        for index in range(4):
            await consoles[index % 2].failed(f"login{index}", "203.0.113.5")
        assert await consoles[0].blocked("a.nguyen", "203.0.113.5")
        assert await consoles[1].blocked("s.leroy", "203.0.113.5")
        assert not await consoles[1].blocked("s.leroy", "203.0.113.6")
    finally:
        server.stop()


async def test_with_redis_down_each_console_counts_on_its_own() -> None:
    server = RedisServer()
    url = server.start()
    server.stop()
    console = RedisLoginThrottle(url, LoginThrottle(per_login=2, per_address=10))
    assert not await console.blocked("c.martin", "198.51.100.1")
    await console.failed("c.martin", "198.51.100.1")
    await console.failed("c.martin", "198.51.100.1")
    assert await console.blocked("c.martin", "198.51.100.1")  # still a guard, from the console's own counts
