"""The website widget's channel: Rasa's socket.io channel, hardened for a public page.

rasa-webchat 1.0.1 (socket.io v3) talks to it with the usual events
(``session_request`` → ``session_confirm``, ``user_uttered`` → ``bot_uttered``).
It differs from Rasa's ``SocketIOInput`` where a public page needs it to:

- **Metadata is built here, never passed through.** The widget sends a
  ``customData`` object that anyone can forge; only its ``site_token`` string is
  kept, under ``{"allocbot": {"channel": "web", "site_token": ...}}``. The
  actions verify that token (``bot.site_token``); the channel only carries it.
- **A conversation id is never a credential.** The browser holds a *session
  key* (43 random characters made by the server, kept by rasa-webchat in the
  tab's storage and sent back in ``session_request``); the conversation id that
  Rasa, the backend, the console and the logs see is ``web-`` + 32 hex digits of
  its SHA-256. Knowing a conversation id (from a log, a ticket) therefore gives
  nothing: sent as a session key it is not one, and a key cannot be computed
  back from the id. Anything else a client proposes gets a new key. A client can
  never write into an SMS/WhatsApp conversation, and a socket only speaks in the
  session it was confirmed.
- **Floods and huge messages stop here**, answered in French, before Rasa:
  one ``SenderRateLimiter`` per session, another on new sessions per client
  address (``ALLOCBOT_WEB_NEW_SESSIONS_MAX`` per minute, 30 by default: a whole
  agency may share one address), a maximum message length.
- **Typed payloads** (``/intent{...}``) keep only well-formed known entities
  (``bot.channels.inbound``); the metadata names the origin by a keyed hash of
  its address (``source``), for the backend's per-origin throttles.
- **Markdown stays text.** rasa-webchat renders messages as Markdown: every
  message sent (the bot's and a counsellor's) keeps only ``http(s)`` links and
  no image (``safe_markdown``).

``name()`` stays ``"socketio"`` so that Rasa's ``output_channel=latest`` (the
counsellor console's replies) finds this channel and its output channel.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from socketio import AsyncServer

from bot.channels.inbound import clean_payload, source_of
from bot.channels.rate_limit import RATE_LIMITED_TEXT, SenderRateLimiter
from bot.channels.shared_limits import shared_limiter
from bot.common.web import client_address, conversation_of, trusted_proxies
from bot.scale.socket_manager import socket_manager

logger = logging.getLogger(__name__)

CHANNEL = "web"
SESSION_ID = re.compile(r"^web-[0-9a-f]{32}$")  # a conversation id of this channel
SESSION_KEY = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what the browser holds
MAX_MESSAGE_CHARS = int(os.environ.get("ALLOCBOT_WEB_MAX_MESSAGE_CHARS") or 1000)
MAX_SITE_TOKEN_CHARS = 2048  # a real token is ~250 characters

TOO_LONG_TEXT = (
    "Votre message est trop long pour que je le lise "
    f"(plus de {MAX_MESSAGE_CHARS} caractères). Pouvez-vous le raccourcir ?"
)
NOT_TEXT_TEXT = "Je ne peux lire que des messages écrits. Pouvez-vous reformuler par écrit ?"
NO_SESSION_TEXT = "La connexion a été interrompue. Rechargez la page pour reprendre la conversation."
TOO_MANY_SESSIONS_TEXT = (
    "Trop de conversations ont été ouvertes depuis votre connexion en peu de temps. "
    "Merci de patienter une minute, puis de recharger la page."
)


# Amounts are written with plain spaces ("1 234,56 €", bot.formatting); in a narrow chat bubble
# the browser would break "1 234,56" from "€". Only the display changes: the words stay the same.
_AMOUNT_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d)|€)")


def keep_amounts_together(text: str) -> str:
    return _AMOUNT_SPACE.sub("\u00a0", text)


# rasa-webchat renders Markdown. What could run or load something is made literal with a backslash:
# a link whose destination is not http(s) (``](javascript:…)``, ``](data:…)``, ``](<…>)``), the ``!``
# of an image (it becomes a plain link), a reference definition (``[x]: javascript:…``) and autolinks
# other than http(s) (``<javascript:…>``). rasa-webchat already shows raw HTML as text.
_NOT_WEB_LINK = re.compile(r"\]\((?!\s*https?://)")
_IMAGE = re.compile(r"!(?=\[)")
_DEFINITION = re.compile(r"^( {0,3})\[(?=[^\]\n]*\]:)", re.MULTILINE)
_AUTOLINK = re.compile(r"<(?!https?://)(?=[A-Za-z][A-Za-z0-9+.-]{1,31}:)")  # raw HTML is shown as text already


def safe_markdown(text: str) -> str:
    """The text as the widget should show it: only http(s) links, no image."""
    text = _NOT_WEB_LINK.sub(r"]\\(", text)
    text = _IMAGE.sub(r"\\!", text)
    text = _DEFINITION.sub(r"\1\\[", text)
    return _AUTOLINK.sub(r"\\<", text)


class WebchatOutput(SocketIOOutput):
    """Rasa's socket.io output: amounts that never wrap inside a bubble, Markdown that stays text."""

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if isinstance(response, dict) and isinstance(response.get("text"), str):
            response = {**response, "text": keep_amounts_together(safe_markdown(response["text"]))}
        await super()._send_message(socket_id, response)


