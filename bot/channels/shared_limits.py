"""Rate limits shared by every replica (Redis), with the process's own limiter as the embedded default.

A sender spread over two replicas by the load balancer would otherwise get twice
its allowance, and a flood could go on from the second replica once the first has
refused it. ``shared_limiter`` returns, for the same settings as
``SenderRateLimiter``, a ``RedisRateLimiter`` when ``ALLOCBOT_REDIS_URL`` is set,
else the in-memory limiter; both are awaited the same way (``allow``/``should_warn``
through ``check``).

The Redis window is a sorted set per sender (one Lua script: drop the hits older
than the window, count, add), so that two replicas counting at once never both
let the last allowed message through. If Redis cannot be reached the replica's
own in-memory window is used meanwhile: a flood guard that fails open per replica
rather than refusing everyone.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Protocol

from bot.channels.rate_limit import SenderRateLimiter
from bot.scale.redis_client import async_client, redis_url

logger = logging.getLogger(__name__)

_SLIDING_WINDOW = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
redis.call('DEL', KEYS[2])
return 1
"""


class Limiter(Protocol):
    async def check(self, sender: str) -> tuple[bool, bool]: ...


class LocalLimiter:
    """The in-memory ``SenderRateLimiter`` behind the awaitable interface."""

    def __init__(self, limiter: SenderRateLimiter):
        self.limiter = limiter

    async def check(self, sender: str) -> tuple[bool, bool]:
        """(allowed, warn): warn is True the first time a refused sender is told."""
        if self.limiter.allow(sender):
            return True, False
        return False, self.limiter.should_warn(sender)


class RedisRateLimiter:
    """The same sliding window, kept in Redis under ``limit:<name>:<sender>``."""

    def __init__(self, url: str, name: str, fallback: SenderRateLimiter):
        self.name = name
        self.max_messages = fallback.max_messages
        self.per_seconds = fallback.per_seconds
        self.fallback = fallback
        self.redis = async_client(url)
        self._script = self.redis.register_script(_SLIDING_WINDOW)
        self._degraded = False

    async def check(self, sender: str) -> tuple[bool, bool]:
        from redis import RedisError

        key = f"limit:{self.name}:{sender}"
        warned = f"{key}:warned"
        try:
            allowed = await self._script(
                keys=[key, warned], args=[time.time(), self.per_seconds, self.max_messages, uuid.uuid4().hex]
            )
            if allowed:
                self._degraded = False
                return True, False
            # Told once per window, whichever replica refuses.
            return False, bool(await self.redis.set(warned, 1, nx=True, ex=max(1, int(self.per_seconds))))
        except (RedisError, OSError) as error:
            if not self._degraded:
                logger.error(
                    "Redis injoignable (%s) : limite « %s » comptée par processus.", type(error).__name__, self.name
                )
                self._degraded = True
            if self.fallback.allow(sender):
                return True, False
            return False, self.fallback.should_warn(sender)


def shared_limiter(name: str, local: SenderRateLimiter) -> Limiter:
    """``local``'s settings, shared through Redis when ``ALLOCBOT_REDIS_URL`` is set."""
    url = redis_url()
    return RedisRateLimiter(url, name, local) if url else LocalLimiter(local)
