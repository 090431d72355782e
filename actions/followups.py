"""Follow-ups and corrections after an answer: "et le mois prochain ?", "non en brut", "et avec 400 ?", "pourquoi ?".

They are read against the context the answering actions leave in the slots: ``last_answer`` (the
need answered just before), ``last_month`` (the month it was about) and ``last_amount`` (the salary
of a simulation). « non pas ce mois-ci, le mois dernier » is a follow-up on another month, « non en
brut » on the gross figure, « et avec 400 ? » a simulation with another salary, « non par mois » the
monthly figure after the daily one. « pourquoi ? » goes one level deeper each time it is asked again
(``actions/explanations.py``), then offers a counsellor. Without context the bot asks what the person
means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.amount import answer_amount
from actions.amount_difference import describe_difference
from actions.declaration import describe_status
from actions.earnings import ActionSimulateEarnings, describe_simulation, simulate_and_say
from actions.explanations import asks_why, level_of, lines_of, topic_of
from actions.overpayment import describe_withholding
from actions.payments import WHAT_TO_DO
from actions.personal import FileAccess, PersonalAction
from actions.phrasing import asks_daily, data_date, mentions
from bot.common import needs
from bot.common.calendar import following_month, month_of, period_of
from bot.common.clock import today
from bot.common.folding import fold
from bot.common.identity_text import find_identifier

PERSONAL_NEEDS = set(needs.PERSONAL_ACTIONS)
MAX_WHY = 3  # the third « pourquoi ? » in a row offers a counsellor: the file has said what it holds
BARE_NUMBER = re.compile(r"(?<![\d,.])(\d{2,5}(?:[.,]\d{1,2})?)(?![\d,.])")
WHAT_NOW = re.compile(
    r"\b(?:(?:je )?(?:dois|peux|fais|fait) (?:faire )?quoi|(?:quoi|que) faire|je fais comment|"
    r"comment (?:je fais|faire)|qu ?est ce que je (?:dois|peux) faire|qu ?est ce qu il faut faire|"
    r"il faut faire quoi|on fait quoi)\b"
)
MONTHLY = re.compile(r"\b(?:par mois|au mois|mensuel\w*|chaque mois|le mois)\b")
WITHHOLDING = re.compile(r"\b(?:reti\w*|retenu\w*|prel\w*|rembours\w*|chaque mois|par mois)\b")


def next_month_of(period: str | None) -> str:
    return period_of(following_month(month_of(period) if period else today()))


def context_kind(tracker: Tracker) -> str | None:
    """What a short message means against the last answer, or None if it says nothing about it."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "followup_month":
        return "month"
    if intent == "followup_net_gross":
        return "net_gross"
    if intent == "ask_why":
        return "why"
    last = tracker.get_slot("last_answer")
    text = fold(tracker.latest_message.get("text") or "").replace("'", " ")
    if last == "earnings_simulation" and (tracker.get_slot("amount") or BARE_NUMBER.search(text)):
        return "simulation"
    if tracker.get_slot("month") and last in (None, "allowance_amount", "earnings_simulation", "amount_difference"):
        return "month"
    if last is None:
        return None
    if mentions(text, "brut") or mentions(text, "net"):
        return "net_gross"
    if last == "overpayment" and WITHHOLDING.search(text):
        return "withholding"
    if last == "allowance_amount" and (MONTHLY.search(text) or asks_daily(text)):
        return "per"
    if last in AFTER_WHAT_NOW and WHAT_NOW.search(text):
        return "what_now"
    return None


# The answers after which « et je dois faire quoi maintenant ? » asks what to do about a payment.
AFTER_WHAT_NOW = {"missing_payment", "payment_date", "amount_difference", "declaration_status", "sanction"}


def simulated_salary(tracker: Tracker) -> str | None:
    """The salary of « et avec 400 ? »: the amount entity, else a bare number of the message."""
    if tracker.get_slot("amount"):
        return str(tracker.get_slot("amount"))
    match = BARE_NUMBER.search(fold(tracker.latest_message.get("text") or ""))
    return f"{float(match.group(1).replace(',', '.')):.2f}" if match else None


def is_why(event: dict) -> bool:
    """A message answered by the file's explanation: « pourquoi ? », or a question that asks why about a topic
    of the explanation (« pourquoi mon allocation est si faible ? »), whatever need it was read as."""
    if ((event.get("parse_data") or {}).get("intent") or {}).get("name") == "ask_why":
        return True
    return asks_why(event.get("text")) and topic_of(event.get("text")) is not None


