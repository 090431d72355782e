"""The phone: Twilio Programmable Voice webhooks answered with TwiML, in French, for the ear.

Written from scratch, not a subclass of Rasa's ``twilio_voice`` connector: that
one has no ``language``, no speech hints, no keypad, no signature check and uses
the caller's number as the conversation id; what it would leave us is one route.

A call is a series of signed webhooks that each wait for TwiML:

* ``POST /webhooks/twilio_voice/webhook`` (the number's « A call comes in »):
  a new session of the conversation, then the greeting inside a ``<Gather>``;
* ``POST …/gather`` (each ``<Gather>`` result): ``SpeechResult`` or ``Digits``
  (or nothing: silence) → one Rasa turn, collected, turned into its spoken form
  (``bot.channels.spoken``) and said inside the next ``<Gather>``;
* ``POST …/status`` (« Call status changes »): a hang-up closes the call (what
  was said and the number are forgotten, the dialogue's open form is closed);
* ``POST …/transfer`` (end of a ``<Dial>``) and ``…/whisper`` (said to the
  counsellor who picks up: the ticket reference).

Every webhook is checked like the SMS one (``X-Twilio-Signature`` over the
public URL and the form): forged → 403. The conversation id is
``voice-<HMAC(secret, number)>``, never the number; a withheld number gets an
id of the call. What a call must remember between webhooks is in the channel
store (``bot.channels.voice_state``), not in this process.

Listening: ``<Gather input="speech dtmf" language="fr-FR" hints=… bargeIn>``;
keys: ``*`` repeats, ``0`` asks for a counsellor, ``1``-``3`` the choices on
offer, 8 digits a birth date (JJMMAAAA), 7 digits + the letter's rank in two
digits an identifier, digits an amount when one is asked. After two
misunderstandings in a row a keypad menu of the main needs; after a third, a
counsellor. Silence is reprompted once, then the call ends politely.

Handover: when the dialogue hands over during opening hours (``utter_handoff_live``),
the call is put through (``<Dial>`` to ``ALLOCBOT_VOICE_COUNSELLORS_NUMBER``, the
reference whispered to the counsellor; or ``<Enqueue>`` into a TaskRouter
workflow with the reference in the task). Distress (``utter_handoff_urgent``)
goes to ``ALLOCBOT_VOICE_URGENT_NUMBER`` when set, even out of hours. A caller who speaks
while a counsellor still holds the conversation (the bot answers ``utter_handoff_waiting``, or
nothing when it said so a moment ago) is put through again.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import threading
import unicodedata
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

import bot.config  # noqa: F401 - loads .env: Rasa imports this module before anything of ours
from bot.channels.inbound import clean_payload
from bot.channels.phone import MAX_BODY_BYTES, PhoneIdentity, env
from bot.channels.sms import e164, error
from bot.channels.spoken import MONTHS, VOICE_WORDING, Spoken, spoken_form
from bot.channels.state import channels_db_url
from bot.channels.voice_state import Call, VoiceCallStore
from bot.clock import today

logger = logging.getLogger(__name__)

DEFAULT_VOICE = "Google.fr-FR-Neural2-A"
# Words of the domain that the recogniser should expect (Twilio's « hints »).
HINTS = (
    "actualisation, trop-perçu, ARE, allocation, allocation chômage, attestation employeur, indemnisation, "
    "dégressivité, conseiller, France Travail, paiement, virement, montant, net, brut, date de naissance, "
    "identifiant, fin de droits, rechargement, ASS, salaire, déclaration, sanction, radiation, recours, "
    "prochain paiement, je n'ai rien reçu, étoile, répéter"
)
# Turns that did not help: not understood, or understood as outside what allocbot answers (on the phone,
# gibberish from the recogniser usually lands there).
# « Que voulez-vous savoir ? » after a message with no need in it counts too.
MISUNDERSTOOD = {
    "utter_default",
    "utter_ask_rephrase",
    "utter_not_understood",
    "utter_clarify",
    "utter_out_of_scope",
    "utter_how_can_i_help",
    "utter_inform_out_of_context",
    "utter_ask_followup_context",
}
EXPECTING = {
    "utter_ask_birth_date": "birth_date",
    "utter_birth_date_invalid": "birth_date",
    "utter_ask_identifier": "identifier",
    "utter_identifier_invalid": "identifier",
    "utter_ask_amount": "amount",
    "utter_amount_invalid": "amount",
}
# The keypad menu after two misunderstandings: the main needs, three at most.
MENU = [
    ("le montant de votre allocation", "/ask_allowance_amount"),
    ("la date de votre prochain paiement", "/ask_payment_date"),
    ("parler à un conseiller", "/ask_human"),
]
_KEYS = ", ".join(f"tapez {key} pour {label}" for key, (label, _) in zip(("un", "deux", "trois"), MENU, strict=True))
MENU_TEXT = f"Je vous propose de choisir sur le clavier : {_KEYS}."
GREETING_MENU_TEXT = f"Posez votre question, ou bien {_KEYS}."
UNREADABLE_TEXT = "Je n'ai pas compris votre réponse."
SILENCE_TEXT = "Je ne vous entends pas."
SILENT_END_TEXT = "Je n'entends toujours rien : je raccroche. Vous pouvez rappeler quand vous le souhaitez. Au revoir."
FAILURE_TEXT = (
    "Un incident technique m'empêche de vous répondre. Rappelez dans quelques minutes, ou appelez le "
    "trente-neuf quarante-neuf."
)
SLOW_TEXT = "Je consulte encore votre dossier. Dans quelques secondes, tapez étoile pour entendre la réponse."
PAUSED_TEXT = VOICE_WORDING["utter_handoff_waiting"]  # said when Rasa stays silent on a paused conversation
LISTENING_TEXT = "Je vous écoute. Quelle est votre question ?"
TRANSFERRED_END_TEXT = "Merci de votre appel. Au revoir."
TRANSFER_FAILED_TEXT = (
    "Aucun conseiller n'a pu répondre. Votre demande est enregistrée sous la référence {reference}. "
    "Je répète : {reference}. Un conseiller vous rappellera à ce numéro. Au revoir."
)
GOODBYE_TEXT = "Au revoir, et bonne continuation dans vos démarches."
ENDED_STATUSES = {"completed", "busy", "failed", "no-answer", "canceled"}
REPEAT_WORDS = {"etoile", "repeter", "repetez", "repete", "pouvez vous repeter", "vous pouvez repeter"}
REFERENCE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{6}$")


def fold(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def typed_date(digits: str) -> str | None:
    """``'05031985'`` -> ``'05/03/1985'`` when the eight digits are a real date (JJMMAAAA)."""
    if not re.fullmatch(r"[0-9]{8}", digits):
        return None
    try:
        date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return None
    return f"{digits[:2]}/{digits[2:4]}/{digits[4:]}"


def typed_identifier(digits: str) -> str | None:
    """``'123456701'`` -> ``'1234567A'``: seven digits then the letter's rank in the alphabet (01-26)."""
    if not re.fullmatch(r"[0-9]{9}", digits) or not 1 <= int(digits[7:]) <= 26:
        return None
    return digits[:7] + chr(ord("A") + int(digits[7:]) - 1)


