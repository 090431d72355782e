"""How much will I receive: daily or monthly, gross and net, this month or a named month."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from actions.phrasing import (
    AFTER_RIGHTS,
    amount,
    asks_daily,
    data_date,
    day,
    days,
    deductions_taken,
    eur,
    mentions,
    month,
)


def _no_amount(view: dict) -> list[str] | None:
    """The months for which no amount is due: before the start, after the end, under a sanction."""
    period = month(view["month"])
    status = view.get("status")
    if status == "before_start":
        start = day(view["first_paid_day"])
        return [f"Votre indemnisation commence le {start} : aucune allocation n'est due pour {period}."]
    if status in ("after_end", "no_rights"):
        if status == "no_rights":
            return ["Votre dossier n'ouvre pas de droit à l'allocation. Un conseiller peut vous expliquer pourquoi."]
        ended = "ont pris fin" if view.get("rights_ended") else "prennent fin"
        return [
            f"Vos droits {ended} le {day(view['end_of_rights'])} : aucune allocation n'est due pour {period}.",
            AFTER_RIGHTS,
        ]
    if status == "suspended":
        return [
            f"Votre allocation est suspendue jusqu'au {day(view['sanction_until'])} à la suite d'une sanction : "
            f"aucune allocation n'est due pour {period}.",
            f"Ces jours ne sont pas perdus : ils repoussent la fin de vos droits au {day(view['end_of_rights'])}.",
        ]
    return None


def describe_allowance(view: dict, daily: bool = False, focus: str | None = None) -> list[str]:
    """The answer in short French sentences, every figure taken from the backend's view.

    ``focus`` ("net" or "brut") puts that figure first when the person asked for it.
    """
    monthly, per_day = view["monthly"], view["daily"]
    period = month(view["month"])
    payment = view.get("payment")
    nothing = _no_amount(view) if not payment or view.get("status") == "suspended" else None
    if nothing is not None:
        return [*nothing, data_date(view.get("computed_at"))]
    if daily:
        lines = [
            f"Votre allocation journalière en {period} : {eur(per_day['gross'])} brut, "
            f"soit {eur(per_day['net'])} net par jour."
        ]
    elif payment and payment["status"] == "paid":
        lines = [
            f"Pour {period}, vous avez reçu {eur(payment['net'])} net, versés le {day(payment['payment_date'])}"
            f" ({eur(payment['gross'])} brut)."
        ]
    elif payment and payment["status"] == "blocked":
        lines = [
            f"Pour {period}, votre allocation est de {eur(monthly['net'])} net ({eur(monthly['gross'])} brut), "
            "mais son paiement est bloqué pour le moment. Demandez-moi pourquoi si vous le souhaitez."
        ]
    elif focus == "brut":
        lines = [
            f"Pour {period}, votre allocation est estimée à {eur(monthly['gross'])} brut ({eur(monthly['net'])} net)."
        ]
    else:
        lines = [
            f"Pour {period}, votre allocation est estimée à {eur(monthly['net'])} net, "
            f"soit {eur(monthly['gross'])} brut."
        ]
    if not daily:
        lines.append(_composition(view))
    if payment and amount(payment.get("overpayment_withheld")) > 0:
        lines.append(f"{eur(payment['overpayment_withheld'])} ont été retenus pour rembourser un trop-perçu.")
    if amount(monthly.get("declared_earnings")) > 0:
        unpaid = monthly["days_payable"] - monthly["days_paid"]
        declared = f"Vous avez déclaré {eur(monthly['declared_earnings'])} de salaire ce mois-là : "
        lines.append(
            declared + f"{days(unpaid)} ne sont pas payés et repoussent la fin de vos droits."
            if unpaid
            else declared + "tous vos jours sont payés."
        )
    if monthly.get("suspended_days"):
        lines.append(
            f"Votre allocation est suspendue jusqu'au {day(view['sanction_until'])} à la suite d'une sanction : "
            f"{days(monthly['suspended_days'])} ne sont pas payés ce mois-là."
        )
    if monthly["days_paid"] < 30 and view["month"] == view["end_of_rights"][:7]:
        lines.append(f"Vos droits prennent fin le {day(view['end_of_rights'])}.")
    if view.get("source") == "estimate" and view.get("assumption") and not daily:
        lines.append("C'est une estimation sans salaire déclaré ce mois-ci.")
    lines.append(data_date(view.get("computed_at")))
    return lines


def _composition(view: dict) -> str:
    monthly, per_day = view["monthly"], view["daily"]
    if monthly.get("reduced_rate_days") and monthly.get("full_rate_days"):
        # The month in which day 183 falls: two daily rates.
        rates = (
            f"{eur(monthly['daily_allowance'])} × {days(monthly['full_rate_days'])} + "
            f"{eur(monthly['reduced_daily_allowance'])} × {days(monthly['reduced_rate_days'])} (dégressivité)"
        )
    else:
        rates = f"{eur(per_day['gross'])} brut par jour × {days(monthly['days_paid'])}"
    text = f"Calcul : {rates} = {eur(monthly['gross'])} brut"
    taken = deductions_taken(monthly)
    if taken:
        text += ", moins " + ", ".join(taken)
    return text + "."


class ActionAnswerAllowanceAmount(PersonalAction):
    def name(self) -> str:
        return "action_answer_allowance_amount"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        from actions.followups import WITHHOLDING, answer_in_context

        text = (tracker.latest_message.get("text") or "").lower()
        if tracker.get_slot("last_answer") == "overpayment" and WITHHOLDING.search(text):
            # « non, je voulais dire combien on me retient chaque mois » right after the overpayment.
            return await answer_in_context("withholding", dispatcher, tracker, access)
        return await answer_amount(dispatcher, tracker, access, tracker.get_slot("month"))


async def answer_amount(
    dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, period: str | None, focus: str | None = None
) -> list[EventType]:
    """Shared with the follow-ups ("et le mois prochain ?", "et en net ?")."""
    text = tracker.latest_message.get("text") or ""
    if focus is None:
        focus = "brut" if mentions(text, "brut") else "net" if mentions(text, "net") else None
    view = await access.client.allowance(access.person, access.token, access.conversation_id, period)
    dispatcher.utter_message(text="\n".join(describe_allowance(view, asks_daily(text), focus)))
    return [SlotSet("last_answer", "allowance_amount"), SlotSet("last_month", view["month"]), SlotSet("month", None)]