def said_by_the_person(tracker: Tracker) -> Iterator[dict]:
    """The person's messages, newest first, without the answers to the identification form: « pourquoi mon premier
    paiement arrive si tard ? », identifier, birth date, « pourquoi ? » is two « pourquoi » in a row."""
    loop, said = None, []
    for event in tracker.events:
        if event.get("event") == "active_loop":
            loop = event.get("name")
        elif event.get("event") == "user" and loop != "identification_form":
            said.append(event)
    yield from reversed(said)


def why_depth(tracker: Tracker) -> int:
    """How many « pourquoi ? » in a row, this one included."""
    depth = 0
    for event in said_by_the_person(tracker):
        if not is_why(event):
            break
        depth += 1
    return max(depth, 1)


def why_topic(tracker: Tracker) -> str | None:
    """What the « pourquoi ? » in a row are about: this one's words, else those of the one before it.

    « Pourquoi si tard ? » then « pourquoi ? »: the second goes deeper into the waiting periods, not back
    to the whole calculation of the amount."""
    for event in said_by_the_person(tracker):
        if not is_why(event):
            break
        topic = topic_of(event.get("text"))
        if topic is not None:
            return topic
    return topic_of(tracker.latest_message.get("text"))


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
        kind = context_kind(tracker) or "why"
        return await answer_in_context(kind, dispatcher, tracker, access)


async def answer_in_context(
    kind: str, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess
) -> list[EventType]:
    last = tracker.get_slot("last_answer")
    text = tracker.latest_message.get("text") or ""
    last_amount = tracker.get_slot("last_amount")
    if kind == "simulation":
        period = tracker.get_slot("month") or tracker.get_slot("last_month") or today().strftime("%Y-%m")
        earnings = simulated_salary(tracker)
        if earnings is None:
            dispatcher.utter_message(response="utter_ask_amount")
            return [SlotSet("pending_action", "action_simulate_earnings")]
        return await simulate_and_say(dispatcher, access, period, earnings)
    if kind == "month":
        period = tracker.get_slot("month") or next_month_of(tracker.get_slot("last_month"))
        if last == "earnings_simulation" and last_amount:
            view = await access.simulate_earnings(period, last_amount)
            dispatcher.utter_message(text="\n".join(describe_simulation(view, last_amount)))
            return [SlotSet("last_month", view["month"]), SlotSet("month", None)]
        return await answer_amount(dispatcher, tracker, access, period)
    if kind == "net_gross":
        if last == "earnings_simulation" and last_amount:
            view = await access.simulate_earnings(tracker.get_slot("last_month"), last_amount)
            dispatcher.utter_message(text="\n".join(describe_simulation(view, last_amount)))
            return []
        focus = "brut" if mentions(text, "brut") else "net"
        return await answer_amount(dispatcher, tracker, access, tracker.get_slot("last_month"), focus)
    if kind == "withholding":
        overpayments = (await access.get("overpayments"))["overpayments"]
        dispatcher.utter_message(text="\n".join(describe_withholding(overpayments)))
        return [SlotSet("last_answer", "overpayment")]
    if kind == "per":
        return await answer_amount(dispatcher, tracker, access, tracker.get_slot("last_month"))
    if kind == "what_now":
        return await what_to_do(dispatcher, tracker, access)
    if kind == "topic":
        return await explain_why(dispatcher, tracker, access, None)
    return await explain_why(dispatcher, tracker, access, last)


