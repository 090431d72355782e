"""The knowledge base of general ARE questions (``data/knowledge/answers.yml``): its entries, and how
an answer template is filled with the backend's values.

Read by two processes: the Rasa process trains and runs the entry selector on the entries' example
questions (``bot.nlu.knowledge``), the action server fills the chosen entry's template with the rule
parameters and the declaration window the backend serves today (``actions.knowledge``). No figure and
no date is typed in the base: each is a placeholder (docs/knowledge.md).

Pure data and formatting: no import of Rasa or of another allocbot package but ``bot.common``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from bot.common.config import PROJECT_ROOT
from bot.common.formatting import format_date_fr, format_eur, format_number, format_of_month_fr, format_percent

KNOWLEDGE_BASE = PROJECT_ROOT / "data" / "knowledge" / "answers.yml"
INTENT = "ask_knowledge"
"""The classifier's one intent for every entry; the selector then chooses the entry."""

PLACEHOLDER = re.compile(r"\{([a-z]+)\.([a-z_]+)(?::([a-z_]+))?\}")
SOURCES = ("rule", "since", "window")
WINDOW_FIELDS = ("opens_on", "closes_on", "month", "status")


class TemplateError(LookupError):
    """A placeholder names no value the backend serves, or a format that does not exist."""


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    keywords: tuple[str, ...]
    """Words that name the entry's topic (« partie fixe », « rib »), matched on normalised text at word starts."""
    examples: tuple[str, ...]
    answer: str
    source: str
    checked: date
    classifier: bool = True
    """False when the entry's topic is an intent of its own (the declaration window): its examples then train
    the selector only, not the intent classifier."""

    @property
    def placeholders(self) -> list[tuple[str, str, str | None]]:
        """``(source, name, format)`` of every placeholder of the answer, in order."""
        return [(m.group(1), m.group(2), m.group(3)) for m in PLACEHOLDER.finditer(self.answer)]

    @property
    def source_label(self) -> str:
        """The source said shortly: a page's site (« service-public.fr »), or the rules the backend applies."""
        labels = []
        for part in re.split(r"\s*;\s*", self.source):
            if part.startswith("http"):
                host = urlparse(part).netloc
                labels.append(host[4:] if host.startswith("www.") else host)
            else:
                labels.append("règlement de l'assurance chômage (Unédic)")
        return ", ".join(dict.fromkeys(labels))

    @property
    def links(self) -> list[str]:
        return [part for part in re.split(r"\s*;\s*", self.source) if part.startswith("http")]


def _entry(raw: dict[str, Any]) -> Entry:
    checked = raw["checked"]
    return Entry(
        id=str(raw["id"]),
        title=str(raw["title"]),
        keywords=tuple(str(k) for k in raw.get("keywords") or ()),
        examples=tuple(str(e) for e in raw.get("examples") or ()),
        answer=" ".join(str(raw["answer"]).split()),
        source=str(raw["source"]),
        checked=checked if isinstance(checked, date) else date.fromisoformat(str(checked)),
        classifier=bool(raw.get("classifier", True)),
    )


def load_entries(path: Path = KNOWLEDGE_BASE) -> tuple[Entry, ...]:
    """Every entry of the base, in the file's order."""
    return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Entry, ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    entries = tuple(_entry(raw) for raw in data.get("entries") or [])
    ids = [e.id for e in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("Deux entrées de la base de connaissances ont le même id.")
    return entries


def by_id(path: Path = KNOWLEDGE_BASE) -> dict[str, Entry]:
    return {entry.id: entry for entry in load_entries(path)}


def _count(value: Any, one: str, many: str) -> str:
    number = int(value)
    return f"{number} {one if number in (0, 1) else many}"


def _format(value: Any, form: str | None) -> str:
    if form in (None, "number"):
        if isinstance(value, bool):
            raise TemplateError("un oui/non n'a pas de forme chiffrée")
        return format_number(Decimal(str(value)).normalize()) if not isinstance(value, int) else format_number(value)
    if form == "eur":
        return format_eur(Decimal(str(value)))
    if form == "percent":
        return format_percent(Decimal(str(value)))
    if form == "reduction":
        return format_percent(1 - Decimal(str(value)))
    if form == "days":
        return _count(value, "jour", "jours")
    if form == "hours":
        return _count(value, "heure", "heures")
    if form == "months":
        return f"{int(value)} mois"
    if form == "years":
        return _count(value, "an", "ans")
    if form == "date":
        return format_date_fr(date.fromisoformat(str(value)[:10]))
    if form == "of_month":
        return format_of_month_fr(date.fromisoformat(str(value)[:7] + "-01"))
    raise TemplateError(f"format inconnu « {form} »")


def current_window(calendar: dict[str, Any]) -> dict[str, Any]:
    """The declaration window of ``GET /v1/calendar/declaration-window`` to speak of: open today, else the next."""
    window = calendar.get("open_window") if calendar.get("window_open") else None
    return window or calendar["next_window"]


def render(entry: Entry, parameters: dict[str, Any], calendar: dict[str, Any] | None) -> str:
    """The answer of ``entry`` with the backend's values: ``parameters`` as ``GET /v1/rules/parameters`` serves
    them (name → value, effective_from, source), ``calendar`` as the declaration-window route does."""

    def fill(match: re.Match) -> str:
        source, name, form = match.group(1), match.group(2), match.group(3)
        if source == "rule":
            if name not in parameters:
                raise TemplateError(f"paramètre inconnu « {name} »")
            return _format(parameters[name]["value"], form)
        if source == "since":
            if name not in parameters:
                raise TemplateError(f"paramètre inconnu « {name} »")
            return _format(parameters[name]["effective_from"], form or "date")
        if source == "window":
            if calendar is None or name not in WINDOW_FIELDS:
                raise TemplateError(f"fenêtre d'actualisation : « {name} »")
            if name == "status":
                return "est ouverte" if calendar.get("window_open") else "sera ouverte"
            return _format(current_window(calendar)[name], form)
        raise TemplateError(f"source inconnue « {source} »")

    return PLACEHOLDER.sub(fill, entry.answer)


def needs_calendar(entry: Entry) -> bool:
    return any(source == "window" for source, _, _ in entry.placeholders)
