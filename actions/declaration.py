"""The monthly declaration (actualisation): when, whether mine went through, I forgot it."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendUnavailable, backend
from actions.personal import FileAccess, PersonalAction
from actions.phrasing import day, eur, of_month

WHERE = "sur francetravail.fr, l'application France Travail ou au 3995"


def describe_window(calendar: dict) -> list[str]:
    if calendar["window_open"]:
        window = calendar["open_window"]
        return [
            f"L'actualisation {of_month(window['month'])} est ouverte : faites-la avant le "
            f"{day(window['closes_on'])} minuit, {WHERE}.",
            f"La suivante ouvrira le {day(calendar['next_window']['opens_on'])}.",
        ]
    window = calendar["next_window"]
    return [
        f"La prochaine actualisation, celle {of_month(window['month'])}, sera ouverte du "
        f"{day(window['opens_on'])} au {day(window['closes_on'])} minuit, {WHERE}.",
        "Chaque mois, elle s'ouvre le 28 (le 26 en février) et se termine le 15 du mois suivant.",
    ]


class ActionAnswerDeclarationWindow(Action):
    """Needs no identification: the windows are the same for every job seeker."""

    def name(self) -> str:
        return "action_answer_declaration_window"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        try:
            calendar = await backend().declaration_calendar()
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return [SlotSet("last_failure", "backend_unavailable")]
        dispatcher.utter_message(text="\n".join(describe_window(calendar)))
        return [SlotSet("last_answer", "declaration_window")]


def describe_status(status: dict, missed_question: bool = False) -> list[str]:
    due = status["last_due"]
    of_period = of_month(due["month"])
    if due["status"] in ("submitted", "late"):
        worked = (
            f"avec {due['hours_worked']} heures travaillées et {eur(due['gross_earnings'])} de salaire brut"
            if due["worked"]
            else "sans activité déclarée"
        )
        lines = [f"Votre actualisation {of_period} a bien été enregistrée le {day(due['submitted_at'])}, {worked}."]
        if missed_question:
            lines.append("Il n'y a donc pas d'oubli pour ce mois-là.")
        lines.append(f"La prochaine ouvrira le {day(status['next_window']['opens_on'])}.")
        return lines
    if due["status"] == "open":
        return [
            f"Votre actualisation {of_period} n'est pas encore faite. Vous avez jusqu'au "
            f"{day(due['closes_on'])} minuit pour la faire, {WHERE}."
        ]
    return [
        f"Votre actualisation {of_period} n'a pas été faite avant le {day(due['closes_on'])} : votre "
        "inscription a pris fin et les paiements sont suspendus.",
        "Réinscrivez-vous au plus vite sur francetravail.fr : si vous le faites rapidement, vos droits reprennent "
        "où ils s'étaient arrêtés. Un conseiller peut vous aider si l'oubli a une raison particulière.",
    ]


class ActionCheckDeclarationStatus(PersonalAction):
    def name(self) -> str:
        return "action_check_declaration_status"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        status = await access.get("declarations/current")
        dispatcher.utter_message(text="\n".join(describe_status(status)))
        return [SlotSet("last_answer", "declaration_status")]


class ActionHelpMissedDeclaration(PersonalAction):
    def name(self) -> str:
        return "action_help_missed_declaration"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        status = await access.get("declarations/current")
        dispatcher.utter_message(text="\n".join(describe_status(status, missed_question=True)))
        return [SlotSet("last_answer", "declaration_status")]
