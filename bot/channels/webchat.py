"""The website widget's channel: Rasa's socket.io channel, hardened for a public page.

rasa-webchat 1.0.1 (socket.io v3) talks to it with the usual events
(``session_request`` → ``session_confirm``, ``user_uttered`` → ``bot_uttered``).
It differs from Rasa's ``SocketIOInput`` where a public page needs it to:

- **Metadata is built here, never passed through.** The widget sends a
  ``customData`` object that anyone can forge; only its ``site_token`` string is
  kept, under ``{"allocbot": {"channel": "web", "site_token": ...}}``. The
  actions verify that token (``bot.site_token``); the channel only carries it.
- **Conversation ids are ours.** A session id is ``web-`` + 32 hex digits made
  by the server; anything else a client proposes is replaced by a new one. A
  client can therefore never write into an SMS/WhatsApp conversation by naming
  its id, and a socket only speaks in the session it was confirmed.
- **Floods and huge messages stop here**, answered in French, before Rasa:
  one ``SenderRateLimiter`` per session, a maximum message length.

``name()`` stays ``"socketio"`` so that Rasa's ``output_channel=latest`` (the
counsellor console's replies) finds this channel and its output channel.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from socketio import AsyncServer

from bot.channels.rate_limit import RATE_LIMITED_TEXT, SenderRateLimiter

logger = logging.getLogger(__name__)

CHANNEL = "web"
SESSION_ID = re.compile(r"^web-[0-9a-f]{32}$")
MAX_MESSAGE_CHARS = int(os.environ.get("ALLOCBOT_WEB_MAX_MESSAGE_CHARS") or 1000)
MAX_SITE_TOKEN_CHARS = 2048  # a real token is ~250 characters

TOO_LONG_TEXT = (
    "Votre message est trop long pour que je le lise "
    f"(plus de {MAX_MESSAGE_CHARS} caractères). Pouvez-vous le raccourcir ?"
)
NOT_TEXT_TEXT = "Je ne peux lire que des messages écrits. Pouvez-vous reformuler par écrit ?"
NO_SESSION_TEXT = "La connexion a été interrompue. Rechargez la page pour reprendre la conversation."


# Amounts are written with plain spaces ("1 234,56 €", bot.formatting); in a narrow chat bubble
# the browser would break "1 234,56" from "€". Only the display changes: the words stay the same.
_AMOUNT_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d)|€)")


def keep_amounts_together(text: str) -> str:
    return _AMOUNT_SPACE.sub("\u00a0", text)


class WebchatOutput(SocketIOOutput):
    """Rasa's socket.io output, with amounts that never wrap inside a bubble."""

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if isinstance(response, dict) and isinstance(response.get("text"), str):
            response = {**response, "text": keep_amounts_together(response["text"])}
        await super()._send_message(socket_id, response)


def new_session_id() -> str:
    return f"web-{uuid.uuid4().hex}"


def build_metadata(custom_data: Any) -> dict:
    """The only metadata Rasa receives from the web: the channel and, if well-formed, the site token."""
    allocbot: dict[str, str] = {"channel": CHANNEL}
    if isinstance(custom_data, dict):
        token = custom_data.get("site_token")
        if isinstance(token, str) and 0 < len(token) <= MAX_SITE_TOKEN_CHARS:
            allocbot["site_token"] = token
    return {"allocbot": allocbot}


async def _maybe_await(result: Any) -> None:
    # enter_room/leave_room are plain functions in python-socketio 5.9 and coroutines later.
    if inspect.isawaitable(result):
        await result


class WebchatInput(SocketIOInput):
    """socket.io channel for rasa-webchat with our own session ids, metadata, size and rate limits."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Per session; ALLOCBOT_RATE_LIMIT_* (shared with SMS and WhatsApp) tunes it without a release.
        self.rate_limiter = SenderRateLimiter.from_env()
        self._sessions: dict[str, str] = {}  # socket id -> the session it was confirmed

    def get_output_channel(self) -> WebchatOutput | None:
        """The output channel Rasa uses for ``output_channel=latest`` (the counsellor console's replies)."""
        return WebchatOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])  # CORS is Sanic's (rasa run --cors)
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        sessions = self._sessions
        namespace = self.namespace

        async def say(room: str, text: str) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=room, namespace=namespace)

        @webhook.route("/", methods=["GET"])
        async def health(_request):
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, _environ: dict, _auth: Any = None) -> bool:
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str) -> None:
            sessions.pop(sid, None)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            proposed = data.get("session_id") if isinstance(data, dict) else None
            session_id = proposed if isinstance(proposed, str) and SESSION_ID.match(proposed) else new_session_id()
            previous = sessions.get(sid)
            if previous and previous != session_id:
                await _maybe_await(sio.leave_room(sid, previous, namespace=namespace))
            sessions[sid] = session_id
            # Always a room, so that the counsellor console (output_channel=latest) reaches every tab of it.
            await _maybe_await(sio.enter_room(sid, session_id, namespace=namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            session_id = sessions.get(sid)
            if session_id is None:
                await say(sid, NO_SESSION_TEXT)
                return
            if not self.rate_limiter.allow(session_id):
                if self.rate_limiter.should_warn(session_id):
                    await say(session_id, RATE_LIMITED_TEXT)
                return
            text = data.get("message") if isinstance(data, dict) else None
            if not isinstance(text, str):
                await say(session_id, NOT_TEXT_TEXT)
                return
            if len(text) > MAX_MESSAGE_CHARS:
                await say(session_id, TOO_LONG_TEXT)
                return
            message = UserMessage(
                text,
                WebchatOutput(sio, self.bot_message_evt),
                session_id,
                input_channel=self.name(),
                metadata=build_metadata(data.get("customData")),
            )
            await on_new_message(message)

        return webhook
