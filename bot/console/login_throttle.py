"""The console's login throttle, shared by every console through Redis, with the process's own as the default.

``LoginThrottle`` (bot/console/accounts.py) counts failed logins per login name and
per client address in the console process's memory: with two consoles behind a
load balancer, a password guesser would get twice the tries, and a console
restarted would forget them. ``login_throttle()`` returns a ``RedisLoginThrottle``
when ``ALLOCBOT_REDIS_URL`` is set (the scaled topology), else the in-memory one;
both are awaited the same way.

In Redis, each counted key (``console-login:login:<name>``,
``console-login:address:<address>``) is a sorted set of failure times, trimmed to
the window at every read and expiring with it. If Redis cannot be reached, the
process's own counts are used meanwhile (they are always kept too): the guard
fails open per console, never refusing every counsellor.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Protocol

from bot.console.accounts import LoginThrottle
from bot.scale.redis_client import async_client, redis_url

logger = logging.getLogger(__name__)


class Throttle(Protocol):
    async def blocked(self, login: str, address: str) -> bool: ...
    async def failed(self, login: str, address: str) -> None: ...
    async def succeeded(self, login: str) -> None: ...


class LocalLoginThrottle:
    """``LoginThrottle`` awaited like the shared one (the embedded default: one console)."""

    def __init__(self, local: LoginThrottle):
        self.local = local

    async def blocked(self, login: str, address: str) -> bool:
        return self.local.blocked(login, address)

    async def failed(self, login: str, address: str) -> None:
        self.local.failed(login, address)

    async def succeeded(self, login: str) -> None:
        self.local.succeeded(login)


class RedisLoginThrottle:
    """The same limits as ``local``, counted in Redis for every console."""

    def __init__(self, url: str, local: LoginThrottle):
        self.local = local
        self.redis = async_client(url)
        self._degraded = False

    def _keys(self, login: str, address: str) -> tuple[str, str]:
        return f"console-login:login:{login}", f"console-login:address:{address}"

    def _down(self, error: Exception) -> None:
        if not self._degraded:
            logger.error("Redis injoignable (%s) : tentatives de connexion comptées par console.", type(error).__name__)
            self._degraded = True

    async def blocked(self, login: str, address: str) -> bool:
        from redis import RedisError

        by_login, by_address = self._keys(login, address)
        oldest = time.time() - self.local.window
        try:
            pipe = self.redis.pipeline(transaction=True)
            pipe.zremrangebyscore(by_login, "-inf", oldest)
            pipe.zremrangebyscore(by_address, "-inf", oldest)
            pipe.zcard(by_login)
            pipe.zcard(by_address)
            *_, logins, addresses = await pipe.execute()
        except (RedisError, OSError) as error:
            self._down(error)
            return self.local.blocked(login, address)
        self._degraded = False
        return logins >= self.local.per_login or addresses >= self.local.per_address

    async def failed(self, login: str, address: str) -> None:
        from redis import RedisError

        self.local.failed(login, address)
        now, expiry = time.time(), max(1, int(self.local.window))
        try:
            pipe = self.redis.pipeline(transaction=True)
            for key in self._keys(login, address):
                pipe.zadd(key, {uuid.uuid4().hex: now})
                pipe.expire(key, expiry)
            await pipe.execute()
        except (RedisError, OSError) as error:
            self._down(error)

    async def succeeded(self, login: str) -> None:
        from redis import RedisError

        self.local.succeeded(login)
        try:
            await self.redis.delete(self._keys(login, "")[0])
        except (RedisError, OSError) as error:
            self._down(error)


def login_throttle(local: LoginThrottle | None = None) -> Throttle:
    """``local``'s limits (``LoginThrottle``'s defaults), shared through Redis when ``ALLOCBOT_REDIS_URL`` is set."""
    local = local or LoginThrottle()
    url = redis_url()
    return RedisLoginThrottle(url, local) if url else LocalLoginThrottle(local)
