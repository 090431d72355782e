"""Handing the conversation over to a counsellor, with the reason recorded.

Every trigger ends here: an explicit request (at any moment, even in the middle
of the identification form), distress (urgent), the bot failing to understand
after a clarification or twice in a row, the backend failing, a locked
identification, and what the bot must not settle alone (contesting an
overpayment, a sanction). The backend stores a ticket with the person (if
identified), the channel, the reason, the need, a short summary and the
transcript with identifiers redacted.

During opening hours (``bot.handoff.opening_hours``) a counsellor joins this
very conversation: the bot pauses it (Rasa's ``ConversationPaused``) and stays
silent until the counsellor closes the ticket from the console, which resumes
it. Outside them, the person gets a reference and a callback on their channel,
and the bot goes on answering. If the backend cannot store the ticket, the
person is told to call, and the ticket is kept and retried in the background so
that it is not lost.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendRefused, BackendUnavailable, backend
from bot import clock
from bot.common.folding import fold
from bot.common.needs import LABELS as NEED_LABELS
from bot.formatting import format_date_fr
from bot.handoff.opening_hours import configured_schedule
from bot.handoff.outbox import Outbox, Sweeper, configured_outbox
from bot.privacy.redaction import redact

log = logging.getLogger(__name__)

REASONS = {
    "human_requested": "La personne a demandé à parler à un conseiller.",
    "distress": "La personne exprime une détresse : à traiter en priorité.",
    "low_confidence": "Le bot n'a pas compris la demande, même après une question de clarification.",
    "repeated_misunderstanding": "Le bot n'a pas compris la personne deux fois de suite.",
    "backend_error": "Le système d'indemnisation n'a pas répondu à temps.",
    "identification_locked": "Identification bloquée après plusieurs essais infructueux.",
    "contest_overpayment": "La personne conteste un trop-perçu : décision à prendre par un conseiller.",
    "sanction": "La personne conteste une sanction (allocation suspendue) : à traiter par un conseiller.",
    "contest_decision": "La personne conteste une décision de France Travail.",
}
URGENT_REASONS = {"distress"}
CHANNEL_CALLBACK = {
    "socketio": "dans votre espace personnel",
    "twilio_sms": "par SMS",
    "sms": "par SMS",
    "whatsapp": "sur WhatsApp",
}
TRANSCRIPT_LINES = 60


def detected_need(tracker: Tracker) -> str | None:
    """The last need the person expressed (an intent the bot answers), if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in NEED_LABELS and intent not in ("ask_human", "express_distress"):
                return intent
    return None


def transcript(tracker: Tracker) -> list[dict[str, Any]]:
    """What was said, oldest first, identifiers redacted, counsellor lines marked as such."""
    lines = []
    for event in tracker.events:
        kind = event.get("event")
        text = event.get("text")
        if kind not in ("user", "bot") or not text:
            continue
        sender = "user" if kind == "user" else "bot"
        if kind == "bot" and (event.get("metadata") or {}).get("counsellor"):
            sender = "counsellor"
        at = datetime.fromtimestamp(event.get("timestamp") or 0, timezone.utc).isoformat()
        lines.append({"sender": sender, "text": redact(text)[:4000], "at": at})
    return lines[-TRANSCRIPT_LINES:]


def summary(tracker: Tracker, reason: str, need: str | None) -> str:
    parts = [REASONS.get(reason, reason)]
    if need:
        parts.append(f"Besoin détecté : {NEED_LABELS[need].lower()}.")
    if tracker.get_slot("identified"):
        parts.append("Personne identifiée dans cette conversation.")
    else:
        parts.append("Personne non identifiée : vérifiez son identité avant de parler de son dossier.")
    last_user = next(
        (e.get("text") for e in reversed(tracker.events) if e.get("event") == "user" and e.get("text")), None
    )
    if last_user:
        parts.append(f"Dernier message : « {redact(last_user)[:300]} »")
    return " ".join(parts)


