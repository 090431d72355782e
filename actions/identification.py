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

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendRefused, BackendUnavailable, backend
from actions.handoff import hand_over, source_of
from actions.personal import (
    INTENT_ACTIONS,
    about,
    action_named,
    clause_message,
    date_once,
    needs_of_message,
    run_for,
)
from actions.satisfaction import ask_after
from bot.common import needs
from bot.common.identity_text import IdentityAnswer, read_identity, says_forgotten, says_leaving

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
# Messages whose need is a counsellor or emergency help: the form lets their rules answer.
LEFT_TO_RULES = {"ask_human", "express_distress", "express_suicidal_thoughts"}
QUESTION_CONFIDENCE = 0.5  # below it, a message at an identification step is a refused answer, not a question
PERSONAL_ACTIONS_BY_INTENT = needs.PERSONAL_ACTIONS
INLINE_GROUPS = {needs.Group.ALLOWANCE, needs.Group.ELSEWHERE, needs.Group.PRIVACY}
# Questions not answered inside the form: those that start a dialogue of their own, or that say nothing here.
NOT_INLINE = {"contest_decision", "out_of_scope", "request_data_deletion"}
# Needs without the file that a message can carry beside a personal one, answered after the identification.
INLINE_NEEDS = {"ask_declaration_window", "ask_how_to_declare_work", "ask_knowledge"}  # knowledge: issue 20
# « et en net ce mois-ci ? » before any answer: a question about the amount, answered after the identification.
AMOUNT_FOLLOWUPS = {
    "followup_net_gross": "action_answer_allowance_amount",
    "followup_month": "action_answer_allowance_amount",
}


