"""The France Travail identifier and a birth date, found in what a person writes or says.

People answer the identification questions the way they talk, not the way a form
wants: « 4567890D né le 18 juin 85 », « 3456789c 27011990 », « 04041993 »,
« je suis ne le 3 septembre 95 », « le 1 2 3 4 5 6 7 A », « trente mars quatre
vingt douze ». Both values may come in one message, with words around them, and
the identifier's digits are never read as a date.

Pure functions over text (text2num turns French number words into digits); used
by the identification form's validation (``actions/identification.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from text_to_num import alpha2digit

from bot.common.calendar import MONTH_NUMBERS as MONTHS
from bot.common.folding import fold

_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))

# A run of digit groups (« 1234567 », « 1 2 3 4 5 6 7 », « 6 7 8 9 01 2 ») then one letter alone.
_IDENTIFIER = re.compile(r"(?<![\w/.\-])((?:\d[ \-.]?){6}\d)[ \-.]?([a-z])(?![a-z])")
_SPOKEN_DIGITS = re.compile(r"(?<![\d/.])\d+(?: \d+)+(?= ?[a-z](?![a-z]))")
_NUMERIC_DATE = re.compile(r"(?<!\d)(?<!\d[/.\-])(\d{1,2}) ?[/.\-] ?(\d{1,2}) ?[/.\-] ?(\d{4}|\d{2})(?!\d)(?![/.\-]\d)")
_SPACED_DATE = re.compile(r"(?<!\d)(?<!\d[/.\-])(\d{1,2}) (\d{1,2}) (\d{4}|\d{2})(?!\d)(?![/.\-]\d)")
_WORD_DATE = re.compile(rf"(?<!\d)(\d{{1,2}}) ?(?:er )?(?:de )?({_MONTH_WORDS})\.?,? ?(\d{{4}}|\d{{2}})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_GLUED_DATE = re.compile(r"(?<!\d)(?<!\d[/.\-])(\d{8}|\d{6})(?!\d)(?![/.\-]\d)")
_FIRST = re.compile(r"\b(?:premier|1er)\b")

OLDEST = 100  # years: a birth date further back is a typo
YOUNGEST = 14  # years: nobody younger has a France Travail file


@dataclass(frozen=True)
class IdentityAnswer:
    """What a message gives for the identification, with the identifier's place removed from the rest."""

    identifier: str | None
    birth_date: date | None


def spoken(text: str) -> str:
    """Folded text with French number words as digits (« vingt sept » → « 27 », « premier » → « 1 »)."""
    folded = fold(text or "")[:400]
    folded = re.sub(r"[’'`]", " ", folded)
    folded = _FIRST.sub("1", folded)
    folded = re.sub(r"\bzero\b", "0", folded)  # text2num leaves a lone « zéro » as a word
    try:
        converted = alpha2digit(folded, "fr", threshold=0)
    except Exception:  # text2num raises on some odd inputs; the words then stay words
        converted = folded
    converted = fold(converted)
    return re.sub(r"\s+", " ", converted).strip()


def find_identifier(text: str) -> str | None:
    """The identifier (7 digits and a letter) in a free or spoken message, as ``1234567A``."""
    identifier, _ = _identifier_in(spoken(text))
    return identifier


def _identifier_in(text: str) -> tuple[str | None, str]:
    """The identifier in spoken text, and the text without it (so that its digits are not a date)."""

    # « 6 7 8 9 01 2 F » (digits said one by one) is glued first, when its digits are exactly seven.
    def glue(match: re.Match[str]) -> str:
        digits = match.group(0).replace(" ", "")
        return digits if len(digits) == 7 else match.group(0)

    glued = _SPOKEN_DIGITS.sub(glue, text)
    match = _IDENTIFIER.search(glued)
    if match is None:
        return None, glued
    digits = re.sub(r"\D", "", match.group(1))
    rest = glued[: match.start()] + " " + glued[match.end() :]
    return digits + match.group(2).upper(), rest


def _year(value: str, today: date) -> int:
    year = int(value)
    if len(value) == 2:
        year += 2000 if 2000 + year <= today.year - YOUNGEST else 1900
    return year


def _plausible(day: int, month: int, year: int, today: date) -> date | None:
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    if born.year > today.year - YOUNGEST or born.year < today.year - OLDEST:
        return None
    return born


def _date_in(text: str, today: date) -> date | None:
    for pattern in (_NUMERIC_DATE, _WORD_DATE, _SPACED_DATE):
        for match in pattern.finditer(text):
            day, month, year = match.groups()
            month_number = MONTHS[month] if month in MONTHS else int(month)
            born = _plausible(int(day), month_number, _year(year, today), today)
            if born:
                return born
    for match in _ISO_DATE.finditer(text):
        born = _plausible(int(match.group(3)), int(match.group(2)), int(match.group(1)), today)
        if born:
            return born
    for match in _GLUED_DATE.finditer(text):
        digits = match.group(1)
        candidates = [(digits[:2], digits[2:4], digits[4:])]
        if len(digits) == 8:
            candidates.append((digits[6:], digits[4:6], digits[:4]))  # 19880412
        for day, month, year in candidates:
            born = _plausible(int(day), int(month), _year(year, today), today)
            if born:
                return born
    return None


def find_birth_date(text: str, today: date) -> date | None:
    """A birth date written or said in any usual French way; None if there is none or it is implausible."""
    _, rest = _identifier_in(spoken(text))
    return _date_in(rest, today)


def read_identity(text: str, today: date) -> IdentityAnswer:
    """The identifier and the birth date a message gives, either or both (None when absent)."""
    identifier, rest = _identifier_in(spoken(text))
    return IdentityAnswer(identifier, _date_in(rest, today))


_FORGETTING = re.compile(
    r"\b(?:(?:je )?(?:ne )?(?:sais|sai|se|c) ?(?:pas|plus|p(?:a|u)s?)|j ?(?:ai|e) (?:oublie|perdu|pas|plus)|"
    r"(?:ne )?(?:me )?(?:souviens|rappelle|trouve|retrouve|connais|connait) (?:pas|plus)|"
    r"aucune idee|oublie|perdu|trouve pas|retrouve pas|sais plus|sais pas|pas sous la main|"
    r"l ?ai pas|ai plus|n ?ai pas|ou (?:est ce que )?(?:je )?(?:le |la )?trouve)",
)
_LEAVING = re.compile(
    r"\b(?:laisse[rz]? tomber|laisse[rz]? (?:ca|cela)|tant pis|on arrete|arrete[rz]?|stop|annule[rz]?|"
    r"abandonne|pas maintenant|plus tard|une autre fois|je (?:reviendrai|repasserai|rappellerai)|"
    r"oubliez|bonne (?:journee|soiree|fin de journee)|au revoir|a plus|bye|salut)\b"
)


def says_forgotten(text: str) -> bool:
    """Whether the person says they do not know, forgot or cannot find what was asked."""
    return _FORGETTING.search(fold(text or "").replace("'", " ").replace("’", " ")) is not None


def says_leaving(text: str) -> bool:
    """Whether the person lets the identification go (« laissez tomber », « merci bonne journée »)."""
    return _LEAVING.search(fold(text or "").replace("'", " ")) is not None
