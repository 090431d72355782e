"""The backend's figures for one persona, and the placeholders that name them in the suite.

A scenario never types a figure: it writes ``{allowance.monthly.net:eur}`` and the
runner asks the backend, as the bot does, in a conversation of its own
(``POST /v1/identification`` with the persona's identifier and birth date, then
the personal routes). The value becomes a pattern of the text a job seeker would
accept, formatted as the bot formats it (``bot.formatting``): ``1 279,38 €``,
``2 décembre 2026``, ``octobre 2026``, ``269 jours``.

Placeholder: ``{source.path:format}``.

- sources: ``allowance`` (this month), ``allowance@-1`` / ``allowance@+1`` / ``allowance@2026-10``,
  ``next`` (next payment), ``payments`` (history, newest first), ``rights``, ``declaration``
  (last declaration due, next window), ``overpayments``, ``documents`` (awaited), ``calendar``
  (declaration windows, the same for everyone), ``simulation@800`` / ``simulation@400@+1`` (gross earnings,
  month offset),
  ``persona`` (``first_name``), ``rule`` (a parameter of the ARE rules on the pinned day);
- path: keys and list indices, ``payments.0.net``;
- formats: ``eur``, ``date``, ``month``, ``days``, ``number``, ``percent``, ``text`` (default:
  ``text`` for strings, ``number`` for numbers).
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from bot.backend.rules.dates import add_months
from bot.formatting import format_eur, format_month_fr, format_number

PLACEHOLDER = re.compile(r"\{([a-z_]+(?:@[0-9+\-]+)*(?:\.[A-Za-z0-9_]+)*)(?::([a-z_]+))?\}")
FORMATS = ("eur", "date", "month", "days", "number", "percent", "text")
PERSONAL = {
    "next": "payments/next",
    "rights": "rights",
    "declaration": "declarations/current",
    "overpayments": "overpayments",
    "documents": "documents/awaited",  # issue 20: the documents the file awaits
}


class FactError(LookupError):
    """A placeholder names nothing in the backend's answer (a typo in the suite, or a changed API)."""


def fold(text: str) -> str:
    """Lowercase, no accents, plain apostrophes and single spaces: how answers and patterns are compared."""
    import unicodedata

    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.replace("œ", "oe").replace("æ", "ae").lower()).strip()


def literal(text: str) -> str:
    """A folded literal as a pattern in which any run of spaces matches any run of spaces."""
    return r"\s*".join(re.escape(part) for part in fold(text).split(" ")) if text.strip() else ""


def money_pattern(value: Decimal) -> str:
    """``1 279,38 €``, also ``1279,38 €`` or ``1 279,38 euros``; ``700 €`` for ``700,00 €``."""
    text = format_eur(value).replace("€", "").strip()  # "1 279,38"
    whole, cents = text.split(",")
    groups = whole.split(" ")
    number = r"\s?".join(groups) + (r"(?:,00)?" if cents == "00" else f",{cents}")
    sign = "-?" if value < 0 else ""
    return rf"(?<![\d,.]){sign}{number}\s?(?:€|euros?)"


def date_pattern(day: date) -> str:
    """``2 décembre 2026`` (the weekday and the year may be said or not; « 1er » for the first)."""
    month = fold(format_month_fr(day).split(" ")[0])
    number = "1(?:er)?" if day.day == 1 else str(day.day)
    return rf"(?<!\d){number}\s+{month}(?:\s+{day.year})?"


def month_pattern(first: date) -> str:
    name = fold(format_month_fr(first))  # "octobre 2026"
    month, year = name.split(" ")
    return rf"\b{month}(?:\s+{year})?\b"


def number_pattern(value: Any) -> str:
    text = format_number(Decimal(str(value)).normalize()) if not isinstance(value, int) else format_number(value)
    return r"(?<![\d,])" + r"\s?".join(re.escape(g) for g in text.split(" ")) + r"(?![\d]|,\d)"


def pattern_for(value: Any, form: str | None) -> str:
    """The regular expression (over folded text) of a backend value in the given format."""
    if value is None:
        raise FactError("valeur absente (null) dans la réponse du backend")
    form = form or ("number" if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else "text")
    if form == "eur":
        return money_pattern(Decimal(str(value)))
    if form == "date":
        return date_pattern(date.fromisoformat(str(value)[:10]))
    if form == "month":
        return month_pattern(date.fromisoformat(str(value)[:7] + "-01"))
    if form == "days":
        count = int(value)
        return rf"(?<![\d,]){count}\s+jours?\b"
    if form == "number":
        return number_pattern(value)
    if form == "percent":
        percent = (Decimal(str(value)) * 100).normalize()
        return number_pattern(percent) + r"\s?(?:%|pour\s?cent)"
    if form == "text":
        return literal(str(value))
    raise FactError(f"format inconnu {form!r} (formats : {', '.join(FORMATS)})")