def channel_of(tracker: Tracker) -> str:
    return CHANNELS.get(tracker.get_latest_input_channel() or "", "rest")


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
        "identification_refusals": 0.0,
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
    """Reads each message at an identification step first as the answer, then as what else it is.

    The identifier and the birth date are looked for in the whole message, whichever was asked
    (both may come at once, with words around them, said or typed: ``bot.common.identity_text``).
    A message that answers nothing is read for what it is: a question answered at once (the form then
    asks again), a personal question kept for after the identification, « laissez tomber » or
    « au revoir » that ends the form, a forgotten identifier met with where to find it. A human asked,
    and distress, are left to their rules (the form rejects the message). A second refused answer in a
    row offers a counsellor and a way out.
    """

    def name(self) -> str:
        return "validate_identification_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        from bot.clock import today

        requested = tracker.get_slot("requested_slot")
        if not tracker.get_slot("identified") and not requested:
            # At the form's start only (nothing asked yet): the channel may make the questions needless.
            slots = await identify_by_channel(dispatcher, tracker)
            if slots is not None:
                return [SlotSet(name, value) for name, value in slots.items()]
            # An identifier (and a birth date) given with the question itself is used, not asked again.
            answer = read_identity(tracker.latest_message.get("text") or "", today())
            if answer.identifier is None:
                return []
            found = {"identifier": answer.identifier}
            if answer.birth_date is not None:
                found.update(await self._check(dispatcher, tracker, answer.identifier, answer.birth_date))
            return self._events(tracker, found, answer)
        if requested not in ("identifier", "birth_date"):
            return await super().run(dispatcher, tracker, domain)
        if tracker.get_slot("identified"):
            return [SlotSet(name, value) for name, value in identified_slots_kept(tracker).items()]
        return await self._read_answer(dispatcher, tracker, domain, requested, today())

    async def _read_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict, requested: str, day: date
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        answer = read_identity(text, day)
        known = tracker.get_slot("identifier") if requested == "birth_date" else None
        identifier = answer.identifier or (known if known not in (None, CHECKED) else None)
        if answer.identifier or answer.birth_date:
            if identifier == BY_PHONE and answer.birth_date:
                phone = channel_identity(tracker).get("phone")
                if not phone:
                    return self._events(tracker, {"identifier": None, "birth_date": None}, answer)
            found: dict[str, Any] = {"identification_refusals": 0.0}
            if answer.identifier:
                found["identifier"] = answer.identifier
            if identifier and answer.birth_date:
                found.update(await self._check(dispatcher, tracker, identifier, answer.birth_date))
            elif answer.birth_date:
                # A date while the identifier is asked: kept until the identifier comes.
                found["birth_date"] = answer.birth_date.isoformat()
                found.setdefault("identifier", None)
            else:
                found["birth_date"] = None
            return self._events(tracker, found, answer)
        # Nothing of an answer in the message: what is it, then?
        if intent in LEFT_TO_RULES and not says_forgotten(text):
            return []  # the form rejects the message: a counsellor, or the distress answer (data/rules/safety.yml)
        if intent == "ask_human" or intent == "express_suicidal_thoughts":
            return []
        if says_forgotten(text):
            dispatcher.utter_message(response=f"utter_forgotten_{requested}")
            return [SlotSet(requested, None)]
        if intent == "goodbye" or says_leaving(text):
            dispatcher.utter_message(response="utter_identification_left")
            return [
                SlotSet("identifier", None),
                SlotSet("birth_date", None),
                SlotSet("identification_outcome", "left"),
                SlotSet("identification_refusals", 0.0),
                SlotSet("pending_needs", None),
                SlotSet("requested_slot", None),
            ]
        confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0)
        if confidence >= QUESTION_CONFIDENCE and intent in PERSONAL_ACTIONS_BY_INTENT:
            pending = list(tracker.get_slot("pending_needs") or [])
            if intent not in pending and intent != triggering_intent(tracker):
                pending.append(intent)
            dispatcher.utter_message(response="utter_answer_after_identification")
            return [SlotSet(requested, None), SlotSet("pending_needs", pending)]
        if confidence >= QUESTION_CONFIDENCE and intent:
            events = await answer_inline(intent, dispatcher, tracker, domain)
            if events is not None:
                return [SlotSet(requested, None), *events]
        refusals = int(tracker.get_slot("identification_refusals") or 0) + 1
        dispatcher.utter_message(response=f"utter_{requested}_invalid")
        if refusals >= 2:
            dispatcher.utter_message(response="utter_identification_way_out")
        return [SlotSet(requested, None), SlotSet("identification_refusals", float(refusals))]

    def _events(self, tracker: Tracker, found: dict[str, Any], answer: IdentityAnswer) -> list[EventType]:
        events: list[EventType] = [SlotSet(name, value) for name, value in found.items()]
        if answer.birth_date is not None:
            # « né le 12 avril 88 » is no month of the question: the slots keep what they held before.
            events += [SlotSet(name, slot_before_latest_message(tracker, name)) for name in ("month", "amount")]
        return events

    async def _check(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, identifier: str, born: date
    ) -> dict[str, Any]:
        """The backend's verdict on an identifier (or the verified number) and a birth date, as slots."""
        phone = channel_identity(tracker).get("phone") if identifier == BY_PHONE else None
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
            # The identifier stays: only the birth date is asked again; an identifier in the next
            # message replaces it (« pardon, c'est 6789012F »).
            return {"identifier": identifier, "birth_date": None, "identification_failures": float(failures)}
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return {
                "identifier": CHECKED,
                "birth_date": CHECKED,
                "identified": False,
                "identification_outcome": "backend_unavailable",
            }
        return identified_slots(grant)


def identified_slots_kept(tracker: Tracker) -> dict[str, Any]:
    return {"identifier": CHECKED, "birth_date": CHECKED}


def slot_before_latest_message(tracker: Tracker, name: str) -> Any:
    """The value a slot had before the latest user message (whose extraction may have changed it)."""
    value = before = None
    for event in tracker.events:
        if event.get("event") == "user":
            before = value
        elif event.get("event") == "slot" and event.get("name") == name:
            value = event.get("value")
    return before


