"""What the SMS and WhatsApp connectors share: identity of a number, STOP/AIDE,
rate limiting, ordered processing, the store, and HTTP sending with retries.

Identity. Rasa's ``sender_id`` (the conversation id, kept in the tracker store
and in logs) is ``sms-<HMAC-SHA256(secret, number)>`` (``wa-`` for WhatsApp):
stable for a number, so a person keeps one conversation, but useless without
``ALLOCBOT_CHANNEL_SECRET``. To answer, and to let a counsellor's reply pushed
through Rasa's API reach the person, the number is kept next to that hash,
encrypted (Fernet, key derived from the same secret) in the channel store.
The number in clear only lives in the request being handled and in the
message metadata that the actions need to ask the backend whether it is
linked to a file.

Order. Each verified webhook is acknowledged at once (Twilio and Meta retry
slow webhooks) and handled in the background, one message at a time per
sender, in order of arrival: replies leave in the order the questions came.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import os
import re
import socket
import threading
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from cryptography.fernet import Fernet, InvalidToken
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage

import bot.config  # noqa: F401 - loads .env: Rasa imports this module before anything of ours
from bot.channels.inbound import clean_payload
from bot.channels.rate_limit import RATE_LIMITED_TEXT, SenderRateLimiter
from bot.channels.segments import chosen_payload
from bot.channels.shared_limits import shared_limiter
from bot.channels.state import INBOX_STALE_AFTER, ChannelStore, Contact, channels_db_url, utcnow

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024  # a Twilio or Meta webhook is a few kB; anything bigger is not theirs
MAX_TEXT_CHARS = 1600  # the longest SMS Twilio accepts; also plenty for a question
INBOX_SWEEP_SECONDS = 30.0  # how often each replica looks for messages a dead process left in the inbox

HELP_TEXT = (
    "allocbot est l'assistant automatique de France Travail pour vos questions d'allocation. "
    "Un conseiller : 3949 (service gratuit + prix d'un appel). Ne plus recevoir de SMS : STOP."
)
STOP_TEXT = (
    "C'est noté : vous ne recevrez plus de messages d'allocbot. "
    "Pour reprendre, envoyez START. Un conseiller reste joignable au 3949."
)
START_TEXT = "C'est noté : vous pouvez de nouveau écrire à allocbot. Posez votre question."
EMPTY_TEXT = "Votre message est vide. Écrivez votre question en quelques mots."
NOT_TEXT = (
    "Je ne peux lire que des messages écrits, pas les images, les sons ni les pièces jointes. "
    "Écrivez votre question en quelques mots."
)
FAILURE_TEXT = "Un incident technique m'empêche de vous répondre. Réessayez dans quelques minutes ou appelez le 3949."

STOP_WORDS = {
    "STOP",
    "STOPALL",
    "ARRET",
    "ARRETER",
    "ARRETE",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "DESABONNER",
    "DESINSCRIRE",
    "DESINSCRIPTION",
}
START_WORDS = {"START", "UNSTOP", "DEMARRER", "REPRENDRE"}
HELP_WORDS = {"AIDE", "HELP", "INFO", "INFOS"}


def keyword(text: str) -> str | None:
    """ "stop", "start" or "help" when the whole message is one of those words (any case, accents, punctuation)."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(ch))
    word = re.sub(r"[^A-Z]", "", folded.upper())
    if len(word) > 16:
        return None
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


class PhoneIdentity:
    """Keyed hash of a number (the conversation id) and reversible encryption of the number itself."""

    def __init__(self, secret: str):
        key = secret.encode()
        self._mac_key = hmac.new(key, b"allocbot/sender-id", hashlib.sha256).digest()
        fernet_key = hmac.new(key, b"allocbot/phone-at-rest", hashlib.sha256).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(fernet_key))

    def sender_id(self, prefix: str, phone: str) -> str:
        return f"{prefix}-{hmac.new(self._mac_key, phone.encode(), hashlib.sha256).hexdigest()[:40]}"

    def encrypt(self, phone: str) -> str:
        return self._fernet.encrypt(phone.encode()).decode()

    def decrypt(self, token: str) -> str | None:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None


def env(name: str, default: str = "") -> str:
    return (os.environ.get(name) or default).strip()


async def post_with_retries(
    client: httpx.AsyncClient, url: str, what: str, attempts: int = 3, **kwargs: Any
) -> httpx.Response | None:
    """POST, retrying (bounded, with back-off) on network errors, 429 and 5xx; None when it never went through."""
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            response = await client.post(url, **kwargs)
        except httpx.HTTPError as error:
            logger.warning("%s: attempt %d/%d failed: %s", what, attempt, attempts, type(error).__name__)
            response = None
        if response is not None and response.status_code < 500 and response.status_code != 429:
            if response.status_code >= 400:  # the provider's message may quote the number: only its code
                logger.error("%s refused: HTTP %d, error code %s", what, response.status_code, _error_code(response))
            return response
        if attempt < attempts:
            retry_after = response.headers.get("Retry-After", "") if response is not None else ""
            await asyncio.sleep(min(float(retry_after), 5.0) if retry_after.isdigit() else delay)
            delay *= 2
    logger.error("%s: gave up after %d attempts", what, attempts)
    return None


