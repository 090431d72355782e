"""One scenario through the real servers: Rasa's REST channel, then its tickets in the backend.

Each scenario talks in a conversation of its own (a fresh sender id), turn by
turn, as a person would; every answer is checked (``checks``) against the
backend's figures for the persona (``facts``), and once the conversation is
over the backend's tickets for that conversation are read with the service
token: a distress scenario must have raised an urgent ticket, any other must
not have.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from bot.cli.conversations.checks import Expectation, compile_turn, failures
from bot.cli.conversations.facts import BackendFacts, FactError
from bot.cli.conversations.scenarios import Scenario

REPLY_TIMEOUT_SECONDS = 60


@dataclass
class TurnResult:
    number: int
    user: str
    answer: str
    failures: list[str]


@dataclass
class ScenarioResult:
    scenario: Scenario
    sender: str
    turns: list[TurnResult] = field(default_factory=list)
    ticket_failures: list[str] = field(default_factory=list)
    tickets: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.error is None and not self.ticket_failures and all(not t.failures for t in self.turns)

    @property
    def urgent_tickets(self) -> int:
        return sum(1 for t in self.tickets if t.get("priority") == "urgent")

    @property
    def false_urgent(self) -> bool:
        """An urgent ticket raised where there is no distress: a counsellor called for nothing, the bot paused."""
        return not self.scenario.urgent_ticket and self.urgent_tickets > 0

    @property
    def first_failing_turn(self) -> int | None:
        return next((t.number for t in self.turns if t.failures), None)

    def describe(self) -> str:
        """The failure as a developer reads it: the turn, what was typed, what the bot said, what was missing."""
        lines = [f"{self.scenario.id} ({self.scenario.kind}, {self.scenario.persona or 'sans persona'})"]
        if self.error:
            lines.append(f"  erreur : {self.error}")
        for turn in self.turns:
            if turn.failures:
                lines.append(f"  tour {turn.number} « {turn.user[:160]} »")
                lines.append("    bot : " + (turn.answer.replace("\n", " / ")[:500] or "(aucune réponse)"))
                lines += [f"    ✗ {failure}" for failure in turn.failures]
        lines += [f"  ✗ {failure}" for failure in self.ticket_failures]
        return "\n".join(lines)


def answer_text(messages: list[dict[str, Any]]) -> str:
    """What the person sees: every text, and the titles of the buttons offered."""
    parts = []
    for message in messages:
        if message.get("text"):
            parts.append(message["text"])
        parts += [button.get("title", "") for button in message.get("buttons") or []]
    return "\n".join(part for part in parts if part)


class ConversationRunner:
    """Talks to a running Rasa server and reads the backend; one instance per run, one ``BackendFacts`` per persona."""

    def __init__(self, rasa_url: str, backend_url: str, service_token: str, today: date, rest_token: str = ""):
        # Rasa's REST channel needs its own token (bot/channels/rest.py).
        headers = {"Authorization": f"Bearer {rest_token}"} if rest_token else {}
        self.rasa = httpx.Client(base_url=rasa_url, timeout=REPLY_TIMEOUT_SECONDS, headers=headers)
        self.backend = httpx.Client(base_url=backend_url, headers={"X-Service-Token": service_token}, timeout=15)
        self.backend_url = backend_url
        self.service_token = service_token
        self.today = today
        self._facts: dict[str | None, BackendFacts] = {}

    def close(self) -> None:
        self.rasa.close()
        self.backend.close()
        for facts in self._facts.values():
            facts.close()

    def facts(self, persona_key: str | None) -> BackendFacts:
        if persona_key not in self._facts:
            from bot.backend.seed.personas import personas

            spec = next((p for p in personas(self.today) if p.key == persona_key), None)
            self._facts[persona_key] = BackendFacts(self.backend_url, self.service_token, self.today, spec)
        return self._facts[persona_key]

    def say(self, sender: str, text: str) -> str:
        response = self.rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
        response.raise_for_status()
        return answer_text(response.json())

    def tickets_of(self, sender: str) -> list[dict[str, Any]]:
        response = self.backend.get("/v1/handoff-tickets")
        response.raise_for_status()
        return [t for t in response.json()["tickets"] if t.get("conversation_id") == sender]

    def run(self, scenario: Scenario) -> ScenarioResult:
        started = time.monotonic()
        result = ScenarioResult(scenario, f"conv-{scenario.id}-{uuid.uuid4().hex[:8]}")
        facts = self.facts(scenario.persona)
        try:
            facts.refresh()
            compiled: list[list[Expectation]] = [compile_turn(turn.expect, facts) for turn in scenario.turns]
        except FactError as error:
            result.error = f"attendu introuvable dans le backend : {error}"
            return result
        previous, so_far = "", ""
        for number, (turn, expectations) in enumerate(zip(scenario.turns, compiled, strict=True), 1):
            try:
                answer = self.say(result.sender, turn.user)
            except httpx.HTTPError as error:
                result.error = f"tour {number} : Rasa n'a pas répondu ({type(error).__name__}: {error})"
                break
            so_far = f"{so_far}\n{answer}"
            result.turns.append(TurnResult(number, turn.user, answer, failures(expectations, answer, previous, so_far)))
            previous = answer
        try:
            facts.refresh()  # a date mistyped in the scenario must not count against the persona afterwards
        except FactError as error:
            result.error = result.error or f"identification du persona refusée après le scénario : {error}"
        try:
            result.tickets = self.tickets_of(result.sender)
        except httpx.HTTPError as error:
            result.error = result.error or f"tickets illisibles : {error}"
        if scenario.urgent_ticket and not result.urgent_tickets:
            result.ticket_failures.append("aucun ticket urgent dans le backend (détresse non transmise)")
        if result.false_urgent:
            result.ticket_failures.append(f"{result.urgent_tickets} ticket(s) urgent(s) créé(s) sans détresse")
        if scenario.ticket_reason and not any(t.get("reason") == scenario.ticket_reason for t in result.tickets):
            reasons = ", ".join(t.get("reason", "?") for t in result.tickets) or "aucun"
            result.ticket_failures.append(f"pas de ticket « {scenario.ticket_reason} » (tickets : {reasons})")
        result.seconds = time.monotonic() - started
        return result
