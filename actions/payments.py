"""When will I be paid, and I have not been paid: the next payment or why there is none."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from actions.phrasing import AFTER_RIGHTS, amount, data_date, day, eur, month, of_month

WHAT_TO_DO = {
    "missing_declaration": "Actualisez-vous sur francetravail.fr, l'application ou au 3995.",
    "document_awaited": "Déposez le document depuis votre espace personnel, rubrique « Mes échanges ».",
    "iban_rejected": "Mettez à jour votre RIB dans votre espace personnel, rubrique « Mon profil ».",
    "sanction": "Une sanction ne se discute pas avec un assistant automatique : si vous voulez la contester, "
    "dites-le-moi et un conseiller prendra le relais.",
}


def after_payment_answer(payment: dict, answered: str) -> list[EventType]:
    """Remember a sanction: contesting it next is for a counsellor (``action_handoff``, reason ``sanction``)."""
    return [SlotSet("last_answer", "sanction" if "sanction" in payment.get("reasons", []) else answered)]


def months_fr(periods: list[str]) -> str:
    """``['2026-10', '2026-11']`` -> ``'octobre et novembre 2026'``."""
    names = [month(p) for p in periods]
    if len({p[:4] for p in periods}) == 1 and len(names) > 1:
        names = [n.rsplit(" ", 1)[0] for n in names[:-1]] + names[-1:]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def _expected(payment: dict) -> list[str]:
    """A payment to come: which month, when, and how much."""
    period, of_period = month(payment["period"]), of_month(payment["period"])
    lines = []
    if payment["status"] == "scheduled":
        lines.append(f"Votre paiement {of_period} est prévu le {day(payment['payment_date'])}.")
    else:
        if "waiting_period" in payment.get("reasons", []):
            lines += [d["message"] for d in payment["reason_details"] if d["code"] == "waiting_period"]
            lines.append(f"Votre premier paiement couvrira {period}.")
        else:
            lines.append(f"Votre prochain paiement sera celui {of_period}.")
        lines.append(
            f"Il partira après votre actualisation, possible à partir du {day(payment['declaration_opens_on'])} : "
            f"vers le {day(payment['payment_date'])}, et au plus tard le {day(payment['latest_payment_date'])}."
        )
    withheld = amount(payment.get("overpayment_withheld"))
    estimated = "Montant estimé" if payment.get("estimate") else "Montant"
    if withheld > 0:
        lines.append(
            f"{estimated} : {eur(payment['net'])} net, après la retenue de {eur(payment['overpayment_withheld'])} "
            f"pour votre trop-perçu ({eur(payment['net_before_withholding'])} avant la retenue)"
            + (", sans salaire déclaré." if payment.get("estimate") else ".")
        )
    else:
        lines.append(
            f"{estimated} : {eur(payment['net'])} net" + (", sans salaire déclaré." if payment.get("estimate") else ".")
        )
    if payment["status"] == "scheduled":
        lines.append("Comptez ensuite 1 à 3 jours selon votre banque.")
    return lines


def describe_next_payment(payment: dict) -> list[str]:
    status = payment["status"]
    if status == "none":
        lines = [detail["message"] for detail in payment.get("reason_details", [])] or [
            "Aucun paiement n'est prévu dans votre dossier."
        ]
        if "end_of_rights" in payment.get("reasons", []):
            lines.append(AFTER_RIGHTS)
        return lines
    if status == "suspended":
        lines = [detail["message"] for detail in payment.get("reason_details", [])]
        lines.append(f"Rien n'est versé pour {months_fr(payment.get('months') or [payment['period']])}.")
        lines.append(WHAT_TO_DO["sanction"])
        if payment.get("then"):
            lines += _expected(payment["then"])
        return lines
    if status == "blocked":
        lines = [
            f"Votre paiement {of_month(payment['period'])} ({eur(payment['net'])} net) n'est pas parti pour le moment."
        ]
        lines += [detail["message"] for detail in payment.get("reason_details", [])]
        lines += [WHAT_TO_DO[code] for code in payment.get("reasons", []) if code in WHAT_TO_DO]
        if payment.get("then"):
            lines += _expected(payment["then"])
        return lines
    return _expected(payment)


class ActionAnswerPaymentDate(PersonalAction):
    def name(self) -> str:
        return "action_answer_payment_date"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        payment = await access.get("payments/next")
        lines = describe_next_payment(payment) + [data_date(payment.get("computed_at"))]
        dispatcher.utter_message(text="\n".join(lines))
        return after_payment_answer(payment, "payment_date")


class ActionAnswerMissingPayment(PersonalAction):
    """ "Je n'ai pas été payé": a blocked payment says why; a sent one says when it left."""

    def name(self) -> str:
        return "action_answer_missing_payment"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        payment = await access.get("payments/next")
        lines: list[str] = []
        if payment["status"] not in ("blocked", "suspended", "none"):
            history = (await access.get("payments", limit="1"))["payments"]
            last = history[0] if history else None
            if last and last["status"] == "paid":
                lines.append(
                    f"Votre dernier paiement, celui {of_month(last['period'])} ({eur(last['net'])} net), "
                    f"est parti le {day(last['payment_date'])}. Comptez 1 à 3 jours selon votre banque."
                )
        lines += describe_next_payment(payment)
        lines.append(data_date(payment.get("computed_at") or ""))
        dispatcher.utter_message(text="\n".join(line for line in lines if line))
        return after_payment_answer(payment, "missing_payment")
