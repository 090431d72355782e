"""Working while on ARE: what will I get if I earn X this month."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from actions.phrasing import data_date, days, eur, month
from bot.clock import today


def describe_simulation(view: dict, earnings: str) -> list[str]:
    monthly = view["monthly"]
    unpaid = monthly["days_payable"] - monthly["days_paid"]
    lines = [
        f"Avec {eur(earnings)} brut de salaire en {month(view['month'])}, vous toucheriez "
        f"{eur(monthly['net'])} net d'allocation ({eur(monthly['gross'])} brut, "
        f"{days(monthly['days_paid'])} payés sur {monthly['days_payable']}).",
        f"Revenu brut total du mois : {eur(view['total_gross_income'])}.",
    ]
    if unpaid:
        lines.append(f"Les {days(unpaid)} non payés ne sont pas perdus : ils reportent la fin de vos droits.")
    if monthly.get("capped_by_reference_wage"):
        lines.append(
            "Allocation et salaire ensemble ne peuvent pas dépasser votre ancien salaire : le plafond s'applique ici."
        )
    lines.append(
        "C'est une simulation : le montant final dépendra de votre actualisation et de votre bulletin de salaire."
    )
    lines.append(data_date(view.get("computed_at")))
    return lines


async def simulate_and_say(
    dispatcher: CollectingDispatcher, access: FileAccess, period: str, earnings: str
) -> list[EventType]:
    """The backend's simulation for ``period`` said, and remembered as the last answer (for « et avec 400 ? »)."""
    view = await access.simulate_earnings(period, earnings)
    dispatcher.utter_message(text="\n".join(describe_simulation(view, earnings)))
    return [
        SlotSet("last_answer", "earnings_simulation"),
        SlotSet("last_month", view["month"]),
        SlotSet("last_amount", earnings),
        SlotSet("amount", None),
        SlotSet("month", None),
    ]


class ActionSimulateEarnings(PersonalAction):
    def name(self) -> str:
        return "action_simulate_earnings"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        earnings = tracker.get_slot("amount")
        if not earnings:
            # The next message with an amount ("800 €", intent inform) comes back here.
            dispatcher.utter_message(response="utter_ask_amount")
            return [SlotSet("pending_action", self.name())]
        period = tracker.get_slot("month") or today().strftime("%Y-%m")
        return [*await simulate_and_say(dispatcher, access, period, earnings), SlotSet("pending_action", None)]
