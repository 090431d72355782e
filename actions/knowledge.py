"""General questions about the ARE (the fixed part, the waiting period, changing the RIB…): answered at once.

No identification: the answer is the knowledge base's entry (``data/knowledge/answers.yml``) that the
selector of the Rasa process chose (``parse_data["response_selector"]["ask_knowledge"]``, written as
Rasa's ``ResponseSelector`` writes it: ``bot.nlu.knowledge``), its template filled with the rule
parameters and the declaration window the backend serves today (``GET /v1/rules/parameters``,
``GET /v1/calendar/declaration-window``): no figure is typed in the base nor here.

The source is said shortly after the answer (« Source : service-public.fr, vérifié le 3 décembre
2026. »), the page's address on the website only (by SMS it costs a segment, on the phone it cannot
be read). When the selector is not sure, the person chooses among the closest entries (buttons;
« tapez 1… » by SMS and on the phone) or asks for a counsellor: never a wrong answer given as right.
A message that also asks a personal question (« j'ai envoyé ma fiche de paie, et je suis payée
quand ? ») starts the identification, then every question is answered in the order written.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendRefused, BackendUnavailable, backend
from actions.personal import DATA_DATE, answer_other_needs, needs_of_message
from bot.common import knowledge, needs
from bot.common.folding import fold
from bot.common.formatting import format_month_fr

log = logging.getLogger(__name__)

SURE = 0.3
"""Below this confidence of the selector, the person chooses among the closest entries."""
CHOICES = 3
WEB_CHANNELS = frozenset({"socketio"})
GENERAL_FORM = re.compile(
    r"c['’ ]?est quoi|qu['’ ]?est[ -]ce qu|ca veut dire|\bcomment\b|\bon peut\b|peut[ -]on|est[ -]ce qu['’ ]?on|"
    r"en general|explique|a quoi sert|\bdefinition\b|\bquelles? (?:sont|est) les\b"
)
"""How a general question is asked (« c'est quoi… », « comment… », « on peut… »): never a follow-up on the file."""
NOT_PERSONAL = frozenset({None, "knowledge", "knowledge_clarify", "declaration_window"})


def checked_on(day: date) -> str:
    """``3 décembre 2026`` (no weekday: a date of the text, not of the calendar)."""
    return f"{'1er' if day.day == 1 else day.day} {format_month_fr(day)}"


def source_line(entry: knowledge.Entry, channel: str | None) -> str:
    where = " ; ".join(entry.links) if channel in WEB_CHANNELS and entry.links else entry.source_label
    return f"Source : {where}, vérifié le {checked_on(entry.checked)}."


def selection(message: dict) -> tuple[str | None, float, list[dict]]:
    """The entry chosen for ``message`` (its clause's own when it is one clause of a longer message), its
    confidence and the ranking; an entry named by a button's payload counts as sure."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == "knowledge_entry" and isinstance(entity.get("value"), str):
            return entity["value"], 1.0, []
    selected = (message.get("response_selector") or {}).get(knowledge.INTENT) or {}
    text = (message.get("text") or "").strip()
    for clause in selected.get("clauses") or []:
        if (clause.get("text") or "").strip() == text:
            selected = clause
            break
    response = selected.get("response") or {}
    entry_id = response.get("id") or (response.get("intent_response_key") or "").partition("/")[2] or None
    return entry_id, float(response.get("confidence") or 0.0), list(selected.get("ranking") or [])


def dated_before(dispatcher: CollectingDispatcher) -> str:
    """Answered after a personal answer in the same turn (two needs): the line that dates the file's figures moves
    after this answer, so that it stays the turn's last line, as ``date_once`` keeps it; returned to append."""
    dates: list[str] = []
    for message in dispatcher.messages:
        text = message.get("text") or ""
        found = DATA_DATE.findall(text)
        if found:
            dates += found
            message["text"] = DATA_DATE.sub("", text).strip()
    return f"\n{dates[-1]}" if dates else ""


def follows_up_on_the_file(tracker: Tracker) -> bool:
    """« et la dégressivité ça a commencé quand ? » right after the person's rights: a question about the file
    the bot just read (``reading_in_context``), not the general rule, unless it is asked as a general question."""
    from actions.followups import reading_in_context

    if tracker.get_slot("last_answer") in NOT_PERSONAL or not tracker.get_slot("identified"):
        return False
    if GENERAL_FORM.search(fold(tracker.latest_message.get("text") or "")):
        return False
    return reading_in_context(tracker) is not None


def clarify(dispatcher: CollectingDispatcher, ranking: list[dict], entries: dict[str, knowledge.Entry]) -> None:
    close = [entries[r["id"]] for r in ranking if r.get("id") in entries][:CHOICES]
    if not close:
        dispatcher.utter_message(
            text="Je ne suis pas sûr de votre question. Pouvez-vous la préciser en quelques mots, "
            "ou écrire « conseiller » pour être mis en relation avec un conseiller ?"
        )
        return
    buttons = [
        {"title": entry.title, "payload": f"/{knowledge.INTENT}{json.dumps({'knowledge_entry': entry.id})}"}
        for entry in close
    ]
    buttons.append({"title": "Parler à un conseiller", "payload": "/ask_human"})
    dispatcher.utter_message(text="Je veux être sûr de bien vous répondre. Votre question porte sur :", buttons=buttons)


class ActionAnswerKnowledge(Action):
    """The knowledge base's answer, filled with today's rule parameters (see the module docstring)."""

    def name(self) -> str:
        return "action_answer_knowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        if self._waits_for_identification(tracker):
            # « j'ai envoyé ma fiche de paie, c'est bon ? et je suis payée quand ? »: the identification first,
            # then every need of the message in the order written, this one too (INLINE_NEEDS).
            return [FollowupAction("identification_form")]
        if follows_up_on_the_file(tracker):
            from actions.followups import ActionAnswerInContext

            return list(await ActionAnswerInContext().run(dispatcher, tracker, domain))
        entries = knowledge.by_id()
        entry_id, confidence, ranking = selection(tracker.latest_message)
        entry = entries.get(entry_id or "")
        if entry is None or confidence < SURE:
            clarify(dispatcher, ranking, entries)
            return [SlotSet("last_answer", "knowledge_clarify")]
        try:
            parameters = (await backend().rule_parameters())["parameters"]
            calendar = await backend().declaration_calendar() if knowledge.needs_calendar(entry) else None
            text = knowledge.render(entry, parameters, calendar)
        except (BackendUnavailable, BackendRefused):
            dispatcher.utter_message(response="utter_backend_unavailable")
            return [SlotSet("last_failure", "backend_unavailable")]
        except knowledge.TemplateError as error:  # a base the backend no longer matches: never a half answer
            log.error("knowledge entry %s: %s", entry.id, error)
            dispatcher.utter_message(response="utter_backend_unavailable")
            return [SlotSet("last_failure", "knowledge_template")]
        said = f"{text}\n{source_line(entry, tracker.get_latest_input_channel())}"
        dispatcher.utter_message(text=said + dated_before(dispatcher))
        events: list[EventType] = [SlotSet("last_answer", "knowledge")]
        return events + await self._other_needs(dispatcher, tracker, domain)

    @staticmethod
    def _others(tracker: Tracker) -> list[str]:
        if (tracker.latest_message.get("intent") or {}).get("name") != knowledge.INTENT:
            return []  # answered as a clause of another need's message: that need's action chains the rest
        return [intent for intent, _ in needs_of_message(tracker.latest_message) if intent != knowledge.INTENT]

    def _waits_for_identification(self, tracker: Tracker) -> bool:
        personal = [intent for intent in self._others(tracker) if intent in needs.PERSONAL_ACTIONS]
        return bool(personal) and not tracker.get_slot("identified")

    async def _other_needs(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        """The other needs of the message, answered after this one (the person is identified, or none is personal)."""
        if not self._others(tracker):
            return []
        return await answer_other_needs(self.name(), dispatcher, tracker, domain)
