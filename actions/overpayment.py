"""Overpayments (trop-perçus): why, how much is left, how to repay or contest."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from actions.phrasing import amount, day, eur


def describe_overpayments(overpayments: list[dict]) -> list[str]:
    if not overpayments:
        return ["Aucun trop-perçu n'est enregistré dans votre dossier."]
    lines = []
    for item in overpayments:
        lines.append(
            f"Trop-perçu {item['reference']}, notifié le {day(item['notified_on'])} : "
            f"{eur(item['amount'])}, pour la période du {day(item['period_start'])} au "
            f"{day(item['period_end'])}."
        )
        lines.append(f"Motif : {item['cause']}")
        if not item["recoverable"]:
            lines.append("Ce montant est trop faible pour être récupéré : vous n'avez rien à rembourser.")
            continue
        if amount(item["remaining"]) == 0:
            lines.append("Il est entièrement remboursé.")
            continue
        lines.append(f"Reste à rembourser : {eur(item['remaining'])}.")
        if amount(item["monthly_withholding"]) > 0 and item["status"] == "recovering":
            lines.append(f"{eur(item['monthly_withholding'])} sont retenus chaque mois sur vos allocations.")
        if item["can_contest"]:
            lines.append(f"Vous pouvez le contester jusqu'au {day(item['contest_deadline'])}.")
    lines.append(
        "Vous pouvez demander un échéancier (jusqu'à 24 mois) ou une remise de dette si votre situation "
        "est difficile : un conseiller examine ces demandes."
    )
    return lines


class ActionAnswerOverpayment(PersonalAction):
    def name(self) -> str:
        return "action_answer_overpayment"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        overpayments = (await access.get("overpayments"))["overpayments"]
        dispatcher.utter_message(text="\n".join(describe_overpayments(overpayments)))
        return [SlotSet("last_answer", "overpayment")]
