"""From the minimised events of one conversation id to the facts of each of its conversations.

A *conversation* is one Rasa session (a new session starts after an hour of
silence, domain.yml ``session_config``). Pure functions over the dictionaries of
``bot.analytics.minimise``; the definitions they implement are docs/analytics.md §1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.common import needs

COUNTED_GROUPS = frozenset(
    {needs.Group.PERSONAL, needs.Group.ALLOWANCE, needs.Group.ELSEWHERE, needs.Group.HUMAN, needs.Group.PRIVACY}
)
COUNTED_NEEDS: frozenset[str] = frozenset(n.intent for n in needs.NEEDS if n.group in COUNTED_GROUPS)
"""The intents that are a need of the person (the catalogue minus greetings, answers to questions, follow-ups)."""
CLARIFICATION_ACTION = "action_default_ask_affirmation"
CLARIFICATION_RESPONSE = "utter_clarify"  # « Votre question porte sur : … » with the closest needs
FALLBACK_RESPONSE = "utter_not_understood"  # the bot gave up understanding (actions/fallback.py)
LISTEN = "action_listen"
ERASURE_ACTION = "action_erase_conversation"
QUESTION_ACTIONS = frozenset(
    {CLARIFICATION_ACTION, "action_default_ask_rephrase", "utter_ask_rephrase", "utter_clarify"}
)
"""What the bot asks to go on (a clarification, a rephrase; ``utter_ask_*``: a form's question). An open
invitation (« Que voulez-vous savoir ? ») is no such question: leaving after it is not abandoning."""


def _asks(name: str | None) -> bool:
    return bool(name) and (name in QUESTION_ACTIONS or str(name).startswith("utter_ask_"))


YES, NO = needs.AFFIRM, needs.DENY
PHONE_CHANNELS = frozenset({"twilio_sms", "whatsapp", "twilio_voice", "voice", "phone"})
"""Channels whose conversation id is the same for every contact of one number (a keyed hash of it)."""


@dataclass
class NeedFact:
    intent: str
    answered: bool = False
    repeated: bool = False
    """Asked again by the same person within 24 h (set by the ingestion, which sees the later conversation)."""


@dataclass
class ConversationFact:
    started_at: datetime
    ended_at: datetime
    channel: str | None = None
    messages: int = 0
    needs: list[NeedFact] = field(default_factory=list)
    clarifications: int = 0
    fallbacks: int = 0
    handover_reason: str | None = None
    counsellor_seconds: float | None = None
    abandoned: bool = False
    satisfaction_asked: bool = False
    satisfaction: str | None = None
    """"yes", "no", or None (not asked, or the person went on with something else)."""
    identified: bool = False
    person_key: str | None = None
    is_repeat: bool = False
    """The same person asked one of these needs in the 24 h before (set by the ingestion)."""

    @property
    def handed_over(self) -> bool:
        return self.handover_reason is not None

    @property
    def contained(self) -> bool:
        """Containment: a need, no handover, no repeat contact on the same need within 24 h, not abandoned."""
        return (
            bool(self.needs)
            and not self.handed_over
            and not self.abandoned
            and not any(need.repeated for need in self.needs)
        )


def _when(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc)


def split_sessions(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The events cut at each ``session_started``; a session without a user message is no conversation."""
    sessions: list[list[dict[str, Any]]] = [[]]
    for event in events:
        if event.get("e") == "session_started" and sessions[-1]:
            sessions.append([])
        sessions[-1].append(event)
    return [session for session in sessions if any(event.get("e") == "user" for event in session)]


def conversation_fact(events: list[dict[str, Any]], conversation: str | None = None) -> ConversationFact:
    """The facts of one session's minimised events (in the order Rasa wrote them)."""
    fact = ConversationFact(started_at=_when(events[0]["t"]), ended_at=_when(events[-1]["t"]))
    handover_at: float | None = None
    loop: str | None = None
    waiting_on_question = False  # the bot's last words asked something, and the person has not answered yet
    satisfaction_pending = False
    for event in events:
        kind = event.get("e")
        if kind == "user":
            fact.messages += 1
            fact.channel = fact.channel or event.get("channel")
            intent = event.get("intent")
            if satisfaction_pending and intent in (YES, NO):
                fact.satisfaction = "yes" if intent == YES else "no"
            satisfaction_pending = waiting_on_question = False
            if intent in COUNTED_NEEDS:
                last = fact.needs[-1] if fact.needs else None
                if last is None or last.intent != intent or last.answered:
                    fact.needs.append(NeedFact(intent))
        elif kind == "action":
            name = event.get("name")
            if name != LISTEN:
                waiting_on_question = _asks(name)
            open_need = _open_need(fact)
            if (
                open_need
                and name == needs.BY_INTENT[open_need.intent].answer
                and not needs.PERSONAL_ACTIONS.get(open_need.intent)
            ):
                open_need.answered = True  # a response or an action that needs no file: said is answered
        elif kind == "slot":
            name, value = event.get("name"), event.get("value")
            if name == "last_answer" and value:
                open_need = _open_need(fact)
                if open_need:
                    open_need.answered = True
            elif name == "handoff_reason" and value and fact.handover_reason is None:
                fact.handover_reason, handover_at = str(value), event["t"]
            elif name == "identified" and value:
                fact.identified = True
            elif name == "person":
                fact.person_key = value
        elif kind == "bot":
            if event.get("counsellor"):
                if handover_at is not None and fact.counsellor_seconds is None:
                    fact.counsellor_seconds = round(max(0.0, event["t"] - handover_at), 1)
                waiting_on_question = False
            elif event.get("sat"):
                fact.satisfaction_asked = satisfaction_pending = True
            else:
                # Counted on what the bot said, not on the action: Rasa's two-stage fallback runs the
                # clarification and the give-up inside ``action_two_stage_fallback``, the only action the
                # tracker records; a fallback of the RulePolicy says the same « je n'ai pas compris ».
                if event.get("u") == CLARIFICATION_RESPONSE:
                    fact.clarifications += 1
                elif event.get("u") == FALLBACK_RESPONSE:
                    fact.fallbacks += 1
                waiting_on_question = waiting_on_question or _asks(event.get("u"))
        elif kind == "active_loop":
            loop = event.get("name")
    erased = any(event.get("e") == "action" and event.get("name") == ERASURE_ACTION for event in events)
    if erased:
        fact.person_key = None  # the person asked for erasure: no pseudonym links this conversation to another
    elif fact.person_key is None and fact.channel in PHONE_CHANNELS and conversation:
        fact.person_key = conversation  # one number, one pseudonym: repeat contacts of unidentified people too
    # Stopped after a question of the bot (a form left open, a clarification unanswered): abandonment.
    # The satisfaction question is optional: leaving after it is not abandoning.
    fact.abandoned = not fact.handed_over and (loop is not None or waiting_on_question)
    return fact


def _open_need(fact: ConversationFact) -> NeedFact | None:
    """The need being handled: the last one asked, if not answered yet."""
    if fact.needs and not fact.needs[-1].answered:
        return fact.needs[-1]
    return None


def conversation_facts(events: list[dict[str, Any]], conversation: str | None = None) -> list[ConversationFact]:
    return [conversation_fact(session, conversation) for session in split_sessions(events)]


def mark_repeats(facts: list[ConversationFact], window_seconds: float = 24 * 3600) -> None:
    """Repeat contacts: the same person (pseudonym) asking the same need again within 24 h.

    The earlier conversation's need is ``repeated`` (it was not contained), the later
    conversation ``is_repeat``. ``facts`` may hold conversations already stored (their
    person pseudonym is kept for 24 h exactly for this)."""
    by_person: dict[str, list[ConversationFact]] = {}
    for fact in sorted(facts, key=lambda f: f.started_at):
        if not fact.person_key:
            continue
        earlier = by_person.setdefault(fact.person_key, [])
        for previous in earlier:
            if (fact.started_at - previous.started_at).total_seconds() > window_seconds:
                continue
            asked = {need.intent for need in fact.needs}
            for need in previous.needs:
                if need.intent in asked:
                    need.repeated = True
                    fact.is_repeat = True
        earlier.append(fact)
