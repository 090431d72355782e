"""The conversation suite: scenarios in ``tests/conversations/<kind>.yml``, and the known failures.

One file per kind of conversation. A scenario is a persona (or none), the
turns the person types, and for each turn what the answer must and must not
contain (``checks.CHECKS``); figures are never typed in: they are placeholders
resolved from the backend at run time (``facts``). ``known_failures.yml`` lists
the scenarios that fail today with the failure class of issue 20 they belong to:
the test suite marks them ``xfail(strict=True)``, so a fixed scenario turns the
suite red until it leaves the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT

SUITE = PROJECT_ROOT / "tests" / "conversations"
KNOWN_FAILURES = SUITE / "known_failures.yml"
# Sealed on 2026-12-02 before issue 20's fixes: measured (``--holdout``), never tuned on.
HOLDOUT = SUITE / "holdout"

# The kinds of issue 20's measure, in the order the report lists them.
KINDS = (
    "plain",
    "sms_spelling",
    "identification",
    "correction",
    "followup",
    "two_needs",
    "long",
    "voice_like",
    "knowledge",
    "distress_true",
    "distress_false",
    "out_of_scope",
    "other_language",
)
ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,80}$")
TURN_KEYS = {"user", "expect"}
SCENARIO_KEYS = {"id", "persona", "about", "turns", "tickets"}
TICKET_KEYS = {"urgent", "reason"}


class SuiteError(ValueError):
    """The suite's YAML does not say what the runner needs: the message names the file and the scenario."""


@dataclass(frozen=True)
class Turn:
    user: str
    expect: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    id: str
    kind: str
    persona: str | None
    turns: tuple[Turn, ...]
    about: str = ""
    urgent_ticket: bool = False  # distress_true scenarios must create one; every other must not
    ticket_reason: str | None = None  # a ticket with this reason must exist

    @property
    def source(self) -> str:
        return f"tests/conversations/{self.kind}.yml"


@dataclass(frozen=True)
class KnownFailure:
    id: str
    failure_class: str
    turn: int
    note: str


def persona_keys(today: date) -> set[str]:
    from bot.backend.seed.personas import personas

    return {p.key for p in personas(today)}


def _scenario(kind: str, raw: Any, where: str, personas: set[str], check_names: set[str]) -> Scenario:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not ID.match(raw["id"]):
        raise SuiteError(f"{where}: chaque scénario a un id en minuscules (lettres, chiffres, tirets)")
    name = f"{where} · {raw['id']}"
    unknown = set(raw) - SCENARIO_KEYS
    if unknown:
        raise SuiteError(f"{name}: clés inconnues {sorted(unknown)}")
    persona = raw.get("persona")
    if persona is not None and persona not in personas:
        raise SuiteError(f"{name}: persona inconnue {persona!r} (clés de bot.backend.seed.personas)")
    turns = raw.get("turns")
    if not isinstance(turns, list) or not turns:
        raise SuiteError(f"{name}: au moins un tour")
    parsed = []
    for number, turn in enumerate(turns, 1):
        if not isinstance(turn, dict) or not isinstance(turn.get("user"), str) or set(turn) - TURN_KEYS:
            raise SuiteError(f"{name}, tour {number}: « user: texte » et « expect: {{…}} » seulement")
        expect = turn.get("expect") or {}
        if not isinstance(expect, dict) or set(expect) - check_names:
            raise SuiteError(f"{name}, tour {number}: vérifications inconnues {sorted(set(expect) - check_names)}")
        parsed.append(Turn(turn["user"], dict(expect)))
    tickets = raw.get("tickets") or {}
    if not isinstance(tickets, dict) or set(tickets) - TICKET_KEYS:
        raise SuiteError(f"{name}: tickets: {{urgent: true|false, reason: …}}")
    return Scenario(
        id=raw["id"],
        kind=kind,
        persona=persona,
        turns=tuple(parsed),
        about=str(raw.get("about") or ""),
        urgent_ticket=bool(tickets.get("urgent", kind == "distress_true")),
        ticket_reason=tickets.get("reason"),
    )


def load_suite(today: date, directory: Path = SUITE) -> list[Scenario]:
    """Every scenario of every kind, checked for shape (not for outcome)."""
    from bot.cli.conversations.checks import CHECKS

    personas = persona_keys(today)
    scenarios: list[Scenario] = []
    for kind in KINDS:
        path = directory / f"{kind}.yml"
        if not path.exists():
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if document.get("kind") != kind:
            raise SuiteError(f"{path.name}: « kind: {kind} » attendu en tête du fichier")
        for raw in document.get("scenarios") or []:
            scenarios.append(_scenario(kind, raw, path.name, personas, set(CHECKS)))
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.id in seen:
            raise SuiteError(f"id en double : {scenario.id}")
        seen.add(scenario.id)
    return scenarios


def load_known_failures(path: Path = KNOWN_FAILURES) -> tuple[dict[str, str], dict[str, KnownFailure]]:
    """The failure classes (key → description) and today's failing scenarios (id → class, turn, note)."""
    if not path.exists():
        return {}, {}
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    classes = {str(k): str(v) for k, v in (document.get("classes") or {}).items()}
    failures = {}
    for scenario_id, entry in (document.get("failures") or {}).items():
        if not isinstance(entry, dict) or entry.get("class") not in classes:
            raise SuiteError(f"known_failures.yml · {scenario_id}: « class » doit être l'une de {sorted(classes)}")
        failures[scenario_id] = KnownFailure(
            scenario_id, entry["class"], int(entry.get("turn") or 0), str(entry.get("note") or "")
        )
    return classes, failures
