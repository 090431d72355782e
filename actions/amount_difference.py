"""Why is my amount lower or different: the reasons the backend states for the last payment."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.explanations import topic_of
from actions.personal import FileAccess, PersonalAction
from actions.phrasing import amount, data_date, deductions_taken, eur, month, of_month
from bot.common.clock import today
from bot.common.folding import fold

# Words of a comparison with an earlier payment: then the difference between the payments is the answer.
COMPARED = re.compile(r"\b(?:moins|dernier|derniere|habitude|avant|precedent\w*|d'habitude|que le mois)\b")
BLOCKING = {"missing_declaration", "document_awaited", "sanction", "iban_rejected"}


def _compared(last: dict, previous: dict | None) -> str:
    if previous is None:
        return "."
    if previous["net"] == last["net"]:
        return f", comme pour {month(previous['period'])}."
    return f", contre {eur(previous['net'])} pour {month(previous['period'])}."


def describe_difference(history: list[dict]) -> list[str]:
    if not history:
        return ["Aucun paiement n'a encore été fait dans votre dossier : je ne peux pas comparer de montants."]
    last = history[0]
    previous = history[1] if len(history) > 1 else None
    if last["status"] == "blocked":
        if "sanction" in last.get("reasons", []) and not last.get("days_paid"):
            # A suspended month: nothing is due for it, so no amount is said.
            first = f"Aucune allocation n'est versée pour {month(last['period'])}."
        else:
            first = (
                f"Votre paiement {of_month(last['period'])} ({eur(last['net'])} net) n'est pas parti pour le moment."
            )
        reasons = [d["message"] for d in last.get("reason_details", [])]
        return [first, *reasons, data_date(last.get("computed_at"))]
    lines = [f"Votre paiement {of_month(last['period'])} : {eur(last['net'])} net" + _compared(last, previous)]
    lowering = [d["message"] for d in last.get("reason_details", []) if d["code"] not in BLOCKING]
    if lowering:
        lines += lowering
    elif previous and amount(last["net"]) < amount(previous["net"]):
        lines.append(
            f"Le montant brut est passé de {eur(previous['gross'])} à {eur(last['gross'])} "
            f"({last['days_paid']} jours payés contre {previous['days_paid']})."
        )
    else:
        lines.append("Rien n'a réduit ce paiement en dehors des retenues habituelles.")
    taken = deductions_taken(last)
    if taken:
        lines.append(f"Du brut ({eur(last['gross'])}) au net, on retire : " + ", ".join(taken) + ".")
    lines.append(data_date(last.get("computed_at")))
    return lines


def _payment_for(payments: list[dict], period: str) -> int | None:
    """The payment *for* that month, else the one *paid in* it ("touché moins ce mois-ci")."""
    for matches in (lambda p: p["period"] == period, lambda p: (p["payment_date"] or "")[:7] == period):
        index = next((i for i, p in enumerate(payments) if matches(p)), None)
        if index is not None:
            return index
    return None


class ActionExplainAmountDifference(PersonalAction):
    def name(self) -> str:
        return "action_explain_amount_difference"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if topic_of(text) in ("low", "degressivity", "late") and not COMPARED.search(fold(text)):
            # « pourquoi mon allocation est si faible ? », « va-t-elle diminuer au bout de six mois ? »: not a
            # payment lower than the one before, but how the allowance is made; the file's steps say it.
            from actions.followups import explain_why

            events = await explain_why(dispatcher, tracker, access, None)
            return [*events, SlotSet("last_answer", "allowance_amount"), SlotSet("month", None)]
        period = tracker.get_slot("month")
        if period is None:
            history = (await access.get("payments", limit="2"))["payments"]
        else:
            payments = (await access.get("payments", limit="60"))["payments"]
            index = _payment_for(payments, period) if payments else 0
            if index is None and period >= today().strftime("%Y-%m"):
                index = 0  # "ce mois-ci": the latest payment, paid or still blocked
            if index is None:
                dispatcher.utter_message(text=f"Je ne trouve pas de paiement pour {month(period)} dans votre dossier.")
                return [SlotSet("month", None)]
            history = payments[index : index + 2]
        dispatcher.utter_message(text="\n".join(describe_difference(history)))
        return [SlotSet("last_answer", "amount_difference"), SlotSet("month", None)]