def source_of(tracker: Tracker) -> str | None:
    """The origin the channel names (a keyed hash of the client's address, web only), for the backend's limits."""
    metadata = tracker.latest_message.get("metadata") or {}
    identity = metadata.get("allocbot") if isinstance(metadata, dict) else None
    source = identity.get("source") if isinstance(identity, dict) else None
    return source if isinstance(source, str) and len(source) <= 80 else None


def ticket_for(tracker: Tracker, reason: str) -> dict[str, Any]:
    need = detected_need(tracker)
    person = tracker.get_slot("job_seeker_id") if tracker.get_slot("identified") else None
    return {
        "conversation_id": tracker.sender_id,
        "channel": (tracker.get_latest_input_channel() or "rest")[:20],
        "reason": reason,
        "priority": "urgent" if reason in URGENT_REASONS else "normal",
        "need": need,
        "summary": summary(tracker, reason, need)[:2000],
        "transcript": transcript(tracker),
        "job_seeker_id": int(person) if person else None,
        "source": source_of(tracker),  # the backend limits new tickets per origin
    }


async def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[EventType]:
    """Create the ticket and tell the person honestly what happens next."""
    ticket = ticket_for(tracker, reason)
    try:
        created = await backend().create_ticket(ticket)
    except (BackendUnavailable, BackendRefused) as error:
        if isinstance(error, BackendRefused) and error.code == "too_many_tickets":
            # A flood from this origin: not kept for later (it would come back); the person is told to call.
            log.warning("handoff ticket refused: too many from this origin")
            dispatcher.utter_message(text=error.message)
            return [SlotSet("handoff_reason", reason)]
        log.warning("handoff ticket not stored (%s); kept for retry", type(error).__name__)
        try:
            await _outbox.keep(ticket)
            _sweeper.start()
        except Exception as kept_error:  # noqa: BLE001 - Redis down as well: the person is told to call anyway
            log.error("handoff ticket lost: outbox unavailable (%s)", type(kept_error).__name__)
        dispatcher.utter_message(response="utter_handoff_unavailable")
        return [SlotSet("handoff_reason", reason)]
    reference = created["reference"]
    schedule = configured_schedule()
    now = clock.now()
    if ticket["priority"] == "urgent":
        dispatcher.utter_message(response="utter_handoff_urgent")
    if schedule.is_open(now):
        dispatcher.utter_message(response="utter_handoff_live", reference=reference)
        return [SlotSet("handoff_reason", reason), SlotSet("handoff_reference", reference), ConversationPaused()]
    opening = schedule.next_opening(now)
    when = (
        f"à partir du {format_date_fr(opening.date())} à {opening.hour} h"
        + (f" {opening.minute:02d}" if opening.minute else "")
        if opening
        else "dès que possible"
    )
    dispatcher.utter_message(
        response="utter_handoff_callback",
        reference=reference,
        hours=schedule.describe(),
        when=when,
        channel=CHANNEL_CALLBACK.get(tracker.get_latest_input_channel() or "", "par téléphone"),
    )
    return [SlotSet("handoff_reason", reason), SlotSet("handoff_reference", reference)]


def reason_for_request(tracker: Tracker) -> str:
    """Why the person is handed over when an intent asked for it (rules call ``action_handoff``)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in ("express_distress", "express_suicidal_thoughts"):
        return "distress"
    if intent == "contest_decision":
        # What is contested: said in the message, else what the bot has just explained.
        words = fold(tracker.latest_message.get("text") or "").replace("-", " ")
        last = tracker.get_slot("last_answer")
        if "sanction" in words or "radiation" in words or "radie" in words:
            return "sanction"
        if "trop percu" in words or "indu" in words.split():
            return "contest_overpayment"
        return {"overpayment": "contest_overpayment", "sanction": "sanction"}.get(last, "contest_decision")
    return "human_requested"


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        return await hand_over(dispatcher, tracker, reason_for_request(tracker))


# Tickets the backend could not take: in memory, or in Redis shared by the replicas (bot.handoff.outbox).
_outbox: Outbox = configured_outbox()
_sweeper = Sweeper(_outbox, lambda ticket: backend().create_ticket(ticket))
