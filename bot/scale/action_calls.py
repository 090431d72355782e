"""Rasa's calls to the action server over connections kept alive, each with a deadline.

Rasa 3.6's ``EndpointConfig.request`` opens a new ``aiohttp.ClientSession`` for
every call and closes it after: each custom action a turn runs (the session
start, the form's validation, the answer: two to four a turn) made a TCP
connection and tore it down, on Rasa's side and on the action server's. And
``RemoteAction.run`` gives each call a timeout of five minutes
(``DEFAULT_REQUEST_TIMEOUT``), far past the 30 s a person's client waits: a
hung action server left the turn hanging until the client gave up, with no
answer.

``ActionCalls`` keeps one session per event loop, whose connector keeps idle
connections for ``KEEPALIVE_SECONDS``: less than the action server's keep-alive
(Sanic's 5 s) and HAProxy's (``timeout http-request``, 10 s), so a connection is
never reused at the moment the server closes it. Every call is bounded by
``ALLOCBOT_ACTION_TIMEOUT_SECONDS`` (20 s by default: the action server gives up
a hung backend within 3 s a call, ``actions/backend_client.py``); past it Rasa
raises as for any unreachable action server, and ``install_unreachable_action_answer``
says so in French. What the call sends and how its answer is read are Rasa's
own (``request`` is its method with the session kept), so a 400 from the
action server still rejects a form's slot.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import weakref
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 4.0
TIMEOUT_VARIABLE = "ALLOCBOT_ACTION_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT_SECONDS = 20.0
CONNECTIONS = 100


def timeout_seconds(environ: dict[str, str] | None = None) -> float:
    """The deadline of one call to the action server, from the environment."""
    raw = (os.environ if environ is None else environ).get(TIMEOUT_VARIABLE, "")
    if not raw:
        return DEFAULT_TIMEOUT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{TIMEOUT_VARIABLE} doit être un nombre de secondes, pas « {raw} ».") from None
    if value <= 0:
        raise ValueError(f"{TIMEOUT_VARIABLE} doit être positif, pas « {raw} ».")
    return value


class ActionCalls:
    """One kept-alive ``aiohttp`` session per running event loop, and Rasa's ``request`` through it."""

    def __init__(self, deadline_seconds: float):
        self.deadline_seconds = deadline_seconds
        self._sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession] = (
            weakref.WeakKeyDictionary()
        )

    def session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            connector = aiohttp.TCPConnector(limit=CONNECTIONS, keepalive_timeout=KEEPALIVE_SECONDS)
            session = aiohttp.ClientSession(connector=connector)
            self._sessions[loop] = session
        return session

    def timeout(self, given: Any) -> aiohttp.ClientTimeout:
        """Rasa's own timeout for the call when it is shorter, the deadline otherwise."""
        total = self.deadline_seconds
        if isinstance(given, aiohttp.ClientTimeout) and given.total:
            total = min(total, given.total)
        elif isinstance(given, (int, float)) and given > 0:
            total = min(total, float(given))
        return aiohttp.ClientTimeout(total=total)

    async def close(self) -> None:
        """Close this loop's session (the server is stopping)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        session = self._sessions.pop(loop, None)
        if session is not None and not session.closed:
            await session.close()

    async def request(
        self,
        endpoint: Any,
        method: str = "post",
        subpath: str | None = None,
        content_type: str | None = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Any:
        """``EndpointConfig.request`` (Rasa 3.6.21) with the session kept and the deadline applied."""
        from rasa.utils.endpoints import ClientResponseError, concat_url

        headers: dict[str, str] = {}
        if content_type:
            headers["Content-Type"] = content_type
        if "headers" in kwargs:
            headers.update(kwargs.pop("headers"))
        if endpoint.headers:
            headers.update(endpoint.headers)
        auth = None
        if endpoint.basic_auth:
            auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
        sslcontext = ssl.create_default_context(cafile=endpoint.cafile) if endpoint.cafile else None
        timeout = self.timeout(kwargs.pop("timeout", None))
        try:
            async with self.session().request(
                method,
                concat_url(endpoint.url, subpath),
                headers=headers,
                auth=auth,
                params=endpoint.combine_parameters(kwargs),
                compress=compress,
                ssl=sslcontext,
                timeout=timeout,
                **kwargs,
            ) as response:
                if response.status >= 400:
                    raise ClientResponseError(response.status, response.reason, await response.content.read())
                try:
                    return await response.json()
                except aiohttp.ContentTypeError:
                    return None
        except aiohttp.ServerTimeoutError:
            raise
        except asyncio.TimeoutError as error:
            # A connection error to Rasa's RemoteAction (a bare TimeoutError would escape it as a failed message).
            raise aiohttp.ServerTimeoutError(f"pas de réponse en {timeout.total:g} s") from error
