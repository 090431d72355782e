"""Base of every action that reads the person's file.

It makes sure the conversation is identified (else starts the identification
form and comes back), passes the access token to the backend, and turns a
backend failure into a clear French message with the offer of a human.
"""

from __future__ import annotations

import abc
import copy
import logging
import re
from dataclasses import dataclass

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient, BackendRefused, BackendUnavailable, backend
from actions.explanations import asks_why, topic_of
from actions.handoff import hand_over
from actions.satisfaction import ask_after
from bot.common import needs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileAccess:
    """What an action needs to read the identified person's file."""

    client: BackendClient
    person: int
    token: str
    conversation_id: str

    async def get(self, resource: str, **params: str) -> dict:
        return await self.client.personal(
            self.person, self.token, self.conversation_id, resource, params=params or None
        )

    async def simulate_earnings(self, month: str, gross_earnings: str) -> dict:
        return await self.client.simulate_earnings(self.person, self.token, self.conversation_id, month, gross_earnings)


PERSONAL_ACTIONS: dict[str, type[PersonalAction]] = {}

# The personal needs and the action that answers each once the person is identified: from the
# catalogue (bot/common/needs.py); data/rules/identification.yml starts the form for the same intents.
INTENT_ACTIONS = needs.PERSONAL_ACTIONS


class PersonalAction(Action, abc.ABC):
    """Subclasses implement ``answer``; identification and failures are handled here.

    Abstract, so that the action server does not register the base class itself.
    Every concrete subclass is listed in ``PERSONAL_ACTIONS`` so that the question
    that waited for identification can be answered in the same turn.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not getattr(cls, "__abstractmethods__", None):
            PERSONAL_ACTIONS[cls().name()] = cls

    @abc.abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        """Read the file through ``access`` and say the answer."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        token = tracker.get_slot("access_token")
        person = tracker.get_slot("job_seeker_id")
        if not tracker.get_slot("identified") or not token or not person:
            return _identify_first()
        access = FileAccess(backend(), int(person), token, tracker.sender_id)
        start = len(dispatcher.messages)
        try:
            events = await self.answer(dispatcher, tracker, access, domain)
            events += await why_from_the_file(self.name(), dispatcher, tracker, access, start)
        except BackendRefused as refusal:
            if refusal.status in (401, 403):
                # Token expired (it lives minutes): identify again, then answer.
                dispatcher.utter_message(response="utter_identification_expired")
                return [
                    SlotSet("identified", False),
                    SlotSet("access_token", None),
                    SlotSet("identifier", None),
                    SlotSet("birth_date", None),
                    *_identify_first(),
                ]
            log.warning("backend refused %s: %s", self.name(), refusal.code)
            if refusal.message:
                dispatcher.utter_message(text=refusal.message)
            else:
                dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return [
                SlotSet("last_failure", "backend_unavailable"),
                *await hand_over(dispatcher, tracker, "backend_error"),
            ]
        if self.chained:  # the outer action asks the satisfaction question, once, after every need
            return events
        events += await answer_other_needs(self.name(), dispatcher, tracker, domain, start)
        return ask_after(dispatcher, tracker, events)

    chained = False
    """True when run for the second need of a message: it does not chain the others again."""


# The answers after which a « pourquoi… » about the delay, the amount or the dégressivité gets the file's reasons too.
EXPLAINED_AFTER = frozenset(needs.BY_INTENT[intent].answer for intent in needs.EXPLAINED_WHEN_ASKED_WHY)


async def why_from_the_file(
    name: str, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, start: int
) -> list[EventType]:
    """« pourquoi mon premier paiement arrive si tard ? », « pourquoi je touche si peu par mois ? »: the date or the
    amount, then the steps of the file that say why (the waiting periods and their dates, part time, the minimum,
    the cap, the age or the threshold of the dégressivité). The delay is explained for a first payment only: a later
    one is late for the reasons the payment answer gives."""
    text = tracker.latest_message.get("text")
    topic = topic_of(text)
    if name not in EXPLAINED_AFTER or not asks_why(text) or topic not in ("late", "low", "degressivity"):
        return []
    if topic == "late" and (await access.get("payments", limit="1"))["payments"]:
        return []
    from actions.followups import explain_why  # followups builds on this module

    events = await explain_why(dispatcher, tracker, access, None)
    date_once(dispatcher, start)
    return events


