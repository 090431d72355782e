"""Money amounts and months in French messages, as Rasa entities.

``FrenchEntityExtractor`` reads the message text as the person wrote it (the
normalizer never changes it) and adds:

- ``amount``: a sum of money, value ``"1200.00"`` (a ``Decimal`` rendered with two
  decimals, never a float): "800 €", "1 200 € brut", "1200,50", "2 000 e",
  "huit cents balles", "mille deux cents euros", "1,2k", "je gagne 900";
- ``month``: a month, value ``"YYYY-MM"``: "en décembre", "janvier 2025",
  "le mois prochain", "ce mois-ci", "il y a deux mois", "d'ici mars".

Each entity is ``{"entity", "value", "start", "end", "confidence": 1.0,
"extractor": "FrenchEntityExtractor"}`` with ``start``/``end`` in the original text.
Matching runs on ``bot.common.folding.fold(text)``, which has the same length.

When a number is an amount
--------------------------
A wrong amount is the worst failure of this product, so a number is an amount
only when the message says so:

- a currency next to it: "€" (before or after), euro(s), eur, "e" (separated, or
  glued to a number of three to five digits: "800e", not the ordinal "3e" nor the
  identifier "8765432E"), balles, k/k€ (thousands), centimes;
- or "brut", "net", "par mois", "de salaire" after it;
- or a money verb or noun just before it (gagner, toucher, salaire, payé, reçu,
  versé, montant, somme, "si je fais"...), with at most a few small words in
  between ("de", "environ", "à peu près"...), and no unrelated noun after it
  ("j'ai reçu 3 courriers" is not an amount);
- or it is linked to an amount by "et", "à", "-", "ou", "au lieu de", "contre":
  "entre 800 et 1000 €", "j'ai reçu 780 au lieu de 1100";
- or it is the whole message ("800", "1 200,50"), except single digits (numbered
  SMS menu choices), integers of five digits or more without separators (postal
  codes, identifiers) and years (1900 to five years from now, unless a round
  hundred: "2025" is a year, "2000" an amount).

Never an amount: a number followed by a unit of time or count (jours, mois, ans,
heures, fois, %, enfants...), the day of a date ("le 12 mars"), a year after a
month name, numbers inside dates, times, phone numbers, social security numbers,
IBANs, e-mail addresses and URLs, numbers glued to letters ("1234567A", "14h"),
numbers after "n°", "identifiant", "code", "dossier"..., sums of 10 million or more.
The entity span covers the number and its currency ("1 200 €"), not "brut"/"net".

Which month a month name means
------------------------------
With a year ("novembre 2026", "11/2026"), that month; years more than five years
away are ignored (birth dates), as are months after "né(e) le" / "naissance".
Without a year:

- "mars prochain" / "mars dernier": the next / the last March other than the
  current month;
- after "d'ici", "jusqu'en", "à partir de", "dès": the next March, this month
  included; after "depuis": the last March, this month included;
- otherwise a rolling window: the current month and the next ``future_months``
  (default 2) are this year's or next year's; the nine others are the most
  recent past ones. On 22 November 2026: novembre -> 2026-11, décembre -> 2026-12,
  janvier -> 2027-01, février -> 2026-02, octobre -> 2026-10. People ask "how
  much in January" about the coming payment and "why less in March" about a
  past one.

Relative months: "ce mois(-ci)", "le mois en cours" (this month), "le mois
prochain", "le mois qui vient" (+1), "le mois dernier", "le mois passé" (-1),
"dans N mois", "il y a N mois" (parsed by dateparser, N in digits or words). "Le
mois suivant / d'après / précédent / d'avant" are left out: they refer to a month
said earlier in the conversation, which only the dialogue knows.
``dateparser.search_dates`` was tried on whole messages and rejected: it reads
"je" as a date, misses "le mois dernier" inside a sentence and takes 5 to 90 ms.
"Today" is ``bot.clock.today()`` (``ALLOCBOT_TODAY`` pins it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

import dateparser
from babel.dates import get_month_names
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from text_to_num import alpha2digit

from bot import clock
from bot.common.folding import fold

AMOUNT = "amount"
MONTH = "month"
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10_000_000)
# Longer messages are searched in their first MAX_CHARS characters only.
MAX_CHARS = 5_000


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


# ---------------------------------------------------------------- month names
# Babel's French month names, folded: "décembre" -> "decembre", "févr." -> "fevr".
_WIDE = {fold(name): number for number, name in get_month_names("wide", locale="fr").items()}
_ABBREVIATED = {fold(name).rstrip("."): number for number, name in get_month_names("abbreviated", locale="fr").items()}
_MONTH_NUMBER = {**_ABBREVIATED, "fev": 2, **_WIDE}
_MONTH_NAMES = _alternation(list(_MONTH_NUMBER))
_MONTH_NAME = re.compile(
    rf"\b(?P<name>{_MONTH_NAMES})\b(?P<dot>\.)?"
    r"(?:[\s-]*(?P<year>(?:19|20)\d{2})\b)?"
    r"(?P<after>[\s-]+(?:prochain|qui\s+vient|dernier|passe)\b)?"
)
_NUMERIC_MONTH = re.compile(r"(?<![\d/.-])(?P<month>0?[1-9]|1[0-2])[/.-](?P<year>(?:19|20)\d{2})(?![\d/.-])")
_FUTURE_HINT = re.compile(
    r"\b(?:d'?\s*ici|jusqu'?\s*(?:en|a|au)?|a\s+partir\s+d[eu']?|a\s+compter\s+d[eu']?|des)"
    r"(?:[\s']+(?:le|la|fin|debut|mi|mois|de|d|du|\d{1,2}(?:er)?))*[\s'-]*$"
)
_PAST_HINT = re.compile(r"\bdepuis(?:[\s']+(?:le|la|fin|debut|mi|mois|de|d|du|\d{1,2}(?:er)?))*[\s'-]*$")
# "je suis née en mars", "né le 3 mars", "naissance": not the negation "je ne le touche pas en mars".
_BIRTH_HINT = re.compile(r"(?:^|\b(?:suis|es|est|etes|etais|etait))\s*nee?s?\s+(?:le|en)\b|\bnaissance\b")

_THIS_MONTH = re.compile(r"\bce\s+mois(?:[\s-]*ci\b)?(?![\s-]*la\b)|\b(?:du|le)\s+mois\s+(?:en\s+cours|actuel)\b")
_NEXT_MONTH = re.compile(r"\b(?:(?:le|du|au)\s+)?mois\s+(?:prochain|qui\s+vient)\b")
_LAST_MONTH = re.compile(r"\b(?:(?:le|du|au)\s+)?mois\s+(?:dernier|passe)\b")
_MONTHS_AWAY = re.compile(
    r"\b(?P<direction>dans|il\s+y\s+a|y\s+a|ya)\s+"
    r"(?P<count>\d{1,2}|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze)\s+mois\b"
)

# ------------------------------------------------------------- number shapes
_NUMBER_WORD = (
    r"(?:zero|une|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize"
    r"|vingts|vingt|trente|quarante|cinquante|soixante|septante|huitante|octante|nonante|cents|cent"
    r"|milliards|milliard|millions|million|mille|mil)\b"
)
_WORD_NUMBER = re.compile(rf"\b{_NUMBER_WORD}(?:(?:[\s-]+et)?[\s-]+{_NUMBER_WORD})*")
_DIGIT_NUMBER = re.compile(
    r"(?<![\w.,/:@+])"
    r"(?P<int>\d{1,3}(?:[ .]\d{3})+(?!\d)|\d+)"
    r"(?:[.,](?P<dec>\d{1,2}))?(?![.,]?\d)"
    r"(?P<mult>\s?k(?![a-z])|\s+mille\b|\s+millions?\b)?"
)
_MULTIPLIERS = {"k": 1_000, "mille": 1_000, "million": 1_000_000, "millions": 1_000_000}

# Spans that hold numbers which are never amounts.
_NOT_MONEY_SPANS = [
    re.compile(p)
    for p in (
        r"\S+@\S+|https?://\S+|www\.\S+",
        r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b",  # dates 12/03/1985, 2025-03-12
        r"\b\d{1,2}/\d{1,2}\b",  # 12/03
        r"\b\d{1,2}[/-](?:19|20)\d{2}\b",  # 03/2025
        r"\b\d{1,2}\s?h\s?\d{2}\b|\b\d{1,2}:\d{2}\b",  # 14h30, 14:30
        r"(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b",  # phone numbers
        r"\b[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2a|2b)[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?\b",  # NIR
        r"\b[a-z]{2}\d{2}(?:\s?[a-z0-9]{4}){3,7}(?:\s?[a-z0-9]{1,4})?\b",  # IBAN
    )
]
_CURRENCY_AFTER = re.compile(r"\s*(?P<unit>€|(?:d'\s*)?euros?\b|eur\b|e\b(?!['-])|balles\b|centimes?\b|cts?\b)")
_GLUED_CURRENCY = re.compile(r"(?P<unit>k€|keur|€|euros?|eur|e)(?![a-z0-9])")
_CURRENCY_BEFORE = re.compile(r"€\s*$")
_MONEY_AFTER = re.compile(
    r"\s*(?:bruts?|nets?|nettes?|mensuels?|par\s+mois|/\s*mois|de\s+salaire|d'?\s*salaire|de\s+revenus?)\b"
)
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:%|(?:jours?|j|journees?|nuits?|semaines?|sem|mois|ans?|annees?|heures?|h|hrs?|min|minutes?|secondes?"
    r"|fois|pour\s*cents?|pourcents?|enfants?|personnes?|trimestres?|points?|km|kilometres?|metres?|m2"
    r"|er|eme|ieme|e\s+fois|rue|avenue|bd|boulevard|allee|chemin|place"
    rf"|{_MONTH_NAMES})\b)"
)
_IDENTIFIER_BEFORE = re.compile(
    r"(?:n°|\bno|\bnum|\bnumero|\bidentifiant|\bid|\bdossier|\breference|\bref|\bcode(?:\s+postal)?|\ballocataire"
    r"|\bcompte|\btel|\btelephone|\bportable|\bsiret|\bsecu|\biban)\s*(?::|=|est|c'?\s*est)?\s*(?:le\s+)?$"
)
_YEAR_BEFORE = re.compile(rf"(?:\b(?:en|depuis|annee|an|{_MONTH_NAMES})\.?)\s*$")
_MONEY_BEFORE = re.compile(
    r"\b(?:gagn\w*|touch\w*|salaires?|pay\w*|paie\w*|percoi\w*|percu\w*|percev\w*|recu\w*|recoi\w*|recev\w*"
    r"|verse\w*|versa\w*|vire\w*|montants?|somme|revenus?|remuneration\w*|indemnit\w*|allocations?|fais|fait"
    r"|ferai\w*|dois|doit|rembours\w*|retenu\w*|retien\w*|prelev\w*|baiss\w*|augment\w*|manqu\w*|cout\w*"
    r"|loyer|reste|smic)"
    r"(?:[\s']+(?:de|d|du|des|a|est|sera|serait|etait|que|qu|environ|env|seulement|juste|a\s+peu\s+pres|pres"
    r"|genre|dans\s+les|plus|moins|autour|quasi|presque|mensuel\w*|brut|net|par\s+mois|mon|ma|mes|un|une|total"
    r"|max|maximum|minimum|exactement|pile|tout|entre|au\s+moins|jusqu'?\s*a)){0,4}\s*$"
)
# Words that may follow an amount introduced by a money verb; any other word
# ("3 courriers", "2 missions") makes the number a count.
_FOLLOWERS = frozenset(
    "ce cette ces cet en le la les l au aux pour par sur dans et ou mais alors donc avec de d du des net nets brut "
    "bruts a je j il elle on tu vous nous me m ca c si quand comme depuis chaque tous toutes environ ?".split()
)
_NEXT_WORD = re.compile(r"[\s,;:!.?]*(?P<word>[a-z]+|\?)?")
_RANGE = re.compile(r"^\s*(?:et|a|ou|-|voire)\s*$")
_VERSUS = re.compile(r"^[\s\w']{0,25}?\b(?:au\s+lieu\s+d[e']?|contre|par\s+rapport\s+a|plutot\s+que|vs)\s*$")
_BARE_REST = re.compile(r"^[\s\W]*$")


@dataclass
class _Number:
    start: int  # of the entity (a leading "€" included)
    end: int  # of the entity (its currency included)
    tail: int  # end of what this number owns, units of time included (for links)
    value: Decimal
    digits: str  # the integer part as written, separators removed ("" for words)
    written_with_separator: bool
    kind: str | None = None  # "money", "other" or None (undecided)
    cents: bool = False
    thousands: bool = False  # written with "k": "1,2k"


def _mask(folded: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in _NOT_MONEY_SPANS for m in pattern.finditer(folded)]


def _words_to_int(words: str) -> int | None:
    if re.fullmatch(r"zero", words):
        return 0
    converted = alpha2digit(words, "fr", threshold=0).strip()
    return int(converted) if converted.isdigit() else None


def _numbers(folded: str) -> Iterator[_Number]:
    """Every number written in digits or in words, with its value."""
    digit_spans: list[tuple[int, int]] = []
    for m in _DIGIT_NUMBER.finditer(folded):
        digits = re.sub(r"[ .]", "", m.group("int"))
        if len(digits) > 12:
            continue
        value = Decimal(digits)
        if m.group("dec"):
            value += Decimal(m.group("dec")) / (10 ** len(m.group("dec")))
        end = m.end()
        if m.group("mult"):
            value *= _MULTIPLIERS[m.group("mult").strip()]
        number = _Number(m.start(), end, end, value, digits, bool(re.search(r"[ .]", m.group("int"))))
        number.thousands = (m.group("mult") or "").strip() == "k"
        if folded[end : end + 1].isalpha():
            glued = _GLUED_CURRENCY.match(folded, end)
            if glued is None or (glued.group("unit") == "e" and not 3 <= len(digits) <= 5):
                continue  # "1234567A", "8765432E", "3e", "14h": not a number on its own
            number.end = number.tail = glued.end()
            number.kind = "money"
        digit_spans.append((number.start, number.end))
        yield number
    for m in _WORD_NUMBER.finditer(folded):
        start, words = m.start(), m.group()
        if any(s < m.end() and m.start() < e for s, e in digit_spans):
            continue  # the "mille" of "2 mille"
        # "un"/"une" are articles unless they count thousands or millions.
        lead = re.match(r"une?[\s-]+(?!mil)", words)
        if lead:
            start, words = start + lead.end(), words[lead.end() :]
        if words in ("un", "une") or not words:
            continue
        value = _words_to_int(words.replace("-", " "))
        if value is not None:
            yield _Number(start, m.end(), m.end(), Decimal(value), "", False)


def _classify(folded: str, number: _Number, masked: list[tuple[int, int]]) -> None:
    if any(start < number.end and number.start < end for start, end in masked):
        number.kind = "other"
        return
    if number.kind == "money":
        return
    currency = _CURRENCY_AFTER.match(folded, number.end)
    if currency:
        number.end = number.tail = currency.end()
        number.kind = "money"
        if currency.group("unit").startswith(("centime", "ct")):
            number.cents = True
            number.value /= 100
        return
    if number.thousands:
        number.kind = "money"
        return
    not_money = _NOT_MONEY_AFTER.match(folded, number.end)
    if not_money:
        number.tail = not_money.end()
        number.kind = "other"
        return
    before = folded[max(0, number.start - 60) : number.start]
    currency_before = _CURRENCY_BEFORE.search(before)
    if currency_before:
        number.start -= len(before) - currency_before.start()
        number.kind = "money"
        return
    if _MONEY_AFTER.match(folded, number.end):
        number.kind = "money"
        return
    if _IDENTIFIER_BEFORE.search(before):
        number.kind = "other"
        return
    if _looks_like_year(number) and _YEAR_BEFORE.search(before):
        number.kind = "other"
        return
    if _MONEY_BEFORE.search(before):
        following = _NEXT_WORD.match(folded, number.end).group("word")
        if following is None or following in _FOLLOWERS:
            number.kind = "money"


def _looks_like_year(number: _Number) -> bool:
    return (
        len(number.digits) == 4
        and not number.written_with_separator
        and number.value == int(number.value)
        and 1900 <= number.value <= clock.today().year + 5
    )


def _link(folded: str, numbers: list[_Number]) -> None:
    """Undecided numbers take the kind of a neighbour they are paired with."""
    for _ in range(2):
        for left, right in zip(numbers, numbers[1:], strict=False):
            if (left.kind is None) == (right.kind is None):
                continue
            gap = folded[left.tail : right.start]
            if _RANGE.match(gap) or _VERSUS.match(gap):
                left.kind = left.kind or right.kind
                right.kind = right.kind or left.kind


def _add_cents(folded: str, numbers: list[_Number]) -> list[_Number]:
    """ "12 euros et 50 centimes" is one amount."""
    merged: list[_Number] = []
    for number in numbers:
        previous = merged[-1] if merged else None
        if (
            number.cents
            and previous is not None
            and previous.kind == "money"
            and not previous.cents
            and re.fullmatch(r"\s*(?:et\s*)?", folded[previous.end : number.start])
        ):
            previous.value += number.value
            previous.end = previous.tail = number.end
            continue
        merged.append(number)
    return merged


def _bare_amount(folded: str, numbers: list[_Number]) -> _Number | None:
    """The number that is the whole message ("800", "1 200,50 ?"), if it can be an amount."""
    if len(numbers) != 1:
        return None
    number = numbers[0]
    if number.kind is not None or not _BARE_REST.match(folded[: number.start] + folded[number.end :]):
        return None
    if number.value < 10 and not number.cents:
        return None  # "1", "2": a numbered choice in an SMS menu
    if len(number.digits) >= 5 and not number.written_with_separator:
        return None  # postal codes, identifiers
    if _looks_like_year(number) and number.value % 100:
        return None
    return number


def extract_amounts(text: str) -> list[dict[str, Any]]:
    """The money amounts in ``text``, as Rasa entities (without the extractor name)."""
    folded = fold(text[:MAX_CHARS])
    if not any(c.isdigit() for c in folded) and not _WORD_NUMBER.search(folded):
        return []
    masked = _mask(folded)
    numbers = sorted(_numbers(folded), key=lambda n: n.start)
    for number in numbers:
        _classify(folded, number, masked)
    _link(folded, numbers)
    numbers = _add_cents(folded, numbers)
    bare = _bare_amount(folded, numbers)
    if bare is not None:
        bare.kind = "money"
    return [
        _entity(AMOUNT, str(n.value.quantize(CENT)), n.start, n.end, text)
        for n in numbers
        if n.kind == "money" and n.value < MAX_AMOUNT
    ]


# -------------------------------------------------------------------- months
def _shift(today: date, months: int) -> str:
    index = today.year * 12 + today.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def resolve_month(month: int, today: date, hint: str | None = None, future_months: int = 2) -> str:
    """``"YYYY-MM"`` for a month named without a year (see the module docstring for the rule).

    ``hint``: ``"next"`` ("mars prochain"), ``"last"`` ("mars dernier"), ``"from"``
    ("d'ici mars"), ``"since"`` ("depuis mars") or ``None``.
    """
    ahead = (month - today.month) % 12  # 0 = this month, 1 = next month...
    if hint == "next":
        return _shift(today, ahead or 12)
    if hint == "last":
        return _shift(today, -((12 - ahead) % 12 or 12))
    if hint == "from" or (hint is None and ahead <= future_months):
        return _shift(today, ahead)
    return _shift(today, -((12 - ahead) % 12))


@lru_cache(maxsize=256)
def _months_away(phrase: str, today: date) -> str | None:
    parsed = dateparser.parse(
        phrase,
        languages=["fr"],
        settings={"RELATIVE_BASE": datetime(today.year, today.month, today.day), "PREFER_DAY_OF_MONTH": "first"},
    )
    return None if parsed is None else f"{parsed.year:04d}-{parsed.month:02d}"


def _month_names(folded: str, today: date, future_months: int) -> Iterator[tuple[str, int, int]]:
    for m in _MONTH_NAME.finditer(folded):
        name, year, after = m.group("name"), m.group("year"), m.group("after")
        if name == "sept" and not (m.group("dot") or year):
            continue  # "sept" alone is the number seven
        before = folded[max(0, m.start() - 40) : m.start()]
        if _BIRTH_HINT.search(before):
            continue
        month = _MONTH_NUMBER[name]
        abbreviated = m.group("dot") and name not in _WIDE
        end = m.end("year") if year else m.end("dot") if abbreviated else m.end("name")
        if year:
            if abs(int(year) - today.year) <= 5:
                yield f"{year}-{month:02d}", m.start(), end
            continue
        hint = None
        if after:
            hint = "last" if re.search(r"dernier|passe", after) else "next"
            end = m.end("after")
        elif _FUTURE_HINT.search(before):
            hint = "from"
        elif _PAST_HINT.search(before):
            hint = "since"
        yield resolve_month(month, today, hint, future_months), m.start(), end
    for m in _NUMERIC_MONTH.finditer(folded):
        if abs(int(m.group("year")) - today.year) <= 5:
            yield f"{m.group('year')}-{int(m.group('month')):02d}", m.start(), m.end()


def _relative_months(folded: str, today: date) -> Iterator[tuple[str, int, int]]:
    for pattern, shift in ((_THIS_MONTH, 0), (_NEXT_MONTH, 1), (_LAST_MONTH, -1)):
        for m in pattern.finditer(folded):
            yield _shift(today, shift), m.start(), m.end()
    for m in _MONTHS_AWAY.finditer(folded):
        direction = "dans" if m.group("direction") == "dans" else "il y a"
        value = _months_away(f"{direction} {m.group('count')} mois", today)
        if value is not None:
            yield value, m.start(), m.end()


def extract_months(text: str, today: date | None = None, future_months: int = 2) -> list[dict[str, Any]]:
    """The months named in ``text``, as Rasa entities (without the extractor name)."""
    today = today or clock.today()
    folded = fold(text[:MAX_CHARS])
    found = list(_month_names(folded, today, future_months))
    if "mois" in folded:
        found += _relative_months(folded, today)
    entities: list[dict[str, Any]] = []
    last_end = -1
    for value, start, end in sorted(found, key=lambda f: (f[1], -f[2])):
        if start >= last_end:  # overlapping phrases: the first, longest one wins
            entities.append(_entity(MONTH, value, start, end, text))
            last_end = end
    return entities


def _entity(name: str, value: str, start: int, end: int, text: str) -> dict[str, Any]:
    # Trailing spaces can only come from the folded separators: trim them from the span.
    while end > start and text[end - 1].isspace():
        end -= 1
    return {"entity": name, "value": value, "start": start, "end": end, "confidence": 1.0}


def extract_entities(text: str, today: date | None = None, future_months: int = 2) -> list[dict[str, Any]]:
    """Amounts and months of ``text`` in the order they are written."""
    entities = extract_amounts(text) + extract_months(text, today, future_months)
    return sorted(entities, key=lambda e: e["start"])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class FrenchEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Rule-based ``amount`` and ``month`` entities, offsets in the original text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # How many months after the current one a month name without a year may mean.
        return {"future_months": 2}

    def __init__(self, config: dict[str, Any]) -> None:
        self._future_months = int(config["future_months"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FrenchEntityExtractor:
        # dateparser loads its French data on first use (~100 ms): pay it now, not
        # on the first person's message.
        _months_away("dans 2 mois", clock.today())
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: list[Message]) -> list[Message]:
        today = clock.today()
        for message in messages:
            text = message.get(TEXT)
            found = extract_entities(text, today, self._future_months) if isinstance(text, str) and text else []
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages
