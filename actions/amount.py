"""How much will I receive: the monthly allowance, gross and net, and what it is made of."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from bot.clock import PARIS
from bot.formatting import format_date_fr, format_eur, format_month_fr


def _money(value: str | None) -> Decimal:
    return Decimal(value or "0")


def describe_allowance(view: dict) -> list[str]:
    """The answer in short French sentences, every figure taken from the backend's view."""
    monthly, daily = view["monthly"], view["daily"]
    month = format_month_fr(datetime.strptime(view["month"], "%Y-%m").date())
    payment = view.get("payment")
    if payment and payment["status"] == "paid":
        opening = f"Pour {month}, vous avez reçu {format_eur(_money(payment['net']))} net"
        opening += f", versés le {format_date_fr(datetime.fromisoformat(payment['payment_date']).date())}."
    elif payment and payment["status"] == "blocked":
        opening = (f"Pour {month}, votre allocation est de {format_eur(_money(monthly['net']))} net, "
                   "mais son paiement est bloqué pour le moment.")
    else:
        opening = (f"Pour {month}, votre allocation est estimée à {format_eur(_money(monthly['gross']))} brut, "
                   f"soit {format_eur(_money(monthly['net']))} net.")
    lines = [opening]
    lines.append(
        f"Calcul : {format_eur(_money(daily['gross']))} brut par jour × {monthly['days_paid']} jours "
        f"= {format_eur(_money(monthly['gross']))} brut.")
    deductions = [
        ("cotisation retraite", monthly["retirement_contribution"]),
        ("CSG", monthly["csg"]),
        ("CRDS", monthly["crds"]),
        ("cotisation Alsace-Moselle", monthly["alsace_moselle_contribution"]),
    ]
    taken = [f"{label} {format_eur(_money(value))}" for label, value in deductions if _money(value) > 0]
    if taken:
        lines.append("Retenues : " + ", ".join(taken) + ".")
    if payment and _money(payment.get("overpayment_withheld")) > 0:
        lines.append(f"Dont {format_eur(_money(payment['overpayment_withheld']))} retenus pour un trop-perçu.")
    if _money(monthly.get("declared_earnings")) > 0:
        lines.append(f"Vous avez déclaré {format_eur(_money(monthly['declared_earnings']))} de salaire ce mois-là : "
                     f"{monthly['days_payable'] - monthly['days_paid']} jours ne sont pas payés et reportent "
                     "la fin de vos droits.")
    computed = datetime.fromisoformat(view["computed_at"]).astimezone(PARIS).date()
    lines.append(f"Chiffres de votre dossier au {format_date_fr(computed)}.")
    return lines


class ActionAnswerAllowanceAmount(PersonalAction):
    def name(self) -> str:
        return "action_answer_allowance_amount"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess,
                     domain: dict) -> list[EventType]:
        view = await access.client.allowance(access.person, access.token, access.conversation_id)
        dispatcher.utter_message(text="\n".join(describe_allowance(view)))
        return [SlotSet("last_answer", "allowance_amount")]