def new_session_key() -> str:
    return secrets.token_urlsafe(32)


def build_metadata(custom_data: Any, source: str | None = None) -> dict:
    """The only metadata Rasa receives from the web: the channel, the origin's hash and, if well-formed,
    the site token."""
    allocbot: dict[str, str] = {"channel": CHANNEL}
    if source:
        allocbot["source"] = source
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
        # Shared by the replicas through Redis when ALLOCBOT_REDIS_URL is set (bot/channels/shared_limits.py).
        self.rate_limiter = shared_limiter("web", SenderRateLimiter.from_env())
        self.new_sessions = shared_limiter(
            "web-new-sessions",
            SenderRateLimiter(
                int(os.environ.get("ALLOCBOT_WEB_NEW_SESSIONS_MAX") or 30),
                float(os.environ.get("ALLOCBOT_WEB_NEW_SESSIONS_PER_SECONDS") or 60),
            ),
        )
        self.proxies = trusted_proxies()
        self._sessions: dict[str, str] = {}  # socket id -> the conversation it was confirmed
        self._sources: dict[str, str] = {}  # socket id -> the hash of its client's address

    def get_output_channel(self) -> WebchatOutput | None:
        """The output channel Rasa uses for ``output_channel=latest`` (the counsellor console's replies)."""
        return WebchatOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # CORS is Sanic's (rasa run --cors). With several replicas, an emit goes through Redis to the replica
        # that holds the socket (bot/scale/socket_manager.py): a counsellor's reply sent through any replica.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], client_manager=socket_manager())
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        sessions, sources = self._sessions, self._sources
        namespace = self.namespace

        async def say(room: str, text: str) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=room, namespace=namespace)

        @webhook.route("/", methods=["GET"])
        async def health(_request):
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict, _auth: Any = None) -> bool:
            request = environ.get("sanic.request")
            peer = getattr(request, "ip", None) if request is not None else None
            address = client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"), self.proxies)
            sources[sid] = source_of("web", address)
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str) -> None:
            sessions.pop(sid, None)
            sources.pop(sid, None)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            proposed = data.get("session_id") if isinstance(data, dict) else None
            if isinstance(proposed, str) and SESSION_KEY.match(proposed):
                key = proposed
            elif (await self.new_sessions.check(sources.get(sid, "?")))[0]:
                key = new_session_key()
            else:
                logger.warning("socket.io: too many new sessions from one address (%s)", sources.get(sid, "?"))
                await say(sid, TOO_MANY_SESSIONS_TEXT)
                return
            session_id = conversation_of(key)
            previous = sessions.get(sid)
            if previous and previous != session_id:
                await _maybe_await(sio.leave_room(sid, previous, namespace=namespace))
            sessions[sid] = session_id
            # Always a room (the conversation id), so that the counsellor console (output_channel=latest)
            # reaches every tab of it; only a socket that sent the key joins it.
            await _maybe_await(sio.enter_room(sid, session_id, namespace=namespace))
            await sio.emit("session_confirm", key, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            session_id = sessions.get(sid)
            if session_id is None:
                await say(sid, NO_SESSION_TEXT)
                return
            allowed, warn = await self.rate_limiter.check(session_id)
            if not allowed:
                if warn:
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
                clean_payload(text),
                WebchatOutput(sio, self.bot_message_evt),
                session_id,
                input_channel=self.name(),
                metadata=build_metadata(data.get("customData"), sources.get(sid)),
            )
            await on_new_message(message)

        return webhook
