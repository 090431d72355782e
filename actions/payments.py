"""When will I be paid, and I have not been paid: the next payment or why there is none."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from actions.phrasing import data_date, day, eur, month, of_month

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


def describe_next_payment(payment: dict) -> list[str]:
    status = payment["status"]
    if status == "none":
        return [detail["message"] for detail in payment.get("reason_details", [])] or [
            "Aucun paiement n'est prévu dans votre dossier."
        ]
    period = month(payment["period"])
    of_period = of_month(payment["period"])
    if status == "blocked":
        lines = [f"Votre paiement {of_period} ({eur(payment['net'])} net) n'est pas parti pour le moment."]
        lines += [detail["message"] for detail in payment.get("reason_details", [])]
        lines += [WHAT_TO_DO[code] for code in payment.get("reasons", []) if code in WHAT_TO_DO]
        return lines
    if status == "scheduled":
        return [
            f"Votre paiement {of_period}, {eur(payment['net'])} net, est prévu le {day(payment['payment_date'])}.",
            "Comptez ensuite 1 à 3 jours selon votre banque.",
        ]
    lines = []
    if "waiting_period" in payment.get("reasons", []):
        lines += [detail["message"] for detail in payment["reason_details"]]
        lines.append(f"Votre premier paiement couvrira {period}.")
    else:
        lines.append(f"Votre prochain paiement sera celui {of_period}.")
    lines.append(
        f"Il partira après votre actualisation, possible à partir du {day(payment['declaration_opens_on'])} : "
        f"en général vers le {day(payment['payment_date'])}."
    )
    lines.append(f"Montant estimé : {eur(payment['net'])} net, sans salaire déclaré.")
    return lines


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
        if payment["status"] not in ("blocked", "none"):
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
