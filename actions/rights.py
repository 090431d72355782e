"""How long are my rights: end date, days left, dégressivité, and a sanction running."""

from __future__ import annotations

import re
from datetime import date, timedelta

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from actions.phrasing import AFTER_RIGHTS, day, days, eur, mentions
from bot.common.clock import today

SOON = 30  # days of rights left under which the bot says what comes next


def describe_sanction(rights: dict) -> str | None:
    sanction = rights.get("sanction")
    if not sanction:
        return None
    resumes = date.fromisoformat(sanction["until"]) + timedelta(days=1)
    return (
        f"Votre allocation est suspendue jusqu'au {day(sanction['until'])} à la suite d'une sanction : rien n'est "
        f"versé pour cette période. Elle reprend le {day(resumes.isoformat())} ; les jours suspendus ne sont pas "
        "perdus, ils repoussent la fin de vos droits."
    )


def _pushed_back(rights: dict) -> str | None:
    causes = [
        f"{days(count)} {why}"
        for count, why in (
            (rights.get("unpaid_for_work", 0), "non payés parce que vous avez travaillé"),
            (rights.get("not_declared_days", 0), "non payés faute d'actualisation"),
        )
        if count
    ]
    if not causes:
        return None
    return "Les " + " et les ".join(causes) + " ne sont pas perdus : ils repoussent cette date."


def describe_rights(rights: dict, on: date, about_sanction: bool = False) -> list[str]:
    """The rights in short sentences; ``about_sanction`` puts a running sanction first."""
    if not rights["eligible"]:
        return ["Votre dossier n'ouvre pas de droit à l'allocation. Un conseiller peut vous expliquer pourquoi."]
    sanction = describe_sanction(rights)
    if about_sanction and sanction is None:
        return ["Aucune sanction n'est en cours dans votre dossier.", *describe_rights(rights, on)]
    if about_sanction and sanction:
        return [sanction]  # asked how long the sanction lasts: its end, not the end of rights
    if rights.get("ended") or rights["days_left"] == 0:
        return [f"Vos droits ont pris fin le {day(rights['end_date'])}.", AFTER_RIGHTS]
    lines = []
    lines.append(
        f"Vos droits courent jusqu'au {day(rights['end_date'])} : il vous reste {days(rights['days_left'])} "
        f"indemnisés, sur les {days(rights['duration_days'])} ouverts à partir du {day(rights['first_paid_day'])}."
    )
    if sanction:
        lines.append(sanction)
    pushed = _pushed_back(rights)
    if pushed:
        lines.append(pushed)
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
                f"Depuis le {day(rights['degressivity_date'])} (183e jour indemnisé), votre allocation journalière "
                f"est de {reduced} brut (dégressivité)."
            )
    if rights["days_left"] <= SOON:
        lines.append(AFTER_RIGHTS)
    return lines


RIGHTS_WORDS = re.compile(r"droits?\b|indemnis|ch[oô]m|\bare\b|\balloc", re.IGNORECASE)
SANCTION_WORDS = ("sanction", "sanctionne", "sanctionné", "suspension", "suspendu", "suspendue", "radiation")


def asks_about_sanction(text: str) -> bool:
    return any(mentions(text, word) for word in SANCTION_WORDS)


class ActionAnswerRightsDuration(PersonalAction):
    def name(self) -> str:
        return "action_answer_rights_duration"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        rights = await access.get("rights")
        # "ça dure combien de temps la sanction ?", or "et ça dure jusqu'à quand ?" right after it
        # (but "jusqu'à quand je suis indemnisé ?" is about the rights, whatever came before).
        text = tracker.latest_message.get("text") or ""
        after_sanction = tracker.get_slot("last_answer") == "sanction" and not RIGHTS_WORDS.search(text)
        about_sanction = asks_about_sanction(text) or after_sanction
        dispatcher.utter_message(text="\n".join(describe_rights(rights, today(), about_sanction)))
        answered = "sanction" if rights.get("sanction") and about_sanction else "rights_duration"
        return [SlotSet("last_answer", answered)]