class BackendFacts:
    """One persona's file as the backend states it, read once per resource and kept for the run.

    ``refresh`` identifies again (a fresh access token, and a successful
    identification clears the failures a scenario's typos may have counted
    against the persona's identifier, so that no scenario locks it for the next)."""

    def __init__(self, backend_url: str, service_token: str, today: date, persona: Any | None):
        self.client = httpx.Client(base_url=backend_url, headers={"X-Service-Token": service_token}, timeout=15)
        self.today = today
        self.persona = persona
        self.person: int | None = None
        self.grant: dict[str, Any] = {}
        self._cache: dict[str, Any] = {}

    def close(self) -> None:
        self.client.close()

    def refresh(self) -> None:
        if self.persona is None:
            return
        conversation_id = f"facts-{uuid.uuid4()}"
        response = self.client.post(
            "/v1/identification",
            json={
                "conversation_id": conversation_id,
                "channel": "rest",
                "identifier": self.persona.identifier,
                "birth_date": self.persona.birth_date.isoformat(),
            },
        )
        if response.status_code != 200:
            raise FactError(f"identification de {self.persona.key} refusée par le backend : {response.text[:200]}")
        self.grant = response.json()
        self.person = self.grant["job_seeker_id"]
        self.client.headers.update(
            {"Authorization": f"Bearer {self.grant['access_token']}", "X-Conversation-Id": conversation_id}
        )

    def _month(self, offset_or_month: str) -> str:
        if re.fullmatch(r"\d{4}-\d{2}", offset_or_month):
            return offset_or_month
        return add_months(self.today.replace(day=1), int(offset_or_month)).strftime("%Y-%m")

    def _personal(self, method: str, route: str, **kwargs: Any) -> Any:
        if self.persona is None:
            raise FactError(f"{route} : ce scénario n'a pas de persona")
        if self.person is None:
            self.refresh()
        response = self.client.request(method, f"/v1/job-seekers/{self.person}/{route}", **kwargs)
        if response.status_code in (401, 403):
            self.refresh()
            response = self.client.request(method, f"/v1/job-seekers/{self.person}/{route}", **kwargs)
        if response.status_code != 200:
            raise FactError(f"{route} : {response.status_code} {response.text[:200]}")
        return response.json()

    def source(self, name: str) -> Any:
        """The backend's JSON for a source name of the placeholder grammar."""
        if name in self._cache:
            return self._cache[name]
        head, *args = name.split("@")
        if head == "allowance":
            params = {"month": self._month(args[0])} if args else None
            value = self._personal("GET", "allowance", params=params)
        elif head == "payments":
            value = self._personal("GET", "payments", params={"limit": "24"})["payments"]
        elif head in PERSONAL and not args:
            value = self._personal("GET", PERSONAL[head])
        elif head == "simulation" and args:
            month = self._month(args[1] if len(args) > 1 else "0")
            body = {"month": month, "gross_earnings": f"{Decimal(args[0]):.2f}"}
            value = self._personal("POST", "simulations/earnings", json=body)
        elif head == "calendar" and not args:
            response = self.client.get("/v1/calendar/declaration-window")
            if response.status_code != 200:
                raise FactError(f"calendrier : {response.status_code}")
            value = response.json()
        elif head == "persona" and not args:
            if self.persona is None:
                raise FactError("persona : ce scénario n'a pas de persona")
            if not self.grant:
                self.refresh()
            value = {
                "first_name": self.grant.get("first_name"),
                "identifier": self.persona.identifier,
                "key": self.persona.key,
            }
        elif head == "rule" and not args:
            value = _RuleTable(self.today)
        else:
            raise FactError(f"source inconnue {name!r}")
        self._cache[name] = value
        return value

    def value(self, reference: str) -> Any:
        """``allowance.monthly.net`` → ``'1279.38'``."""
        source, *path = reference.split(".")
        value = self.source(source)
        for key in path:
            if isinstance(value, _RuleTable):
                value = value[key]
            elif isinstance(value, list) and key.isdigit():
                if int(key) >= len(value):
                    raise FactError(f"{reference} : la liste n'a que {len(value)} élément(s)")
                value = value[int(key)]
            elif isinstance(value, dict) and key in value:
                value = value[key]
            else:
                raise FactError(f"{reference} : « {key} » absent de la réponse du backend")
        return value

    def pattern(self, reference: str, form: str | None) -> str:
        try:
            return pattern_for(self.value(reference), form)
        except FactError as error:
            raise FactError(f"{{{reference}}} : {error}") from None


class _RuleTable:
    """``rule.aj_fixed_part``: a parameter of the ARE rules in force on the pinned day."""

    def __init__(self, day: date):
        self.day = day

    def __getitem__(self, name: str) -> Any:
        from bot.backend.rules.parameters import ParameterNotFound, value_on

        try:
            return value_on(name, self.day)
        except ParameterNotFound:
            raise FactError(f"paramètre inconnu {name!r}") from None