def read_digits(raw: str, expecting: str | None, choices: list[str]) -> tuple[str, str | None]:
    """What keys mean: ``("repeat" | "text" | "unreadable", text)``."""
    digits = (raw or "").strip().rstrip("#")
    if digits == "*":
        return "repeat", None
    if not re.fullmatch(r"[0-9]{1,20}", digits):
        return "unreadable", None
    if digits == "0":
        return "text", "/ask_human"
    if expecting == "birth_date":
        return "text", typed_date(digits) or digits  # the form says why a wrong one is wrong
    if expecting == "identifier":
        return "text", typed_identifier(digits) or digits
    if expecting == "amount" and len(digits) <= 7:
        return "text", f"{int(digits)} €"
    if choices and len(digits) == 1 and 1 <= int(digits) <= len(choices):
        return "text", choices[int(digits) - 1]
    if typed := typed_date(digits):
        return "text", typed
    return "unreadable", None


def read_speech(raw: str, expecting: str | None) -> tuple[str, str | None]:
    """What was said, for the dialogue: ``("repeat" | "text" | "unreadable", text)``."""
    text = " ".join((raw or "").split())[:500]
    folded = fold(text)
    if not folded or not re.search(r"[a-z0-9]", folded):
        return "unreadable", None
    if folded in REPEAT_WORDS:
        return "repeat", None
    if expecting in ("birth_date", "identifier", "amount"):
        try:
            from text_to_num import alpha2digit

            text = alpha2digit(text, "fr", threshold=0)
        except Exception:  # noqa: BLE001 - the recogniser's text as it is is still worth reading
            logger.debug("alpha2digit failed on a speech result")
        # « 1 2 3 4 5 6 7 A », « 05 03 1985 »: digits said one by one
        text = re.sub(r"(?<=\d)[\s.,-]+(?=\d)", "", text)
        if (
            expecting == "birth_date"
            and (typed := typed_date(re.sub(r"\D", "", text)))
            and not re.search("|".join(MONTHS), text.lower())
        ):
            text = typed
    return "text", text


