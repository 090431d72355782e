"""Overpayments (trop-perçus): why, how much was notified and is left, how it is repaid, contesting."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from actions.phrasing import amount, day, eur, month
from actions.rights import asks_about_sanction

AFTER_CONTEST = (
    "Vous pouvez encore demander une remise gracieuse (l'annulation de tout ou partie de la dette) si votre "
    "situation est difficile, ou saisir le médiateur de France Travail si vous êtes en désaccord."
)


def _recovery(item: dict) -> list[str]:
    """How what is left will be recovered: the withholding applied, or the one France Travail may make."""
    lines = [f"Il reste {eur(item['remaining'])} à rembourser sur les {eur(item['amount'])} notifiés."]
    plan, last = item.get("plan") or [], item.get("last_withholding")
    if item.get("withholding_applied"):
        lines.append(f"{eur(item['monthly_withholding'])} sont retenus chaque mois sur vos allocations.")
    elif plan:
        lines.append(
            f"Sans contestation, France Travail retiendra au plus {eur(item['monthly_withholding'])} par mois "
            "sur vos allocations (part saisissable)."
        )
    if last and len(plan) > 1:
        lines.append(
            f"À ce rythme, encore {len(plan)} retenues : la dernière, de {eur(last['amount'])}, en "
            f"{month(last['month'])}."
        )
    elif last:
        lines.append(f"Une dernière retenue de {eur(last['amount'])} est prévue en {month(last['month'])}.")
    if amount(item.get("balance_after_plan")) > 0:
        lines.append(
            f"Vos allocations à venir ne suffiront pas : il restera {eur(item['balance_after_plan'])}, que France "
            "Travail vous demandera de rembourser directement (en une fois ou jusqu'à 24 mensualités)."
        )
    return lines


def describe_overpayments(overpayments: list[dict]) -> list[str]:
    if not overpayments:
        return ["Aucun trop-perçu n'est enregistré dans votre dossier."]
    lines = []
    for item in overpayments:
        lines.append(
            f"Trop-perçu {item['reference']}, notifié le {day(item['notified_on'])} : {eur(item['amount'])}, "
            f"pour la période du {day(item['period_start'])} au {day(item['period_end'])}."
        )
        lines.append(f"Motif : {item['cause']}")
        if not item.get("rules_known", True):
            lines.append(f"Reste à rembourser : {eur(item['remaining'])}.")
            lines += [step["detail"] for step in item.get("explanation", [])]
            continue
        if not item["recoverable"]:
            if item.get("not_recovered_because") == "prescribed":
                lines.append("Le délai pour le récupérer a expiré : vous n'avez rien à rembourser.")
            else:
                lines.append("Ce montant est inférieur à 77 € : il n'est pas récupéré, vous n'avez rien à rembourser.")
            continue
        if amount(item["remaining"]) == 0:
            lines.append("Il est entièrement remboursé.")
            continue
        lines += _recovery(item)
        lines.append(_contest(item))
    lines.append(
        "Vous pouvez demander un échéancier (jusqu'à 24 mois) ou une remise de dette si votre situation "
        "est difficile : un conseiller examine ces demandes."
    )
    return lines


def describe_withholding(overpayments: list[dict]) -> list[str]:
    """How much is withheld each month (or will be), and what is left: « combien on me retient ? »."""
    lines = []
    for item in overpayments:
        if item.get("rules_known", True) and item.get("recoverable") and amount(item["remaining"]) > 0:
            lines.append(f"Trop-perçu {item['reference']} :")
            lines += _recovery(item)
    return lines or ["Aucune retenue n'est faite sur vos allocations pour un trop-perçu."]


def _contest(item: dict) -> str:
    if item["can_contest"]:
        return f"Vous pouvez le contester jusqu'au {day(item['contest_deadline'])}."
    return f"Le délai pour le contester a pris fin le {day(item['contest_deadline'])}."


def describe_contest(overpayments: list[dict]) -> list[str] | None:
    """Whether the person can still contest their overpayment, and what remains possible if not."""
    open_ones = [o for o in overpayments if o.get("rules_known", True) and o.get("recoverable")]
    if not open_ones:
        return None
    item = open_ones[-1]  # the latest notified
    if item["can_contest"]:
        return [
            f"Vous pouvez contester le trop-perçu {item['reference']} jusqu'au {day(item['contest_deadline'])} : "
            "par courrier ou depuis votre espace personnel. Un conseiller examine votre demande."
        ]
    return [
        f"Le délai pour contester le trop-perçu {item['reference']} (2 mois après sa notification du "
        f"{day(item['notified_on'])}) a pris fin le {day(item['contest_deadline'])}.",
        AFTER_CONTEST,
    ]


class ActionAnswerOverpayment(PersonalAction):
    def name(self) -> str:
        return "action_answer_overpayment"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        overpayments = (await access.get("overpayments"))["overpayments"]
        dispatcher.utter_message(text="\n".join(describe_overpayments(overpayments)))
        return [SlotSet("last_answer", "overpayment")]


class ActionAnswerContest(PersonalAction):
    """ "Je peux contester ?": from the file when the person is identified, else the general answer.

    A contest is never decided here: the rule hands over to a counsellor right after.
    """

    def name(self) -> str:
        return "action_answer_contest"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        about_sanction = asks_about_sanction(tracker.latest_message.get("text") or "")
        if not tracker.get_slot("identified") or about_sanction or tracker.get_slot("last_answer") == "sanction":
            dispatcher.utter_message(response="utter_contest_decision")
            return []
        return await super().run(dispatcher, tracker, domain)

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        lines = describe_contest((await access.get("overpayments"))["overpayments"])
        if lines is None:
            dispatcher.utter_message(response="utter_contest_decision")
        else:
            dispatcher.utter_message(text="\n".join(lines))
        return []
