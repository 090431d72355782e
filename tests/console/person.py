"""A job seeker on the website: a real socket.io client talking to the real Rasa server.

python-socketio's AsyncClient runs on its own event loop in a background thread,
so that the synchronous browser tests (Playwright's sync API) can drive both the
person and the counsellor. What the bot (or the counsellor, through Rasa) sends
the person arrives as ``bot_uttered`` events and waits in a queue.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time

import socketio

from bot.channels.webchat import conversation_of
from tests.fakes.addresses import new_address


class Person:
    """``key`` is what the browser holds (confirmed by the channel); ``session_id`` the conversation id
    Rasa, the backend and the console know, derived from it. Each person has an address of their own
    behind the proxy (``X-Forwarded-For``; the test stack trusts 127.0.0.1 as its proxy)."""

    def __init__(self, rasa_url: str, key: str | None = None, address: str | None = None):
        self.key = key
        self.session_id: str | None = None
        self.address = address or new_address()
        self.received: queue.Queue[dict] = queue.Queue()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._confirmed = threading.Event()
        self._client: socketio.AsyncClient | None = None
        self._run(self._connect(rasa_url))
        if not self._confirmed.wait(30):
            raise AssertionError("Rasa n'a pas confirmé la session socket.io")

    def _run(self, coroutine, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    async def _connect(self, rasa_url: str) -> None:
        client = socketio.AsyncClient(reconnection=False)

        @client.on("bot_uttered")
        async def bot_uttered(data):
            self.received.put(data)

        @client.on("session_confirm")
        async def session_confirm(data):
            if isinstance(data, str):
                self.key, self.session_id = data, conversation_of(data)
            self._confirmed.set()

        await client.connect(
            rasa_url,
            socketio_path="/socket.io",
            transports=["polling"],
            wait_timeout=20,
            headers={"X-Forwarded-For": self.address},
        )
        self._client = client
        await client.emit("session_request", {"session_id": self.key})

    def say(self, text: str) -> None:
        self._run(self._client.emit("user_uttered", {"message": text, "session_id": self.key}))

    def next_text(self, timeout: float = 60) -> str:
        try:
            return self.received.get(timeout=timeout).get("text", "")
        except queue.Empty:
            raise AssertionError(f"rien reçu en {timeout:.0f} s") from None

    def wait_for(self, fragment: str, timeout: float = 60) -> list[str]:
        """Every text received until one contains ``fragment`` (case-insensitive)."""
        texts, deadline = [], time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"« {fragment} » jamais reçu ; reçu : {texts}")
            texts.append(self.next_text(remaining))
            if fragment.lower() in texts[-1].lower():
                return texts

    def drain(self) -> list[str]:
        """What arrived and was not read yet."""
        texts = []
        while True:
            try:
                texts.append(self.received.get_nowait().get("text", ""))
            except queue.Empty:
                return texts

    def close(self) -> None:
        try:
            if self._client is not None:
                self._run(self._client.disconnect(), timeout=10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
