"""socket.io between replicas: python-socketio's ``AsyncRedisManager``, made to survive a Redis restart.

A browser's socket lives on one Rasa replica (the load balancer keeps it there:
sticky sessions). A counsellor's reply is sent by the console through Rasa's API
to whichever replica the load balancer picks; with the Redis manager every emit is
published on a Redis channel and each replica delivers it to the sockets it holds.

python-socketio 5.9's manager (kept: Rasa 3.6's channel needs that version) has
three weaknesses when Redis goes away, fixed here:

- an emit that cannot be published is dropped: here it is delivered to this
  replica's own sockets instead (during an outage a person still gets the bot's
  answers; only a reply sent through another replica waits for Redis);
- the first subscription is outside its retry loop (a Redis down at that moment
  stops the listener, which then spins): here every subscription is retried;
- it waits up to 60 s between retries: here at most 2 s, so a restarted Redis is
  used again within seconds.

Without ``ALLOCBOT_REDIS_URL`` (``make run``) the server keeps its in-memory manager.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
from typing import Any

from socketio import AsyncManager, AsyncRedisManager

from bot.scale.redis_client import SOCKET_TIMEOUT_SECONDS, redis_url

logger = logging.getLogger(__name__)

CHANNEL = "allocbot-socketio"
MAX_RETRY_SECONDS = 2.0


class SharedSocketManager(AsyncRedisManager):
    async def _publish(self, data: Any) -> Any:
        from redis import RedisError

        try:
            return await asyncio.wait_for(self.redis.publish(self.channel, pickle.dumps(data)), SOCKET_TIMEOUT_SECONDS)
        except (RedisError, OSError, asyncio.TimeoutError) as error:
            logger.error("socket.io : Redis injoignable (%s), message remis aux sockets locaux.", type(error).__name__)
            if isinstance(data, dict) and data.get("method") == "emit":
                await AsyncManager.emit(
                    self,
                    data["event"],
                    data["data"],
                    namespace=data.get("namespace"),
                    room=data.get("room"),
                    skip_sid=data.get("skip_sid"),
                )
            return None

    async def _listen(self):  # type: ignore[override]
        from redis import RedisError

        channel = self.channel.encode("utf-8")
        delay = 0.25
        while True:
            try:
                await self.pubsub.subscribe(self.channel)
                if delay > 0.25:
                    logger.warning("socket.io : Redis de retour, abonnement rétabli.")
                delay = 0.25
                async for message in self.pubsub.listen():
                    if message["channel"] == channel and message["type"] == "message" and "data" in message:
                        yield message["data"]
            except (RedisError, OSError) as error:
                logger.error(
                    "socket.io : abonnement Redis perdu (%s), nouvel essai dans %.1f s.", type(error).__name__, delay
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)
                old, self.pubsub = self.pubsub, self.redis.pubsub(ignore_subscribe_messages=True)
                try:
                    await old.close()
                except (RedisError, OSError):
                    pass


def socket_manager() -> AsyncManager | None:
    """The Redis manager when ``ALLOCBOT_REDIS_URL`` is set; None: python-socketio's in-memory one."""
    url = redis_url()
    if not url:
        return None
    # No socket timeout on the subscription: it waits for messages as long as it takes.
    return SharedSocketManager(url, channel=CHANNEL, redis_options={"socket_connect_timeout": SOCKET_TIMEOUT_SECONDS})
