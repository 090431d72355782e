"""When the bot is not sure: a clarifying question with choices, then a rephrase, then a human.

Rasa's two-stage fallback calls ``action_default_ask_affirmation`` (here: the two
closest needs as buttons, in French, plus "autre chose"), then asks to rephrase,
then calls ``action_default_fallback`` (here: say so and offer a counsellor).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

NEED_LABELS = {
    "ask_allowance_amount": "Le montant de mon allocation",
    "ask_payment_date": "La date de mon prochain paiement",
    "report_missing_payment": "Un paiement que je n'ai pas reçu",
    "ask_amount_difference": "Un montant plus bas que d'habitude",
    "ask_rights_duration": "La durée de mes droits",
    "ask_declaration_window": "Les dates de l'actualisation",
    "check_declaration_status": "Si mon actualisation est bien passée",
    "report_missed_declaration": "J'ai oublié de m'actualiser",
    "ask_how_to_declare_work": "Comment déclarer mon travail",
    "simulate_earnings": "Ce que je toucherai si je travaille",
    "ask_overpayment": "Un trop-perçu",
    "contest_decision": "Contester une décision",
    "ask_human": "Parler à un conseiller",
    "request_data_deletion": "Effacer mes données",
    "ask_other_benefit": "Une autre aide (RSA, APL, CAF)",
    "express_distress": "Je suis en difficulté",
}
CHOICES = 2


class ActionAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        ranking = tracker.latest_message.get("intent_ranking", [])
        needs = [item["name"] for item in ranking if item["name"] in NEED_LABELS][:CHOICES]
        buttons = [{"title": NEED_LABELS[need], "payload": f"/{need}"} for need in needs]
        buttons.append({"title": "Autre chose", "payload": "/deny"})
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []


class ActionDefaultFallback(Action):
    """Reached after the clarification and the rephrase failed, or when no rule applies."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        dispatcher.utter_message(response="utter_not_understood")
        dispatcher.utter_message(response="utter_offer_human")
        return [UserUtteranceReverted()]
