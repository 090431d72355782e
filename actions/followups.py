"""Follow-ups after an answer: "et le mois prochain ?", "et en net ?", "pourquoi ?".

They are read against ``last_answer`` (the need answered just before) and
``last_month`` (the month it was about), so that a short message is understood
in context. Without context the bot asks what the person means.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.amount import answer_amount
from actions.amount_difference import describe_difference
from actions.earnings import describe_simulation
from actions.personal import FileAccess, PersonalAction
from actions.phrasing import data_date, mentions
from bot.common.calendar import following_month, month_of, period_of
from bot.common.clock import today

MAX_STEPS = 6


def next_month_of(period: str | None) -> str:
    return period_of(following_month(month_of(period) if period else today()))


class ActionAnswerFollowup(PersonalAction):
    def name(self) -> str:
        return "action_answer_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if not tracker.get_slot("last_answer") and not tracker.get_slot("month"):
            # "pourquoi ?" with nothing before it: ask, rather than identify the person for nothing.
            dispatcher.utter_message(response="utter_ask_followup_context")
            return []
        return await super().run(dispatcher, tracker, domain)

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        last = tracker.get_slot("last_answer")
        text = tracker.latest_message.get("text") or ""
        if intent == "followup_month":
            period = tracker.get_slot("month") or next_month_of(tracker.get_slot("last_month"))
            if last == "earnings_simulation" and tracker.get_slot("last_amount"):
                view = await access.simulate_earnings(period, tracker.get_slot("last_amount"))
                dispatcher.utter_message(text="\n".join(describe_simulation(view, tracker.get_slot("last_amount"))))
                return [SlotSet("last_month", view["month"]), SlotSet("month", None)]
            return await answer_amount(dispatcher, tracker, access, period)
        if intent == "followup_net_gross":
            focus = "brut" if mentions(text, "brut") else "net"
            return await answer_amount(dispatcher, tracker, access, tracker.get_slot("last_month"), focus)
        return await self._why(dispatcher, tracker, access, last)

    async def _why(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, last: str | None
    ) -> list[EventType]:
        if last in ("payment_date", "missing_payment", "amount_difference"):
            history = (await access.get("payments", limit="2"))["payments"]
            dispatcher.utter_message(text="\n".join(describe_difference(history)))
            return []
        if last == "rights_duration":
            rights = await access.get("rights")
            steps = rights["explanation"]
            computed = None
        elif last == "earnings_simulation" and tracker.get_slot("last_amount"):
            view = await access.simulate_earnings(tracker.get_slot("last_month"), tracker.get_slot("last_amount"))
            steps, computed = view["explanation"], view.get("computed_at")
        else:
            view = await access.client.allowance(
                access.person, access.token, access.conversation_id, tracker.get_slot("last_month")
            )
            steps, computed = view["explanation"], view.get("computed_at")
        lines = ["Voici comment ce montant est calculé :"]
        lines += [f"- {step['label']} : {step['detail']}" for step in _relevant(steps)]
        if computed:
            lines.append(data_date(computed))
        dispatcher.utter_message(text="\n".join(lines))
        return []


def _relevant(steps: list[dict]) -> list[dict]:
    """The main steps, without repeating a label: a person reads a few lines, not a ledger."""
    seen: set[str] = set()
    kept = []
    for step in steps:
        if step["label"] in seen:
            continue
        seen.add(step["label"])
        kept.append(step)
    return kept[:MAX_STEPS]