class VoiceCollector(OutputChannel):
    """Rasa's answers to one turn, whole (text, buttons, the response's name and variables)."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    @classmethod
    def name(cls) -> str:
        return "twilio_voice"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.messages.append(dict(message))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.messages.append({"text": text})


class AfterCallOutput(OutputChannel):
    """A message pushed to a phone conversation outside a call (a counsellor's reply): it cannot be said."""

    @classmethod
    def name(cls) -> str:
        return "twilio_voice"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        logger.info("%s: message for a phone conversation outside a call: not delivered", recipient_id)


class TwilioVoiceInput(InputChannel):
    """Webhooks ``/webhooks/twilio_voice/{webhook,gather,status,transfer,whisper}``."""

    @classmethod
    def name(cls) -> str:
        return "twilio_voice"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioVoiceInput:
        credentials = credentials or {}

        def setting(key: str, name: str, default: str = "") -> str:
            return str(credentials.get(key) or env(name, default))

        return cls(
            auth_token=setting("auth_token", "ALLOCBOT_TWILIO_AUTH_TOKEN"),
            secret=setting("secret", "ALLOCBOT_CHANNEL_SECRET"),
            public_base_url=setting("public_base_url", "ALLOCBOT_PUBLIC_BASE_URL"),
            store_url=setting("store_url", "ALLOCBOT_CHANNELS_DATABASE_URL") or channels_db_url(),
            counsellors_number=setting("counsellors_number", "ALLOCBOT_VOICE_COUNSELLORS_NUMBER"),
            urgent_number=setting("urgent_number", "ALLOCBOT_VOICE_URGENT_NUMBER"),
            workflow_sid=setting("workflow_sid", "ALLOCBOT_VOICE_WORKFLOW_SID"),
            voice=setting("voice", "ALLOCBOT_VOICE_NAME", DEFAULT_VOICE),
            language=setting("language", "ALLOCBOT_VOICE_LANGUAGE", "fr-FR"),
            hints=setting("hints", "ALLOCBOT_VOICE_HINTS", HINTS),
            speech_timeout=setting("speech_timeout", "ALLOCBOT_VOICE_SPEECH_TIMEOUT", "auto"),
            input_timeout=int(setting("input_timeout", "ALLOCBOT_VOICE_INPUT_TIMEOUT_SECONDS", "6")),
            turn_timeout=float(setting("turn_timeout", "ALLOCBOT_VOICE_TURN_TIMEOUT_SECONDS", "12")),
        )

    def __init__(
        self,
        auth_token: str,
        secret: str,
        public_base_url: str,
        store_url: str,
        counsellors_number: str = "",
        urgent_number: str = "",
        workflow_sid: str = "",
        voice: str = DEFAULT_VOICE,
        language: str = "fr-FR",
        hints: str = HINTS,
        speech_timeout: str = "auto",
        input_timeout: int = 6,
        turn_timeout: float = 12.0,
    ):
        self.auth_token = auth_token
        self.secret = secret
        self.identity = PhoneIdentity(secret) if secret else None
        self.public_base_url = public_base_url.rstrip("/")
        self.store_url = store_url
        self.counsellors_number = counsellors_number
        self.urgent_number = urgent_number
        self.workflow_sid = workflow_sid
        self.voice = voice
        self.language = language
        self.hints = hints
        self.speech_timeout = speech_timeout
        self.input_timeout = max(1, input_timeout)
        self.turn_timeout = turn_timeout
        self.validator = RequestValidator(auth_token) if auth_token else None
        self._store: VoiceCallStore | None = None
        self._store_lock = threading.Lock()
        self._agent: Any = None  # Rasa's agent, taken from the app on each webhook (for a paused conversation)
        self._id_key = hmac.new(secret.encode(), b"allocbot/voice-call", hashlib.sha256).digest()

    # -- settings and plumbing -------------------------------------------------------------------
    def missing_settings(self) -> list[str]:
        missing = []
        for name, value in (
            ("ALLOCBOT_CHANNEL_SECRET", self.secret),
            ("ALLOCBOT_TWILIO_AUTH_TOKEN", self.auth_token),
            ("ALLOCBOT_VOICE_COUNSELLORS_NUMBER", self.counsellors_number or self.workflow_sid),
        ):
            if not value or value == "change-me":
                missing.append(name)
        return missing

    @property
    def store(self) -> VoiceCallStore:
        with self._store_lock:
            if self._store is None:
                self._store = VoiceCallStore(self.store_url)
        return self._store

    async def db(self, method: str, *args: Any) -> Any:
        return await asyncio.to_thread(lambda: getattr(self.store, method)(*args))

    def url(self, path: str, **query: str) -> str:
        """Where Twilio should post next: the public URL (the one it signs) when behind a proxy."""
        full = f"/webhooks/twilio_voice/{path}" + (f"?{urlencode(query)}" if query else "")
        return self.public_base_url + full if self.public_base_url else full

    def signed_url(self, request: Request) -> str:
        if not self.public_base_url:
            return request.url
        return self.public_base_url + request.path + (f"?{request.query_string}" if request.query_string else "")

    def sender_of(self, phone: str | None, call_sid: str) -> str:
        if phone and self.identity:
            return self.identity.sender_id("voice", phone)
        # a withheld number: one conversation per call, still a keyed hash
        return "voice-" + hmac.new(self._id_key, call_sid.encode(), hashlib.sha256).hexdigest()[:40]

    def get_output_channel(self) -> OutputChannel:
        return AfterCallOutput()

    def twiml(self, voice_response: VoiceResponse) -> HTTPResponse:
        return response.text(str(voice_response), content_type="text/xml")

    def say(self, target: Any, text: str) -> None:
        if text:
            target.say(text, language=self.language, voice=self.voice)

    def listen(self, text: str, lead: str = "") -> VoiceResponse:
        """Say ``text`` inside a ``<Gather>`` (barge-in: the caller may answer while it speaks)."""
        twiml = VoiceResponse()
        gather = twiml.gather(
            input="speech dtmf",
            action=self.url("gather"),
            method="POST",
            language=self.language,
            hints=self.hints,
            speech_timeout=self.speech_timeout,
            timeout=self.input_timeout,
            finish_on_key="#",
            barge_in=True,
            action_on_empty_result=True,
            profanity_filter=False,
        )
        self.say(gather, " ".join(part for part in (lead, text) if part))
        return twiml

    def hang_up(self, text: str) -> VoiceResponse:
        twiml = VoiceResponse()
        self.say(twiml, text)
        twiml.hangup()
        return twiml

    async def verified_form(self, request: Request) -> dict[str, str] | HTTPResponse:
        """The form of a genuine Twilio webhook, or the error response to give."""
        if len(request.body or b"") > MAX_BODY_BYTES:
            return error(413, "Requête trop volumineuse.")
        if (request.content_type or "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            return error(415, "Twilio envoie des formulaires application/x-www-form-urlencoded.")
        if self.missing_settings():
            return error(
                503,
                f"Le canal téléphone n'est pas configuré : définissez {', '.join(self.missing_settings())} "
                "(voir docs/channels.md).",
            )
        try:
            pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            return error(400, "Corps de requête illisible (UTF-8 attendu).")
        self._agent = getattr(request.app.ctx, "agent", None)
        form = dict(pairs)
        if len(form) != len(pairs):
            return error(400, "Champ en double dans la requête.")
        signature = request.headers.get("X-Twilio-Signature", "")
        if (
            not signature
            or not self.validator
            or not self.validator.validate(self.signed_url(request), form, signature)
        ):
            logger.warning("twilio_voice: webhook with a wrong X-Twilio-Signature refused")
            return error(403, "Signature Twilio invalide.")
        if not re.fullmatch(r"CA[0-9a-f]{32}", form.get("CallSid", "")):
            return error(400, "Champ CallSid attendu.")
        return form

    # -- one turn of the dialogue ------------------------------------------------------------------
    async def run_turn(self, on_new_message, call: Call, text: str) -> list[dict] | None:
        """Send ``text`` to the dialogue; its messages, or None when it failed or was too slow."""
        phone = self.identity.decrypt(call.phone_encrypted) if (self.identity and call.phone_encrypted) else None
        identity: dict[str, str] = {"channel": "voice"}
        if phone:
            identity["phone"] = phone
        collector = VoiceCollector()
        call.turns += 1
        message = UserMessage(
            clean_payload(text),
            collector,
            call.sender_id,
            input_channel=self.name(),
            message_id=f"{call.call_sid}-{call.turns}",
            metadata={"allocbot": identity},
        )
        task = asyncio.ensure_future(on_new_message(message))
        try:
            # Twilio waits 15 s for TwiML: past that the caller hears an error. The turn goes on in the background.
            await asyncio.wait_for(asyncio.shield(task), timeout=self.turn_timeout)
        except asyncio.TimeoutError:
            logger.warning("%s: the dialogue took more than %.0f s", call.sender_id, self.turn_timeout)
            task.add_done_callback(lambda _: self._keep_late_answer(call.call_sid, collector))
            return None
        except Exception:
            logger.exception("%s: the bot failed on a phone turn", call.sender_id)
            return None
        return collector.messages

    def _keep_late_answer(self, call_sid: str, collector: VoiceCollector) -> None:
        """A turn that ended after Twilio stopped waiting: its answer is what ``*`` will say."""
        if collector.messages:
            spoken, _ = self.speak(collector.messages)
            asyncio.ensure_future(self.db("set_last_said", call_sid, self._encrypt(spoken)))

    async def paused_reference(self, sender_id: str) -> str | None:
        """The ticket reference when a counsellor holds the conversation (the bot is paused), else None."""
        agent = self._agent
        if agent is None or getattr(agent, "tracker_store", None) is None:
            return None
        try:
            tracker = await agent.tracker_store.retrieve(sender_id)
        except Exception:  # noqa: BLE001 - without the tracker, the caller is simply listened to again
            logger.exception("%s: tracker unreadable", sender_id)
            return None
        if tracker is None or not tracker.is_paused():
            return None
        return str(tracker.get_slot("handoff_reference") or "")

    def speak(self, messages: list[dict]) -> tuple[str, list[str]]:
        """The turn's messages as one spoken text; the keypad choices of the last one that offers some."""
        day = today()
        parts: list[Spoken] = [spoken_form(message, day) for message in messages]
        choices: list[str] = []
        for part in parts:
            if part.choices:
                choices = part.choices
        return " ".join(part.text for part in parts if part.text), choices

    async def answer(self, on_new_message, call: Call, text: str, depth: int = 0) -> VoiceResponse:
        """Run a turn and build the TwiML that says its answer (or transfers, or hangs up)."""
        messages = await self.run_turn(on_new_message, call, text)
        if messages is None:
            call.last_said = self._encrypt(SLOW_TEXT)
            await self.db("save", call)
            return self.listen(SLOW_TEXT)
        actions = [str(m.get("utter_action") or "") for m in messages]
        spoken, choices = self.speak(messages)
        live = next((m for m in messages if m.get("utter_action") == "utter_handoff_live"), None)
        urgent = "utter_handoff_urgent" in actions
        if live is not None or (urgent and self.urgent_number):
            reference = str((live or {}).get("reference") or self._reference_in(messages) or "")
            call.misunderstandings = 0
            call.choices, call.expecting = [], None
            call.last_said = self._encrypt(spoken)
            await self.db("save", call)
            return self.transfer(spoken, reference, urgent)
        if "utter_handoff_waiting" in actions:  # a counsellor holds the conversation: put the caller through
            held = await self.paused_reference(call.sender_id)
            call.choices, call.expecting = [], None
            call.last_said = self._encrypt(spoken)
            await self.db("save", call)
            return self.transfer(spoken or PAUSED_TEXT, held or "", urgent=False)
        if "utter_goodbye" in actions:
            await self.db("save", call)
            return self.hang_up(spoken or GOODBYE_TEXT)
        if any(action in MISUNDERSTOOD for action in actions):
            call.misunderstandings += 1
        elif messages:
            call.misunderstandings = 0
        if call.misunderstandings >= 3 and depth == 0:
            call.misunderstandings = 0
            return await self.answer(on_new_message, call, "/ask_human", depth + 1)
        if call.misunderstandings == 2:
            spoken, choices = MENU_TEXT, [payload for _, payload in MENU]
        if not messages:
            held = await self.paused_reference(call.sender_id)
            if held is not None:  # a counsellor has the conversation: put the caller through
                await self.db("save", call)
                return self.transfer(PAUSED_TEXT, held, urgent=False)
            spoken = LISTENING_TEXT
        expecting = next((EXPECTING[a] for a in reversed(actions) if a in EXPECTING), None)
        call.choices, call.expecting = choices, expecting
        call.last_said = self._encrypt(spoken)
        await self.db("save", call)
        return self.listen(spoken)

    @staticmethod
    def _reference_in(messages: list[dict]) -> str | None:
        for message in messages:
            value = message.get("reference")
            if isinstance(value, str) and REFERENCE.match(value):
                return value
        return None

    def transfer(self, spoken: str, reference: str, urgent: bool) -> VoiceResponse:
        """Put the caller through to the counsellors, the ticket reference passed along."""
        twiml = VoiceResponse()
        self.say(twiml, spoken)
        if self.workflow_sid and not (urgent and self.urgent_number):
            enqueue = twiml.enqueue(None, workflow_sid=self.workflow_sid)
            enqueue.task(json.dumps({"reference": reference, "priority": "urgent" if urgent else "normal"}))
            return twiml
        target = self.urgent_number if urgent and self.urgent_number else self.counsellors_number
        dial = twiml.dial(action=self.url("transfer", reference=reference), method="POST", timeout=30)
        if target.startswith("sip:"):
            dial.sip(f"{target}?X-Allocbot-Reference={reference}")
        else:
            dial.number(target, url=self.url("whisper", reference=reference, urgent="1" if urgent else "0"))
        return twiml

    def _encrypt(self, text: str) -> str:
        return self.identity.encrypt(text) if (self.identity and text) else ""

    def _decrypt(self, token: str) -> str:
        return (self.identity.decrypt(token) or "") if (self.identity and token) else ""

    # -- the webhooks ------------------------------------------------------------------------------
    def blueprint(self, on_new_message) -> Blueprint:
        webhook = Blueprint("allocbot_twilio_voice", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if not self.missing_settings() else "not configured"})

        @webhook.route("/webhook", methods=["POST"])
        async def incoming(request: Request) -> HTTPResponse:
            form = await self.verified_form(request)
            if isinstance(form, HTTPResponse):
                return form
            phone = e164(form.get("From", ""))
            call = Call(form["CallSid"], self.sender_of(phone, form["CallSid"]))
            call.phone_encrypted = self.identity.encrypt(phone) if (phone and self.identity) else ""
            if not await self.db("start", call):
                call = await self.db("get", form["CallSid"])
                return self.twiml(self.listen(self._decrypt(call.last_said)))
            logger.info("%s: incoming call", call.sender_id)
            # A call is a session: nothing of a previous call (identification, an open form) carries over.
            await self.run_turn(on_new_message, call, "/session_start")
            messages = await self.run_turn(on_new_message, call, "/greet")
            greeting = VOICE_WORDING["utter_greet"]
            if messages:
                greeting, _ = self.speak(messages)
            greeting = f"{greeting} {GREETING_MENU_TEXT}"
            call.choices = [payload for _, payload in MENU]
            call.last_said = self._encrypt(greeting)
            await self.db("save", call)
            return self.twiml(self.listen(greeting))

        @webhook.route("/gather", methods=["POST"])
        async def gathered(request: Request) -> HTTPResponse:
            form = await self.verified_form(request)
            if isinstance(form, HTTPResponse):
                return form
            call = await self.db("get", form["CallSid"])
            if call is None:  # a call that began before a restart on another store: start it here
                phone = e164(form.get("From", ""))
                call = Call(form["CallSid"], self.sender_of(phone, form["CallSid"]))
                call.phone_encrypted = self.identity.encrypt(phone) if (phone and self.identity) else ""
                await self.db("start", call)
            if call.ended:
                return self.twiml(self.hang_up(""))
            # Twilio retries a webhook with the same idempotency token: answer it without a second turn.
            # (Two silences in a row post the very same form: the form itself cannot tell a retry.)
            token = request.headers.get("I-Twilio-Idempotency-Token", "")[:200]
            fingerprint = hashlib.sha256(token.encode()).hexdigest()[:32] if token else None
            if fingerprint and fingerprint == call.last_request:
                return self.twiml(self.listen(self._decrypt(call.last_said)))
            call.last_request = fingerprint
            last_said = self._decrypt(call.last_said)
            digits, speech = form.get("Digits"), form.get("SpeechResult")
            if not digits and not (speech or "").strip():
                call.silences += 1
                await self.db("save", call)
                if call.silences >= 2:
                    return self.twiml(self.hang_up(SILENT_END_TEXT))
                return self.twiml(self.listen(last_said, lead=SILENCE_TEXT))
            call.silences = 0
            kind, text = (
                read_digits(digits, call.expecting, call.choices)
                if digits
                else read_speech(speech or "", call.expecting)
            )
            if kind == "repeat":
                await self.db("save", call)
                return self.twiml(self.listen(last_said))
            if kind == "unreadable" or not text:
                call.misunderstandings += 1
                if call.misunderstandings >= 3:
                    call.misunderstandings = 0
                    return self.twiml(await self.answer(on_new_message, call, "/ask_human", depth=1))
                if call.misunderstandings == 2:
                    call.choices, call.expecting = [payload for _, payload in MENU], None
                    call.last_said = self._encrypt(MENU_TEXT)
                    await self.db("save", call)
                    return self.twiml(self.listen(MENU_TEXT, lead=UNREADABLE_TEXT))
                await self.db("save", call)
                return self.twiml(self.listen(last_said, lead=UNREADABLE_TEXT))
            try:
                return self.twiml(await self.answer(on_new_message, call, text))
            except Exception:
                logger.exception("%s: a phone turn failed", call.sender_id)
                return self.twiml(self.listen(FAILURE_TEXT))

        @webhook.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            form = await self.verified_form(request)
            if isinstance(form, HTTPResponse):
                return form
            if form.get("CallStatus") in ENDED_STATUSES:
                call = await self.db("get", form["CallSid"])
                if call is not None and await self.db("end", form["CallSid"]):
                    logger.info("%s: call ended (%s)", call.sender_id, form.get("CallStatus"))
                    # Close what the dialogue had open (a form, an identification): a new session.
                    call.phone_encrypted = ""
                    await self.run_turn(on_new_message, call, "/session_start")
            return response.text(str(VoiceResponse()), content_type="text/xml")

        @webhook.route("/transfer", methods=["POST"])
        async def transferred(request: Request) -> HTTPResponse:
            form = await self.verified_form(request)
            if isinstance(form, HTTPResponse):
                return form
            reference = request.args.get("reference", "")
            if form.get("DialCallStatus") == "completed" or not REFERENCE.match(reference):
                return self.twiml(self.hang_up(TRANSFERRED_END_TEXT))
            from bot.channels.spoken import say_reference

            return self.twiml(self.hang_up(TRANSFER_FAILED_TEXT.format(reference=say_reference(reference))))

        @webhook.route("/whisper", methods=["POST"])
        async def whisper(request: Request) -> HTTPResponse:
            form = await self.verified_form(request)
            if isinstance(form, HTTPResponse):
                return form
            from bot.channels.spoken import say_reference

            reference = request.args.get("reference", "")
            twiml = VoiceResponse()
            if REFERENCE.match(reference):
                urgent = "Appel prioritaire : détresse. " if request.args.get("urgent") == "1" else ""
                self.say(twiml, f"{urgent}Appel transféré par allocbot, référence {say_reference(reference)}.")
            return self.twiml(twiml)

        return webhook


__all__ = ["TwilioVoiceInput", "read_digits", "read_speech", "typed_date", "typed_identifier"]
