"""How long are my rights: end date, days left, dégressivité to come."""

from __future__ import annotations

from datetime import date

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from actions.phrasing import day, days, eur
from bot.clock import today


def describe_rights(rights: dict, on: date) -> list[str]:
    if not rights["eligible"]:
        return ["Votre dossier n'ouvre pas de droit à l'allocation. Un conseiller peut vous expliquer pourquoi."]
    if rights["days_left"] == 0:
        return [f"Vos droits ont pris fin le {day(rights['end_date'])}."]
    lines = [f"Vos droits courent jusqu'au {day(rights['end_date'])} : il vous reste {days(rights['days_left'])}."]
    lines.append(
        f"Ils ont été ouverts pour {days(rights['duration_days'])} à partir du {day(rights['first_paid_day'])}."
    )
    if rights["days_pushed_back"]:
        lines.append(
            f"Les {days(rights['days_pushed_back'])} non payés parce que vous avez travaillé "
            "ont reporté d'autant cette date."
        )
    if rights["degressivity_applies"] and rights["degressivity_date"]:
        when = date.fromisoformat(rights["degressivity_date"])
        reduced = eur(rights["reduced_daily_allowance"])
        if when > on:
            lines.append(
                f"À partir du {day(rights['degressivity_date'])} (183e jour indemnisé), votre allocation "
                f"journalière passera à {reduced} brut (dégressivité)."
            )
        else:
            lines.append(
                f"Depuis le {day(rights['degressivity_date'])}, votre allocation journalière est de "
                f"{reduced} brut (dégressivité)."
            )
    if rights["days_left"] <= 30:
        lines.append("Un conseiller peut faire le point avec vous sur la suite (ASS, rechargement de droits).")
    return lines


class ActionAnswerRightsDuration(PersonalAction):
    def name(self) -> str:
        return "action_answer_rights_duration"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        rights = await access.get("rights")
        dispatcher.utter_message(text="\n".join(describe_rights(rights, today())))
        return [SlotSet("last_answer", "rights_duration")]
