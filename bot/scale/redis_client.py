"""The Redis URL and clients with short timeouts (a Redis that hangs must not hang a turn)."""

from __future__ import annotations

import os

REDIS_URL_VARIABLE = "ALLOCBOT_REDIS_URL"
SOCKET_TIMEOUT_SECONDS = 1.0


def redis_url() -> str | None:
    """``ALLOCBOT_REDIS_URL`` (``redis://host:port/0``), or None for the embedded, single-process default."""
    return (os.environ.get(REDIS_URL_VARIABLE) or "").strip() or None


def sync_client(url: str):
    import redis

    return redis.Redis.from_url(
        url,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        health_check_interval=10,
    )


def async_client(url: str):
    from redis import asyncio as aioredis

    return aioredis.Redis.from_url(
        url,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        health_check_interval=10,
    )