async def answer_inline(
    intent: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
) -> list[EventType] | None:
    """Answer a question that needs no file, as its rule would; None if the intent is not such a question."""
    selector = (tracker.latest_message.get("response_selector") or {}).get(intent) or {}
    retrieved = (selector.get("response") or {}).get("utter_action")
    if retrieved:
        dispatcher.utter_message(response=retrieved)
        return []
    need = needs.BY_INTENT.get(intent)
    if need is None or need.group not in INLINE_GROUPS or intent in NOT_INLINE:
        return None
    if need.answer.startswith("utter_"):
        dispatcher.utter_message(response=need.answer)
        return []
    action = action_named(need.answer)
    if action is None:
        return None
    return list(await action.run(dispatcher, tracker, domain))


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
    """After the form: answer the questions that were waiting, in the order asked, or say why we cannot."""

    def name(self) -> str:
        return "action_resume_after_identification"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if tracker.get_slot("identified"):
            dispatcher.utter_message(response="utter_identified", first_name=tracker.get_slot("first_name"))
            events: list[EventType] = [SlotSet("pending_needs", None), SlotSet("identification_refusals", 0.0)]
            start = len(dispatcher.messages)
            waiting = waiting_answers(tracker)
            for name, message in waiting:
                # Answered here, in the same turn: the person asked once; each answer reads its own question.
                events += await run_for(name, dispatcher, about(tracker, message), domain)
            if len(waiting) > 1:
                date_once(dispatcher, start)
            return ask_after(dispatcher, tracker, events)  # once, after every answer that was waiting
        # The form has said why; a locked identity or a backend down go to a counsellor.
        outcome = tracker.get_slot("identification_outcome")
        events = [SlotSet("identifier", None), SlotSet("birth_date", None), SlotSet("pending_needs", None)]
        if outcome == "locked":
            events += await hand_over(dispatcher, tracker, "identification_locked")
        elif outcome == "backend_unavailable":
            events += await hand_over(dispatcher, tracker, "backend_error")
        return events


def _answer_of(intent: str) -> str | None:
    """The action that answers a waiting need: its own, the amount for « et en net ? » asked first."""
    name = INTENT_ACTIONS.get(intent) or AMOUNT_FOLLOWUPS.get(intent)
    if name is None and intent in INLINE_NEEDS:
        name = needs.BY_INTENT[intent].answer
    return name


def waiting_answers(tracker: Tracker) -> list[tuple[str, dict]]:
    """The actions that answer the needs waiting for the identification, in order, each once, with the
    message (or the clause of it) each answers.

    The message that started the form may carry several needs (``need`` entities of the clause reader,
    in the order written); questions asked in the middle of the form come after them."""
    trigger, asked_later = form_messages(tracker)
    wanted: list[tuple[str, dict]] = []
    if trigger is not None:
        for intent, clause in needs_of_message(trigger):
            wanted.append((intent, clause_message(trigger, intent, clause)))
        intent = (trigger.get("intent") or {}).get("name") or ""
        wanted.append((intent, trigger))
    for intent in tracker.get_slot("pending_needs") or []:
        wanted.append((intent, asked_later.get(intent) or tracker.latest_message))
    found: list[tuple[str, dict]] = []
    for intent, message in wanted:
        name = _answer_of(intent)
        if name and name not in [f[0] for f in found]:
            found.append((name, message))
    return found


def form_messages(tracker: Tracker) -> tuple[dict | None, dict[str, dict]]:
    """The message that started the latest identification form, and the latest message of each intent
    asked while it ran (as ``latest_message`` dicts)."""
    last: dict | None = None
    trigger: dict | None = None
    later: dict[str, dict] = {}
    for event in tracker.events:
        if event.get("event") == "user":
            last = {**(event.get("parse_data") or {}), "text": event.get("text") or ""}
            if trigger is not None:
                later[((last.get("intent") or {}).get("name")) or ""] = last
        elif event.get("event") == "active_loop" and event.get("name") == "identification_form":
            trigger, later = last, {}
    return trigger, later
