"""When the bot is not sure: a clarifying question with choices, then a rephrase, then a human.

Rasa's two-stage fallback calls ``action_default_ask_affirmation`` (here: the two
closest needs as buttons, in French, plus "autre chose" and "parler à un
conseiller": a person the bot does not understand can always choose a human), then
asks to rephrase, then calls ``action_default_fallback`` (here: say so and hand
over to a counsellor).

Never stuck: Rasa's loop starts over when a rephrase is misunderstood once more
(« zxqw », « Autre chose », « fghfgh »: clarification, rephrase, clarification
again…). Two misunderstandings in a row (a clarifying question, a rephrase or a
« je n'ai pas compris » answered each of the two messages before) and the next
one is not asked again: the bot says it does not understand and hands over to a
counsellor, as the README promises (``misunderstood_in_a_row``).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import hand_over
from bot.common.needs import LABELS as NEED_LABELS

CHOICES = 2
# The answers that say the bot did not understand the message before them.
MISUNDERSTOOD = frozenset({"utter_clarify", "utter_ask_rephrase", "utter_not_understood", "utter_default"})
MAX_MISUNDERSTOOD = 2  # misunderstandings in a row after which the bot hands over instead of asking again
HUMAN = "ask_human"
COUNSELLOR_CHOICE = {"title": NEED_LABELS[HUMAN], "payload": f"/{HUMAN}"}  # « Parler à un conseiller »


def misunderstood_in_a_row(tracker: Tracker) -> int:
    """How many user messages in a row, before the latest one, the bot answered only by not understanding."""
    count, answers = 0, []
    seen_latest = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "bot":
            answers.append((event.get("metadata") or {}).get("utter_action"))
        elif kind == "user":
            if not seen_latest:
                seen_latest, answers = True, []  # the latest message: its answer is being chosen now
                continue
            if not answers or any(a not in MISUNDERSTOOD for a in answers):
                break
            count, answers = count + 1, []
        elif kind in ("restart", "session_started"):
            break
    return count


class ActionAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        # Read against the last answer first: « et la dégressivité ça a commencé quand ? », « et je dois faire
        # quoi maintenant ? » are follow-ups the classifier alone was unsure of, not a need to choose.
        from actions.followups import ActionAnswerInContext, reading_in_context

        if reading_in_context(tracker) is not None:
            return await ActionAnswerInContext().run(dispatcher, tracker, domain)
        if misunderstood_in_a_row(tracker) >= MAX_MISUNDERSTOOD:
            # Asked to clarify or rephrase twice already: a counsellor, not the same question a third time.
            dispatcher.utter_message(response="utter_not_understood")
            return [UserUtteranceReverted(), *await hand_over(dispatcher, tracker, "repeated_misunderstanding")]
        ranking = tracker.latest_message.get("intent_ranking", [])
        needs = [item["name"] for item in ranking if item["name"] in NEED_LABELS and item["name"] != HUMAN][:CHOICES]
        buttons = [{"title": NEED_LABELS[need], "payload": f"/{need}"} for need in needs]
        # Rasa's two-stage fallback reads out_of_scope as "none of these": it then asks to rephrase.
        buttons.append({"title": "Autre chose", "payload": "/out_of_scope"})
        # And always a way out to a human: a person the bot did not understand chooses, not only after two more.
        buttons.append(COUNSELLOR_CHOICE)
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
    if fallbacks or misunderstood_in_a_row(tracker) >= MAX_MISUNDERSTOOD:
        return "repeated_misunderstanding"
    return None