def needs_of_message(message: dict) -> list[tuple[str, str]]:
    """The needs the clause reader found in a message (``need`` entities), in the order written, each with
    the words of its clause."""
    text = message.get("text") or ""
    found = []
    for entity in message.get("entities") or []:
        if entity.get("entity") == "need" and isinstance(entity.get("value"), str):
            start, end = entity.get("start"), entity.get("end")
            clause = text[start:end] if isinstance(start, int) and isinstance(end, int) else text
            found.append((entity["value"], clause or text))
    return found


def about(tracker: Tracker, message: dict) -> Tracker:
    """The tracker as if ``message`` were the latest one: an answer reads the words of its own question
    (« par jour », « en brut », « pourquoi si faible »), not those of the birth date that came after it."""
    copied = copy.copy(tracker)
    copied.latest_message = message
    return copied


def clause_message(message: dict, intent: str, clause: str) -> dict:
    others = [e for e in message.get("entities") or [] if e.get("entity") != "need"]
    return {**message, "text": clause, "intent": {"name": intent, "confidence": 1.0}, "entities": others}


async def run_for(name: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
    """Run the action ``name`` (personal or not) without chaining the other needs of the message."""
    if name in PERSONAL_ACTIONS:
        action: Action = PERSONAL_ACTIONS[name]()
        action.chained = True
    elif name.startswith("utter_"):
        dispatcher.utter_message(response=name)
        return []
    else:
        found = action_named(name)
        if found is None:
            return []
        action = found
    return list(await action.run(dispatcher, tracker, domain))


async def answer_other_needs(
    done: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict, start: int = 0
) -> list[EventType]:
    """Two needs in one message (« combien je touche et quand je suis payé ? »): the others, after ``done``,
    each read with the words of its clause; the figures dated once, at the end (``date_once``)."""
    events: list[EventType] = []
    answered = {done}
    message = tracker.latest_message
    for intent, clause in needs_of_message(message):
        if intent not in needs.BY_INTENT:
            continue
        name = needs.PERSONAL_ACTIONS.get(intent) or needs.BY_INTENT[intent].answer
        if name in answered:
            continue
        answered.add(name)
        events += await run_for(name, dispatcher, about(tracker, clause_message(message, intent, clause)), domain)
    if len(answered) > 1:
        date_once(dispatcher, start)
    return events


DATA_DATE = re.compile(r"^Chiffres de votre dossier au .*$", re.M)


def date_once(dispatcher: CollectingDispatcher, start: int = 0) -> None:
    """Several answers in one turn: the line that dates the figures said once, after the last of them
    (also when only the first answer had one: the date closes the turn, it does not split it)."""
    messages = dispatcher.messages[start:]
    dates = [found for m in messages for found in DATA_DATE.findall(m.get("text") or "")]
    texts = [m for m in messages if m.get("text")]
    if not dates or (len(dates) == 1 and texts and texts[-1]["text"].rstrip().endswith(dates[0])):
        return
    for message in messages:
        if message.get("text"):
            message["text"] = re.sub(r"\n{2,}", "\n", DATA_DATE.sub("", message["text"])).strip()
    last = next(m for m in reversed(messages) if m.get("text"))
    last["text"] += "\n" + dates[-1]


def action_named(name: str) -> Action | None:
    """The action server's action of that name (every concrete Action subclass the package defines)."""
    pending = list(Action.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if getattr(cls, "__abstractmethods__", None):
            continue
        try:
            action = cls()
        except TypeError:
            continue
        if action.name() == name:
            return action
    return None


def _identify_first() -> list[EventType]:
    """Only reached when a rule could not know (token expired): the form, then the same question."""
    return [FollowupAction("identification_form")]
