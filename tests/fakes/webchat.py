"""A browser tab as the website channel sees it: a real socket.io client talking to the real Rasa server.

python-socketio's client speaks the same protocol as rasa-webchat's socket.io v3
client (Engine.IO 4); the browser tests prove the real widget separately.
"""

from __future__ import annotations

import queue
import time

import httpx
import socketio

from bot.channels.webchat import conversation_of
from tests.fakes.addresses import new_address
from tests.servers import RASA_TOKEN


class Widget:
    """One browser tab as the channel sees it: a socket, a confirmed session, the bot's messages.

    The synchronous client over HTTP long-polling: Rasa's pinned aiohttp is too old for the async
    client's WebSocket transport, and the channel's logic is the same on both transports.
    """

    def __init__(self, rasa_url: str, address: str | None = None):
        self.rasa_url = rasa_url
        self.address = address or new_address()  # its own client address behind the (trusted) proxy
        self.client = socketio.Client(reconnection=False)
        self.received: queue.Queue = queue.Queue()
        self.confirmed: queue.Queue = queue.Queue()
        self.key: str | None = None  # what the browser holds
        self.session_id: str | None = None  # the conversation id Rasa knows
        self.client.on("bot_uttered", self.received.put)
        self.client.on("session_confirm", self.confirmed.put)

    def open(self, session_id=None, request_session: bool = True) -> Widget:
        self.client.connect(
            self.rasa_url,
            socketio_path="/socket.io",
            transports=["polling"],
            wait_timeout=30,
            headers={"X-Forwarded-For": self.address},
        )
        if request_session:
            self.client.emit("session_request", {"session_id": session_id})
            self.key = self.confirmed.get(timeout=30)
            self.session_id = conversation_of(self.key)
        return self

    def send(self, message, **custom_data) -> None:
        self.client.emit("user_uttered", {"message": message, "customData": custom_data, "session_id": self.key})

    def next_text(self) -> str:
        return self.received.get(timeout=60).get("text", "")

    def wait_for(self, fragment: str, timeout: float = 90) -> list[str]:
        """Every text received until one contains ``fragment`` (case-insensitive)."""
        texts, deadline = [], time.monotonic() + timeout
        while fragment.lower() not in (texts[-1].lower() if texts else ""):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"« {fragment} » jamais reçu ; reçu : {texts}")
            try:
                texts.append(self.received.get(timeout=remaining).get("text", ""))
            except queue.Empty:
                continue
        return texts

    def drain(self) -> None:
        while not self.received.empty():
            self.received.get_nowait()

    def close(self) -> None:
        self.client.disconnect()

    def user_events(self) -> list[dict]:
        tracker = httpx.get(
            f"{self.rasa_url}/conversations/{self.session_id}/tracker", params={"token": RASA_TOKEN}, timeout=30
        ).json()
        return [event for event in tracker["events"] if event["event"] == "user"]