def _error_code(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return "?"
    if isinstance(payload, dict):
        inner = payload.get("error")
        return str(inner.get("code") if isinstance(inner, dict) else payload.get("code"))
    return "?"


class SerialQueues:
    """Runs jobs one at a time per key, in submission order; memory only for keys with work pending."""

    def __init__(self) -> None:
        self._tails: dict[str, asyncio.Task] = {}

    def submit(self, key: str, job: Callable[[], Awaitable[None]]) -> asyncio.Task:
        previous = self._tails.get(key)

        async def run() -> None:
            if previous is not None:
                await asyncio.wait([previous])
            try:
                await job()
            except Exception:
                logger.exception("channel job failed for %s", key)

        task = asyncio.get_running_loop().create_task(run())
        self._tails[key] = task
        task.add_done_callback(lambda done: self._tails.pop(key, None) if self._tails.get(key) is done else None)
        return task


class PhoneChannel(InputChannel):
    """Base of the SMS and WhatsApp input channels; subclasses know the provider's wire format."""

    label = "phone"  # "sms" or "whatsapp": the channel named in the message metadata
    sender_prefix = "phone"

    def __init__(
        self, secret: str, store_url: str, timeout_seconds: float = 10.0, rate_limiter: SenderRateLimiter | None = None
    ):
        self.secret = secret
        self.identity = PhoneIdentity(secret) if secret else None
        self.store_url = store_url
        self.timeout_seconds = timeout_seconds
        # Shared by the replicas through Redis when ALLOCBOT_REDIS_URL is set (bot/channels/shared_limits.py).
        self.rate_limiter = shared_limiter("phone", rate_limiter or SenderRateLimiter.from_env())
        self.queues = SerialQueues()
        self.owner = f"{socket.gethostname()[:20]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"  # claims in the inbox
        self._sweeper: asyncio.Task | None = None
        self._store: ChannelStore | None = None
        self._store_lock = threading.Lock()
        self._client: httpx.AsyncClient | None = None

    @staticmethod
    def common_settings(credentials: dict | None) -> dict:
        credentials = credentials or {}
        return {
            "secret": credentials.get("secret") or env("ALLOCBOT_CHANNEL_SECRET"),
            "store_url": credentials.get("store_url") or channels_db_url(),
            "timeout_seconds": float(
                credentials.get("timeout_seconds") or env("ALLOCBOT_CHANNEL_TIMEOUT_SECONDS", "10")
            ),
        }

    # -- what subclasses provide ----------------------------------------------------------------
    def missing_settings(self) -> list[str]:
        return [] if self.secret and self.secret != "change-me" else ["ALLOCBOT_CHANNEL_SECRET"]

    async def send_text(self, phone: str, contact: Contact, text: str) -> None:
        raise NotImplementedError

    async def send_buttons(self, phone: str, contact: Contact, text: str, buttons: list[dict]) -> None:
        raise NotImplementedError

    # -- shared machinery ----------------------------------------------------------------------
    @property
    def store(self) -> ChannelStore:
        with self._store_lock:  # first calls may come from several worker threads at once
            if self._store is None:
                self._store = ChannelStore(self.store_url)
        return self._store

    async def db(self, method: str, *args: Any) -> Any:
        """A store call in a worker thread; the store itself is opened there on first use (never in the loop)."""
        return await asyncio.to_thread(lambda: getattr(self.store, method)(*args))

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(self.timeout_seconds, connect=5.0))
        return self._client

    def not_configured_message(self) -> str:
        return (
            f"Le canal {self.label} n'est pas configuré : définissez {', '.join(self.missing_settings())} "
            "(voir docs/channels.md)."
        )

    def sender_id(self, phone: str) -> str:
        return self.identity.sender_id(self.sender_prefix, phone)

    async def accept(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        phone: str,
        text: str | None,
        message_id: str,
        is_text: bool = True,
    ) -> None:
        """A verified inbound message: remember it, keep it in the inbox, and handle it in order in the background.

        The provider is acknowledged as soon as this returns and will not send the message again: until it is
        handled, it waits in the channel store's inbox, where another replica finds it if this one dies
        (``sweep_inbox``)."""
        sender_id = self.sender_id(phone)
        key = f"{self.label}:{message_id}"
        pending = (self.identity.encrypt(text or ""), is_text, self.owner)
        if not await self.db("receive", key, sender_id, self.label, self.identity.encrypt(phone), pending):
            logger.info("%s: message %s already handled (replay or retry): ignored", sender_id, message_id)
            return
        self._submit(on_new_message, key, sender_id, phone, text, message_id, is_text)

    def _submit(
        self, on_new_message, key: str, sender_id: str, phone: str, text: str | None, message_id: str, is_text: bool
    ) -> None:
        async def job() -> None:
            try:
                await self._handle(on_new_message, sender_id, phone, text, message_id, is_text)
            finally:
                await self.db("handled", key)

        self.queues.submit(sender_id, job)

    async def sweep_inbox(self, on_new_message, older_than: timedelta = INBOX_STALE_AFTER) -> int:
        """Handle the messages another process acknowledged and never handled (it died); returns how many."""
        count = 0
        for pending in await self.db("claim_stale", self.owner, self.label, older_than):
            contact = await self.db("contact", pending.sender_id)
            phone = self.identity.decrypt(contact.phone_encrypted) if contact else None
            text = self.identity.decrypt(pending.text_encrypted)
            if phone is None or text is None:  # number erased meanwhile, or another secret: nothing to answer
                await self.db("handled", pending.message_key)
                continue
            message_id = pending.message_key.split(":", 1)[1]
            logger.warning("%s: message %s left by a stopped process: handled now", pending.sender_id, message_id)
            self._submit(
                on_new_message, pending.message_key, pending.sender_id, phone, text, message_id, pending.is_text
            )
            count += 1
        return count

    async def _sweep_forever(self, on_new_message) -> None:
        every_seconds = float(env("ALLOCBOT_INBOX_SWEEP_SECONDS", str(INBOX_SWEEP_SECONDS)))
        while True:
            await asyncio.sleep(every_seconds)
            if self.missing_settings():
                continue
            try:
                await self.sweep_inbox(on_new_message)
            except Exception as error:  # the store is down: the next sweep tries again
                logger.warning("%s: inbox not swept (%s)", self.label, type(error).__name__)

    def start_sweeping(self, on_new_message) -> None:
        """Once per process, from the channel's blueprint when the server starts."""
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep_forever(on_new_message))

    async def _handle(
        self, on_new_message, sender_id: str, phone: str, text: str | None, message_id: str, is_text: bool
    ) -> None:
        contact = await self.db("contact", sender_id)
        text = (text or "").strip()[:MAX_TEXT_CHARS]
        word = keyword(text) if is_text else None
        if word == "stop":
            if not contact.stopped:
                await self._send_text(phone, contact, STOP_TEXT)
                await self.db("set_stopped", sender_id, True)
            logger.info("%s: STOP", sender_id)
            return
        if word == "start":
            await self.db("set_stopped", sender_id, False)
            await self._send_text(phone, await self.db("contact", sender_id), START_TEXT)
            return
        if contact.stopped:
            logger.info("%s: message from a number that sent STOP: not answered", sender_id)
            return
        allowed, warn = await self.rate_limiter.check(sender_id)
        if not allowed:
            if warn:
                await self._send_text(phone, contact, RATE_LIMITED_TEXT)
            logger.warning("%s: over the rate limit: message dropped", sender_id)
            return
        if word == "help":
            await self._send_text(phone, contact, HELP_TEXT)
            return
        if not is_text:
            await self._send_text(phone, contact, NOT_TEXT)
            return
        if not text:
            await self._send_text(phone, contact, EMPTY_TEXT)
            return
        payload = chosen_payload(text, contact.choices)
        if contact.choices:
            await self.db("set_choices", sender_id, [])
        message = UserMessage(
            payload or clean_payload(text),
            self.get_output_channel(),
            sender_id,
            input_channel=self.name(),
            message_id=message_id,
            metadata={"allocbot": {"channel": self.label, "phone": phone}},
        )
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("%s: the bot failed on a message", sender_id)
            await self._send_text(phone, contact, FAILURE_TEXT)

    async def _send_text(self, phone: str, contact: Contact, text: str) -> None:
        try:
            await self.send_text(phone, contact, text)
        except Exception:
            logger.exception("%s: sending failed", contact.sender_id)

    async def deliver(self, sender_id: str, text: str, buttons: list[dict] | None = None) -> None:
        """Send the bot's (or a counsellor's) message to the number behind ``sender_id``."""
        contact = await self.db("contact", sender_id) if self.identity else None
        phone = self.identity.decrypt(contact.phone_encrypted) if contact else None
        if contact is None or phone is None:
            logger.error("%s: no known number for this conversation: message not sent", sender_id)
            return
        if contact.stopped:
            logger.info("%s: the person sent STOP: message not sent", sender_id)
            return
        if buttons:
            await self.send_buttons(phone, contact, text, buttons)
        else:
            await self.send_text(phone, contact, text)

    def get_output_channel(self) -> OutputChannel:
        return PhoneOutput(self)


class PhoneOutput(OutputChannel):
    """Rasa's output side: every message goes through the input channel that knows the number."""

    def __init__(self, channel: PhoneChannel):
        self.channel = channel

    def name(self) -> str:  # the tracker records the input channel's name, not this class's
        return self.channel.name()

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.channel.deliver(recipient_id, text)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict], **kwargs: Any) -> None:
        await self.channel.deliver(recipient_id, text, buttons)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.channel.deliver(recipient_id, image)

    async def send_custom_json(self, recipient_id: str, json_message: dict, **kwargs: Any) -> None:
        logger.info("%s: custom payload not sent on %s", recipient_id, self.channel.label)


def in_service_window(last_inbound_at: datetime | None, now: datetime | None = None) -> bool:
    """WhatsApp's customer-service window: 24 hours after the person's last message."""
    return last_inbound_at is not None and (now or utcnow()) - last_inbound_at < timedelta(hours=24)
