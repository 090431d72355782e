"""Identification before any personal answer.

A personal question from someone not yet identified starts ``identification_form``
(a rule conditioned on the ``identified`` slot); the form asks for the identifier
and the birth date and checks them with the backend; then
``action_resume_after_identification`` answers the question that started the
form, in the same turn. Identifier and birth date never stay in the slots once
checked.

The channel may already vouch for the person: on the website, the widget sends
the personal space's signed token (``metadata.allocbot.site_token``) and no
question is asked; by SMS or WhatsApp, the connector sends the verified
sender's number (``metadata.allocbot.phone``): if it is linked to a file, only
the birth date is asked; if not, the person is told how to link it and gets no
personal data. The phone number is trusted only from those connectors (the
input channel is set by Rasa, not by the client), never from the REST body.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import dateparser
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendRefused, BackendUnavailable, backend
from actions.handoff import hand_over, source_of
from actions.personal import INTENT_ACTIONS, PERSONAL_ACTIONS

IDENTIFIER = re.compile(r"\b(\d{7}\s?[A-Za-z])\b")
CHECKED = "vérifié"  # what stays in the slots instead of the identifier and birth date
CHANNELS = {
    "socketio": "web",
    "cmdline": "shell",
    "rest": "rest",
    "twilio": "sms",
    "twilio_sms": "sms",
    "sms": "sms",
    "whatsapp": "whatsapp",
    "twilio_voice": "voice",
}
PHONE_CHANNELS = {"twilio_sms", "sms", "whatsapp", "twilio_voice"}
# On the phone an unknown number may still give the identifier (said or typed): the usual questions.
ASKS_IDENTIFIER_WHEN_NOT_LINKED = {"twilio_voice"}
BY_PHONE = "numéro vérifié"  # the identifier slot when the first factor is the sender's number


def channel_of(tracker: Tracker) -> str:
    return CHANNELS.get(tracker.get_latest_input_channel() or "", "rest")


def find_identifier(text: str) -> str | None:
    """The France Travail identifier (7 digits and a letter) in a free message."""
    match = IDENTIFIER.search(text or "")
    return match.group(1).replace(" ", "").upper() if match else None


def find_birth_date(text: str, today: date) -> date | None:
    """A birth date written in any usual French way: 12/03/1985, 12 mars 1985, 12-3-85."""
    parsed = dateparser.parse(
        (text or "").strip()[:100],
        languages=["fr"],
        settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    if parsed is None:
        return None
    born = parsed.date()
    if born.year > today.year - 14 or born.year < today.year - 100:
        return None
    return born


def channel_identity(tracker: Tracker) -> dict[str, str]:
    """What the channel connector vouches for in the latest message (see the module docstring)."""
    metadata = tracker.latest_message.get("metadata") or {}
    identity = metadata.get("allocbot") if isinstance(metadata, dict) else None
    if not isinstance(identity, dict):
        return {}
    found = {}
    if isinstance(identity.get("site_token"), str) and identity["site_token"]:
        found["site_token"] = identity["site_token"]
    if isinstance(identity.get("phone"), str) and tracker.get_latest_input_channel() in PHONE_CHANNELS:
        found["phone"] = identity["phone"]
    return found


def identified_slots(grant: dict) -> dict[str, Any]:
    return {
        "identifier": CHECKED,
        "birth_date": CHECKED,
        "identified": True,
        "identification_outcome": "identified",
        "job_seeker_id": str(grant["job_seeker_id"]),
        "access_token": grant["access_token"],
        "first_name": grant["first_name"],
        "identification_failures": 0.0,
    }


async def identify_by_channel(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any] | None:
    """Slots to set when the channel already answers for the person; None to ask as usual."""
    identity = channel_identity(tracker)
    try:
        if "site_token" in identity:
            try:
                return identified_slots(
                    await backend().identify_with_site_token(
                        tracker.sender_id, channel_of(tracker), identity["site_token"]
                    )
                )
            except BackendRefused:
                return None  # expired or forged: ask the usual questions
        if "phone" in identity:
            if await backend().phone_is_linked(identity["phone"]):
                return {"identifier": BY_PHONE}
            if tracker.get_latest_input_channel() in ASKS_IDENTIFIER_WHEN_NOT_LINKED:
                return None
            dispatcher.utter_message(response="utter_phone_not_linked")
            return {
                "identifier": CHECKED,
                "birth_date": CHECKED,
                "identified": False,
                "identification_outcome": "phone_not_linked",
            }
    except BackendUnavailable:
        dispatcher.utter_message(response="utter_backend_unavailable")
        return {
            "identifier": CHECKED,
            "birth_date": CHECKED,
            "identified": False,
            "identification_outcome": "backend_unavailable",
        }
    return None


class ValidateIdentificationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_identification_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        # At the form's start only (nothing asked yet): the channel may make the questions needless.
        if not tracker.get_slot("identified") and not tracker.get_slot("requested_slot"):
            slots = await identify_by_channel(dispatcher, tracker)
            if slots is not None:
                return [SlotSet(name, value) for name, value in slots.items()]
        return await super().run(dispatcher, tracker, domain)

    async def validate_identifier(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        if value in (CHECKED, BY_PHONE):
            return {"identifier": value}
        identifier = find_identifier(str(value))
        if identifier is None:
            dispatcher.utter_message(response="utter_identifier_invalid")
            return {"identifier": None}
        return {"identifier": identifier}

    async def validate_birth_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        if value == CHECKED:
            return {"birth_date": value}
        from bot.clock import today

        born = find_birth_date(str(value), today())
        if born is None:
            dispatcher.utter_message(response="utter_birth_date_invalid")
            return {"birth_date": None}
        identifier = tracker.get_slot("identifier")
        phone = channel_identity(tracker).get("phone") if identifier == BY_PHONE else None
        if identifier == BY_PHONE and not phone:
            return {"identifier": None, "birth_date": None}  # the number is gone: ask the identifier
        try:
            grant = await backend().identify(
                tracker.sender_id,
                channel_of(tracker),
                born.isoformat(),
                identifier=None if phone else identifier,
                phone=phone,
                source=source_of(tracker),
            )
        except BackendRefused as refusal:
            if refusal.code in ("identification_locked", "identification_throttled"):
                dispatcher.utter_message(response="utter_identification_locked")
                return {
                    "identifier": CHECKED,
                    "birth_date": CHECKED,
                    "identified": False,
                    "identification_outcome": "locked",
                }
            failures = int(tracker.get_slot("identification_failures") or 0) + 1
            dispatcher.utter_message(response="utter_identification_failed")
            if phone:  # the number stays the first factor: ask the birth date again
                return {"birth_date": None, "identification_failures": float(failures)}
            return {"identifier": None, "birth_date": None, "identification_failures": float(failures)}
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return {
                "identifier": CHECKED,
                "birth_date": CHECKED,
                "identified": False,
                "identification_outcome": "backend_unavailable",
            }
        return identified_slots(grant)


def triggering_intent(tracker: Tracker) -> str | None:
    """The intent of the message that started the latest identification form."""
    last_intent = trigger = None
    for event in tracker.events:
        if event.get("event") == "user":
            last_intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        elif event.get("event") == "active_loop" and event.get("name") == "identification_form":
            trigger = last_intent
    return trigger


class ActionResumeAfterIdentification(Action):
    """After the form: answer the question that was waiting, or say why we cannot."""

    def name(self) -> str:
        return "action_resume_after_identification"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        pending = INTENT_ACTIONS.get(triggering_intent(tracker) or "")
        if tracker.get_slot("identified"):
            dispatcher.utter_message(response="utter_identified", first_name=tracker.get_slot("first_name"))
            events: list[EventType] = []
            if pending in PERSONAL_ACTIONS:
                # Answered here, in the same turn: the person asked once.
                events += await PERSONAL_ACTIONS[pending]().run(dispatcher, tracker, domain)
            return events
        # The form has said why; a locked identity or a backend down go to a counsellor.
        outcome = tracker.get_slot("identification_outcome")
        events = [SlotSet("identifier", None), SlotSet("birth_date", None)]
        if outcome == "locked":
            events += await hand_over(dispatcher, tracker, "identification_locked")
        elif outcome == "backend_unavailable":
            events += await hand_over(dispatcher, tracker, "backend_error")
        return events