async def explain_why(
    dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, last: str | None
) -> list[EventType]:
    """The explanation steps the question is about, one level deeper each time, then a counsellor."""
    depth = why_depth(tracker)
    topic = why_topic(tracker)
    if depth >= MAX_WHY:
        dispatcher.utter_message(response="utter_why_said_all")
        return []
    computed = None
    if last in ("payment_date", "missing_payment", "amount_difference") and topic is None:
        history = (await access.get("payments", limit="2"))["payments"]
        if last != "amount_difference" and depth == 1 and history:
            dispatcher.utter_message(text="\n".join(describe_difference(history)))
            return []
        steps = history[0]["explanation"] if history else []
        computed = history[0].get("computed_at") if history else None
        if depth > 1 or not steps:
            view = await access.client.allowance(access.person, access.token, access.conversation_id, None)
            steps, computed = view["explanation"], view.get("computed_at")
            depth = max(depth - 1, 1)
    elif last == "rights_duration" and topic is None:
        steps = (await access.get("rights"))["explanation"]
    elif last == "earnings_simulation" and tracker.get_slot("last_amount") and topic is None:
        view = await access.simulate_earnings(tracker.get_slot("last_month"), tracker.get_slot("last_amount"))
        steps, computed = view["explanation"], view.get("computed_at")
    else:
        view = await access.client.allowance(
            access.person, access.token, access.conversation_id, tracker.get_slot("last_month")
        )
        steps, computed = view["explanation"], view.get("computed_at")
        if topic == "late" or topic == "degressivity":
            steps = steps + [s for s in (await access.get("rights"))["explanation"] if s not in steps]
    said = level_of(steps, topic, depth)
    if not said:
        dispatcher.utter_message(response="utter_why_said_all")
        return []
    if depth > 1:
        opening = "Dans le détail :"
    elif topic == "deductions":
        opening = "Voici ce qui est prélevé sur votre allocation, d'après votre dossier :"
    elif last != "rights_duration" and topic in (None, "low"):
        opening = "Voici comment ce montant est calculé :"  # a bare « pourquoi ? » after an amount: its calculation
    else:
        opening = "Voici ce que dit votre dossier :"
    lines = [opening, *lines_of(said)]
    if computed:
        lines.append(data_date(computed))
    dispatcher.utter_message(text="\n".join(lines))
    return []


async def what_to_do(dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess) -> list[EventType]:
    """« et je dois faire quoi maintenant ? » after a payment that did not come: what unblocks it."""
    payment = await access.get("payments/next")
    reasons = list(payment.get("reasons") or [])
    if "missing_declaration" in reasons:
        status = await access.get("declarations/current")
        dispatcher.utter_message(text="\n".join(describe_status(status, missed_question=True)))
        return [SlotSet("last_answer", "declaration_status")]
    todo = [WHAT_TO_DO[code] for code in reasons if code in WHAT_TO_DO]
    if not todo:
        todo = ["Rien n'est à faire de votre côté pour ce paiement : il suit son cours."]
    dispatcher.utter_message(text="\n".join(todo))
    return []


def reading_in_context(tracker: Tracker) -> str | None:
    """A message the classifier was unsure of, read against the last answer: a correction or a follow-up
    (``context_kind``), or a question about how the figures are made (« ça va encore baisser ? »)."""
    if not tracker.get_slot("identified") or not tracker.get_slot("last_answer"):
        return None
    kind = context_kind(tracker)
    if kind is not None and kind != "why":
        return kind
    return "topic" if topic_of(tracker.latest_message.get("text")) in ("degressivity", "late", "low") else None


class ActionAnswerInContext(ActionAnswerFollowup):
    """A yes, a no or a bare piece of information out of a question: a correction of the last answer if it
    says one (« non, le mois dernier », « non en brut pardon »), else the bot asks what the person wants."""

    def name(self) -> str:
        return "action_answer_in_context"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        kind = reading_in_context(tracker)
        if kind is None:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        return await super().run(dispatcher, tracker, domain)

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        return await answer_in_context(reading_in_context(tracker) or "why", dispatcher, tracker, access)


class ActionAnswerInform(Action):
    """A bare piece of information answers the question the bot just asked, else corrects the last answer.

    « 800 € » after « Quel salaire brut pensez-vous gagner ? » is the simulation's salary; « et avec 400 ? »
    after a simulation, another salary; an identifier given before any question starts the identification
    (the question it came with, if the clause reader found one, is answered after it)."""

    def name(self) -> str:
        return "action_answer_inform"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if tracker.get_slot("pending_action") == "action_simulate_earnings" and tracker.get_slot("amount"):
            return await ActionSimulateEarnings().run(dispatcher, tracker, domain)
        if tracker.get_slot("pending_action") == "action_simulate_earnings":
            dispatcher.utter_message(response="utter_amount_invalid")
            return []
        if reading_in_context(tracker) is not None:
            return await ActionAnswerInContext().run(dispatcher, tracker, domain)
        text = tracker.latest_message.get("text") or ""
        if not tracker.get_slot("identified") and find_identifier(text):
            # « 5678901E, né le 05/11/1980. Jusqu'à quand… ? »: the question is the surest personal need
            # behind the information (the clause reader's ``need`` entities say it as well).
            ranking = tracker.latest_message.get("intent_ranking") or []
            asked = [r["name"] for r in ranking if r.get("name") in PERSONAL_NEEDS and r.get("confidence", 0) >= 0.15]
            return [SlotSet("pending_needs", asked[:1]), FollowupAction("identification_form")]
        dispatcher.utter_message(response="utter_inform_out_of_context")
        return []
