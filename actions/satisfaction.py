"""One optional question after an answer about money: « Cette réponse vous a-t-elle aidé ? » (issue 19).

Asked by ``PersonalAction`` (actions/personal.py) right after it answered, when:

- the answer was about money (an amount, a payment, a difference, a simulation, an overpayment);
- the question was not asked before in this conversation (it is never asked twice);
- the answer itself asks nothing (no buttons, no question mark): two questions at once would
  leave the person unsure which one to answer;
- the conversation is not handed over, and ``ALLOCBOT_SATISFACTION`` is not ``off``.

The choices are the ``affirm`` and ``deny`` payloads: on the website they are buttons, by SMS
« 1 » / « 2 » (the channel numbers them and reads the number back), on WhatsApp reply buttons,
on the phone « oui » / « non ». Nothing waits for the answer: a real question typed instead is
understood and answered as usual, and the answer itself gets the usual « Que voulez-vous
savoir ? ». The analytics read the question by its metadata (``analytics``) and the next intent
(bot/analytics/facts.py); they never read the text.
"""

from __future__ import annotations

import os
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.common import needs

SWITCH = "ALLOCBOT_SATISFACTION"
MARK = "satisfaction_question"  # bot.analytics.minimise.SATISFACTION_MARK
MONEY_ANSWERS = frozenset(
    {"allowance_amount", "amount_difference", "payment_date", "missing_payment", "earnings_simulation", "overpayment"}
)
"""The ``last_answer`` values of the answers about money."""
QUESTION = "Cette réponse vous a-t-elle aidé ?"
SHORT_QUESTION = "Réponse utile ?"
SPOKEN_QUESTION = "Cette réponse vous a-t-elle aidé ? Dites oui ou non, ou tapez 1 ou 2."
SHORT_CHANNELS = frozenset({"twilio_sms", "sms"})
SPOKEN_CHANNELS = frozenset({"twilio_voice", "voice", "phone"})
BUTTONS = [{"title": "Oui", "payload": f"/{needs.AFFIRM}"}, {"title": "Non", "payload": f"/{needs.DENY}"}]


def enabled() -> bool:
    return os.environ.get(SWITCH, "on").strip().lower() not in {"off", "0", "false", "non"}


def asked_before(tracker: Tracker) -> bool:
    return any(
        event.get("event") == "bot" and (event.get("metadata") or {}).get("analytics") == MARK
        for event in tracker.events
    )


def _answer_asks_something(messages: list[dict[str, Any]]) -> bool:
    return any(message.get("buttons") or str(message.get("text") or "").rstrip().endswith("?") for message in messages)


def _money_answer(events: list[EventType]) -> bool:
    return any(
        event.get("event") == "slot" and event.get("name") == "last_answer" and event.get("value") in MONEY_ANSWERS
        for event in events
    )


def _hands_over(events: list[EventType]) -> bool:
    return any(event.get("event") in {"pause", "followup"} for event in events) or any(
        event.get("event") == "slot" and event.get("name") == "handoff_reason" and event.get("value")
        for event in events
    )


def ask_after(dispatcher: CollectingDispatcher, tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """Add the question after the answer that ``events`` close, when it is due (see the module's docstring)."""
    if not enabled() or not _money_answer(events) or _hands_over(events) or asked_before(tracker):
        return events
    if _answer_asks_something(dispatcher.messages):
        return events
    channel = tracker.get_latest_input_channel()
    if channel in SHORT_CHANNELS:
        text = SHORT_QUESTION
    elif channel in SPOKEN_CHANNELS:
        text = SPOKEN_QUESTION
    else:
        text = QUESTION
    dispatcher.utter_message(text=text, buttons=[dict(button) for button in BUTTONS], analytics=MARK)
    return events
