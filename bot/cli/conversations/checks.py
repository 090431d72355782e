"""What an answer must and must not contain, as a job seeker would judge it.

Every check compares folded text (lowercase, no accents, single spaces), so that
it is about what is said, not about typography. Where wording has to be matched
(the out-of-scope redirection, the identification prompt, a clarifying question)
it is taken from ``domain.yml`` (``response:utter_…``), never retyped here.

Checks of a turn (``expect:`` in the suite):

- ``says: [item, …]`` every item is in the answer; an item that is a list is satisfied by any of its items;
- ``said: [item, …]`` like ``says``, over every answer so far (two needs answered over two turns);
- ``not_says: [item, …]`` no item is in the answer;
- ``asks: identifier | birth_date`` the answer asks for it;
- ``answers: true`` an answer, not a deflection (out of scope, clarifying question, « reformulez »,
  « Que voulez-vous savoir ? », « Quelle est votre question ? »);
- ``in_scope: true`` not the out-of-scope nor the other-benefit redirection;
- ``no_identification: true`` no « j'ai besoin de vous identifier », no question for the identifier or birth date;
- ``counsellor: true`` a counsellor is offered (or the conversation handed over);
- ``emergency: suicide | help`` the 3114 / an emergency number (115, CCAS, 3114, 3919, 112, 119);
- ``no_amount: true`` no amount of money at all;
- ``differs_from_previous: true`` not the previous answer again;
- ``silent: true`` no answer (the bot has stepped back for a counsellor);
- ``max_chars: N``.

The line that dates the figures (« Chiffres de votre dossier au … ») is left out of every check.
And on every turn, unless it expects an emergency: no 3114 and no 115 (a false alarm
is a failure of the conversation), and an answer unless ``silent``.

Items: plain text (folded), ``re:`` a regular expression over the folded answer,
``response:utter_x`` the opening of that response in ``domain.yml``; any of them may
hold placeholders ``{source.path:format}`` (``facts``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from bot.cli.conversations.facts import PLACEHOLDER, BackendFacts, FactError, fold, literal
from bot.config import PROJECT_ROOT

DEFLECTIONS = (
    "utter_out_of_scope",
    "utter_clarify",
    "utter_ask_rephrase",
    "utter_not_understood",
    "utter_default",
    "utter_how_can_i_help",
    "utter_inform_out_of_context",
    "utter_ask_followup_context",
)
OUT_OF_SCOPE = ("utter_out_of_scope", "utter_other_benefit")
EMERGENCY_FALSE_ALARM = re.compile(r"(?<![\d,.])(?<!\d )(?:3114|115)(?!\d|,\d|\s?(?:€|euros?))")
EMERGENCY = {
    "suicide": r"(?<![\d,.])(?<!\d )3114(?!\d|,\d)",
    "help": r"(?<![\d,.])(?<!\d )(?:115|3114|3919|112|119)(?!\d|,\d|\s?(?:€|euros?))|\bccas\b",
}
COUNSELLOR = r"(?<![\d,.])3949(?!\d)|\bun(?:e)? conseill(?:er|ere)\b|\bconseill(?:er|ere) (?:va|peut|vous)\b"
ASKS = {
    "identifier": r"identifiant",
    "birth_date": r"date de naissance",
}
IDENTIFICATION_PROMPT = (
    "response:utter_ask_identifier",
    r"re:quel est votre identifiant",
    r"re:votre date de naissance \?",
)
MONEY = r"(?<![\w])\d[\d\s]*(?:,\d\d)?\s?(?:€|euros?)"
# The line that dates the figures (actions/phrasing.py, ``data_date``) is not an answer: its date must not
# pass for a payment date. The backend dates its views with the real clock, not the pinned day, so that
# on some days it is the very date a scenario expects (tests/conversations/test_suite_shape.py keeps the
# pattern in step with the bot's wording).
DATA_DATE = re.compile(r"chiffres de votre dossier au [^\n]*")


def answer_text(answer: str) -> str:
    """The folded answer as the checks read it: without the line that dates the figures."""
    return DATA_DATE.sub("", fold(answer)).strip()


@lru_cache(maxsize=1)
def domain_responses() -> dict[str, str]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {name: variants[0].get("text", "") for name, variants in (domain.get("responses") or {}).items()}


def opening(response: str) -> str:
    """The first sentences of a response, at least 20 characters: enough to recognise it, robust to additions."""
    text = domain_responses().get(response)
    if text is None:
        raise FactError(f"réponse inconnue dans domain.yml : {response}")
    kept = ""
    for part in re.split(r"(?<=[.?!:])\s+", text):
        kept = f"{kept} {part}".strip()
        if len(re.sub(r"[.?!:]$", "", kept)) >= 20:
            break
    return re.sub(r"\s*[.?!:]$", "", kept)


def item_pattern(item: str, facts: BackendFacts) -> str:
    """One item of ``says`` / ``not_says`` as a regular expression over folded text."""
    if item.startswith("response:"):
        return literal(opening(item.removeprefix("response:").strip()))
    if item.startswith("re:"):
        return PLACEHOLDER.sub(lambda m: f"(?:{facts.pattern(m.group(1), m.group(2))})", item[3:])
    pieces, last = [], 0
    for match in PLACEHOLDER.finditer(item):
        pieces.append(_literal_piece(item[last : match.start()]))
        pieces.append(f"(?:{facts.pattern(match.group(1), match.group(2))})")
        last = match.end()
    pieces.append(_literal_piece(item[last:]))
    return "".join(pieces)


def _literal_piece(text: str) -> str:
    if not text:
        return ""
    core = literal(text)
    return (r"\s*" if text[0].isspace() else "") + core + (r"\s*" if text[-1].isspace() and core else "")


Check = Callable[[str, str, str, str], bool]
"""(raw answer, folded answer, folded previous, folded so far) -> ok"""


@dataclass(frozen=True)
class Expectation:
    """One compiled check of a turn: its name, what the suite wrote, and the test on the answer."""

    name: str
    wrote: str
    test: Check

    def failure(self) -> str:
        return f"{self.name}: {self.wrote}"


def _found(pattern: str) -> Check:
    compiled = re.compile(pattern)
    return lambda raw, folded, previous, so_far: compiled.search(folded) is not None


def _absent(pattern: str) -> Check:
    compiled = re.compile(pattern)
    return lambda raw, folded, previous, so_far: compiled.search(folded) is None


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _says(value: Any, facts: BackendFacts) -> list[Expectation]:
    found = []
    for item in _items(value):
        alternatives = _items(item)
        pattern = "|".join(f"(?:{item_pattern(str(a), facts)})" for a in alternatives)
        found.append(Expectation("says", " | ".join(map(str, alternatives)), _found(pattern)))
    return found


def _said(value: Any, facts: BackendFacts) -> list[Expectation]:
    """Like ``says``, over every answer of the conversation so far: two needs may be answered in two turns."""
    found = []
    for item in _items(value):
        alternatives = _items(item)
        found.append(Expectation("said", " | ".join(map(str, alternatives)), _found_so_far(alternatives, facts)))
    return found


def _found_so_far(alternatives: list[Any], facts: BackendFacts) -> Check:
    compiled = re.compile("|".join(f"(?:{item_pattern(str(a), facts)})" for a in alternatives))
    return lambda raw, folded, previous, so_far: compiled.search(so_far) is not None


def _not_says(value: Any, facts: BackendFacts) -> list[Expectation]:
    return [Expectation("not_says", str(item), _absent(item_pattern(str(item), facts))) for item in _items(value)]


def _asks(value: Any, facts: BackendFacts) -> list[Expectation]:
    if value not in ASKS:
        raise FactError(f"asks: {value!r} (attendu : {', '.join(ASKS)})")
    return [Expectation("asks", value, _found(ASKS[value]))]


def _answers(value: Any, facts: BackendFacts) -> list[Expectation]:
    if not value:
        return []
    pattern = "|".join(f"(?:{literal(opening(name))})" for name in DEFLECTIONS)
    compiled = re.compile(pattern)
    return [
        Expectation(
            "answers",
            "une réponse, pas une esquive",
            lambda r, f, p, s: bool(f) and not compiled.search(f),
        )
    ]


def _in_scope(value: Any, facts: BackendFacts) -> list[Expectation]:
    if not value:
        return []
    pattern = "|".join(f"(?:{literal(opening(name))})" for name in OUT_OF_SCOPE)
    return [Expectation("in_scope", "pas la réponse « hors sujet »", _absent(pattern))]


def _no_identification(value: Any, facts: BackendFacts) -> list[Expectation]:
    if not value:
        return []
    pattern = "|".join(f"(?:{item_pattern(item, facts)})" for item in IDENTIFICATION_PROMPT)
    return [Expectation("no_identification", "pas de demande d'identification", _absent(pattern))]


def _counsellor(value: Any, facts: BackendFacts) -> list[Expectation]:
    return [Expectation("counsellor", "un conseiller proposé", _found(COUNSELLOR))] if value else []


def _emergency(value: Any, facts: BackendFacts) -> list[Expectation]:
    if value not in EMERGENCY:
        raise FactError(f"emergency: {value!r} (attendu : {', '.join(EMERGENCY)})")
    return [Expectation("emergency", value, _found(EMERGENCY[value]))]


def _no_amount(value: Any, facts: BackendFacts) -> list[Expectation]:
    return [Expectation("no_amount", "aucun montant", _absent(MONEY))] if value else []


def _differs(value: Any, facts: BackendFacts) -> list[Expectation]:
    if not value:
        return []

    def test(raw: str, folded: str, previous: str, so_far: str) -> bool:
        return bool(folded) and difflib.SequenceMatcher(None, folded, previous).ratio() < 0.8

    return [Expectation("differs_from_previous", "pas la même réponse qu'au tour précédent", test)]


def _silent(value: Any, facts: BackendFacts) -> list[Expectation]:
    return [Expectation("silent", "aucune réponse", lambda r, f, p, s: not f)] if value else []


def _max_chars(value: Any, facts: BackendFacts) -> list[Expectation]:
    limit = int(value)
    return [Expectation("max_chars", str(limit), lambda r, f, p, s: len(r) <= limit)]


CHECKS: dict[str, Callable[[Any, BackendFacts], list[Expectation]]] = {
    "says": _says,
    "said": _said,
    "not_says": _not_says,
    "asks": _asks,
    "answers": _answers,
    "in_scope": _in_scope,
    "no_identification": _no_identification,
    "counsellor": _counsellor,
    "emergency": _emergency,
    "no_amount": _no_amount,
    "differs_from_previous": _differs,
    "silent": _silent,
    "max_chars": _max_chars,
}


def _no_false_alarm(raw: str, folded: str, previous: str, so_far: str) -> bool:
    return EMERGENCY_FALSE_ALARM.search(folded) is None


def compile_turn(expect: dict[str, Any], facts: BackendFacts) -> list[Expectation]:
    """The checks of one turn, the defaults included (no false emergency number, an answer)."""
    compiled: list[Expectation] = []
    for name, value in expect.items():
        compiled += CHECKS[name](value, facts)
    if "emergency" not in expect:
        compiled.append(Expectation("no_emergency", "ni 3114 ni 115 (fausse alerte)", _no_false_alarm))
    if not expect.get("silent"):
        compiled.append(Expectation("replies", "une réponse", lambda r, f, p, s: bool(f)))
    return compiled


def failures(expectations: list[Expectation], answer: str, previous: str, so_far: str = "") -> list[str]:
    """The checks the answer fails; ``so_far`` is every answer of the conversation up to this one included."""
    folded = answer_text(answer)
    read = [e for e in expectations if not e.test(answer, folded, answer_text(previous), answer_text(so_far or answer))]
    return [e.failure() for e in read]
