"""When the bot is not sure: a clarifying question with choices, then a rephrase, then a human.

Rasa's two-stage fallback calls ``action_default_ask_affirmation`` (here: the two
closest needs as buttons, in French, plus "autre chose"), then asks to rephrase,
then calls ``action_default_fallback`` (here: say so and hand over to a counsellor).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import hand_over
from bot.common.needs import LABELS as NEED_LABELS

CHOICES = 2


class ActionAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        # Read against the last answer first: « et la dégressivité ça a commencé quand ? », « et je dois faire
        # quoi maintenant ? » are follow-ups the classifier alone was unsure of, not a need to choose.
        from actions.followups import ActionAnswerInContext, reading_in_context

        if reading_in_context(tracker) is not None:
            return await ActionAnswerInContext().run(dispatcher, tracker, domain)
        ranking = tracker.latest_message.get("intent_ranking", [])
        needs = [item["name"] for item in ranking if item["name"] in NEED_LABELS][:CHOICES]
        buttons = [{"title": NEED_LABELS[need], "payload": f"/{need}"} for need in needs]
        # Rasa's two-stage fallback reads out_of_scope as "none of these": it then asks to rephrase.
        buttons.append({"title": "Autre chose", "payload": "/out_of_scope"})
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []


class ActionDefaultFallback(Action):
    """The bot gave up understanding: say so and hand over to a counsellor.

    Rasa's two-stage fallback calls it when the message after a clarification is
    still below the confidence threshold (``low_confidence``), or when the person
    rejected the proposed choices twice (``repeated_misunderstanding``); the
    RulePolicy calls it when no rule applies, which counts as a misunderstanding
    too. A single core fallback only asks to rephrase; the second in a row hands over.
    """

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        dispatcher.utter_message(response="utter_not_understood")
        reason = misunderstanding_reason(tracker)
        if reason is None:
            dispatcher.utter_message(response="utter_offer_human")
            return [UserUtteranceReverted()]
        # Reverted first: a revert after the pause would undo the pause too.
        return [UserUtteranceReverted(), *await hand_over(dispatcher, tracker, reason)]


def _recent(tracker: Tracker, count: int) -> list[dict]:
    """The last ``count`` user messages and bot actions, newest first."""
    found = []
    for event in reversed(tracker.events):
        if event.get("event") == "user" or (event.get("event") == "action" and event.get("name") != "action_listen"):
            found.append(event)
            if len(found) == count:
                break
    return found


def misunderstanding_reason(tracker: Tracker) -> str | None:
    intents = [
        ((e.get("parse_data") or {}).get("intent") or {}).get("name")
        for e in reversed(tracker.events)
        if e.get("event") == "user"
    ][:3]
    if intents[:2] == ["nlu_fallback", "nlu_fallback"]:
        return "low_confidence"
    if intents[:1] == ["out_of_scope"] and "nlu_fallback" in intents[1:]:
        return "repeated_misunderstanding"
    fallbacks = [
        e for e in _recent(tracker, 6) if e.get("event") == "action" and e.get("name") == "action_default_fallback"
    ]
    return "repeated_misunderstanding" if fallbacks else None
