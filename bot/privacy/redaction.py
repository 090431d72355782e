"""Redaction of personal identifiers in French free text.

Stored conversations, ticket transcripts, console displays and logs must not hold
identifiers in clear (GDPR minimisation). ``redact`` replaces them by a label that
still tells a counsellor what the person gave ("[NIR]", "[IBAN]", "[TÉLÉPHONE]",
"[EMAIL]", "[DATE]", "[IDENTIFIANT]", "[CARTE]", "[PASSEPORT]") while amounts ("1 234,56 €", "800 euros") and
month names alone ("en mars") are kept: a transcript without its figures would be
useless to the counsellor.

Detectors run from the most specific to the most general, each on the output of the
previous one (labels hold no digits, so a later detector never re-reads them):
email (also written « jean.dupont (at) example.fr », « arobase », « point »), IBAN,
NIR, payment card numbers (13 to 19 digits that pass the Luhn check, python-stdnum),
passport numbers (French: 2 digits, 2 letters, 5 digits; any other after the word
« passeport »), dates, phone numbers, France Travail identifiers. A number that
has the shape of an identifier but a wrong check key is still redacted: a mistyped
social security number identifies its owner as well as a correct one.

The function is pure and linear in the length of the text; it never raises on any
``str`` (property-tested in tests/privacy/test_redaction.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir

from bot.common.calendar import MONTH_NUMBERS

NIR = "[NIR]"
IBAN = "[IBAN]"
PHONE = "[TÉLÉPHONE]"
EMAIL = "[EMAIL]"
DATE = "[DATE]"
IDENTIFIER = "[IDENTIFIANT]"
SECRET = "[MASQUÉ]"
CARD = "[CARTE]"
PASSPORT = "[PASSEPORT]"
LABELS = (NIR, IBAN, PHONE, EMAIL, DATE, IDENTIFIER, SECRET, CARD, PASSPORT)

# Slots whose whole value is secret whatever it looks like (a bearer token has no
# recognisable shape); redact_event masks them entirely.
SECRET_SLOTS = frozenset({"access_token"})

_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")

# The same, written to escape robots: « jean.dupont (at) example.fr », « jean point dupont arobase
# example point fr », « jean.dupont [at] example [dot] fr ». Separators need spaces or brackets,
# so that no word is read two ways (the pattern stays linear).
_WORD = r"[A-Za-z0-9_%+-]+"
_DOT = r"(?:\.|\s+(?:point|dot)\s+|\s*[(\[{]\s*(?:point|dot)\s*[)\]}]\s*)"
_AT = r"(?:\s*[(\[{<]\s*(?:at|arobase|@)\s*[)\]}>]\s*|\s+(?:at|arobase|@)\s+)"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.]){_WORD}(?:{_DOT}{_WORD})*{_AT}{_WORD}(?:{_DOT}{_WORD})*{_DOT}[A-Za-z]{{2,6}}(?![\w])", re.IGNORECASE
)
_OBFUSCATION_HINT = re.compile(r"arobase|[(\[{<]\s*at\s*[)\]}>]|\sat\s|\s@\s", re.IGNORECASE)

# Payment cards: 13 to 19 digits, in groups separated by single spaces or dashes, Luhn-valid. A card
# number never starts with 0 nor after a +: "0033…" and "+33…" are phone numbers, left to their step.
_CARD = re.compile(r"(?<![\d\w+])[1-9](?:[ -]?\d){12,18}(?![\d\w])")

# French passport (2 digits, 2 letters, 5 digits), or any number given after the word « passeport ».
_PASSPORT_FR = re.compile(r"(?<![\w])\d{2}[A-Za-z]{2}\d{5}(?![\w])")
_PASSPORT_NAMED = re.compile(
    r"(passeport\s*(?:n°|no|num[ée]ro|number)?\s*:?\s*)([A-Za-z0-9]{6,9})(?![\w])", re.IGNORECASE
)

# Country code, check digits, then groups of four (spaced or not), an optional short last group.
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}(?:[ -]?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])"
)

# Sex, year, month, department (2A/2B for Corsica), commune, order, optional key.
_SEP = r"[ .-]?"
_NIR = re.compile(
    rf"(?<![\dA-Za-z+])([1-478]){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{2}}|2[ABab]){_SEP}(\d{{3}}){_SEP}(\d{{3}})"
    rf"(?:{_SEP}(\d{{2}}))?(?![\dA-Za-z])"
)

# The spellings of bot.common.calendar, and with the accents a person types.
_MONTHS = [*MONTH_NUMBERS, "février", "févr", "fév", "août", "décembre", "déc"]
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
# Not inside a longer run of separated numbers (06.12.34.56.78 is a phone number).
_ALONE_BEFORE = r"(?<!\d)(?<!\d[/.,-])"
_ALONE_AFTER = r"(?!\d|[/.,-]\d)"
_DATE_NUMERIC = re.compile(_ALONE_BEFORE + r"(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})" + _ALONE_AFTER)
_DATE_ISO = re.compile(_ALONE_BEFORE + r"(\d{4})([/.-])(\d{1,2})\2(\d{1,2})" + _ALONE_AFTER)
_DATE_SPACED = re.compile(_ALONE_BEFORE + r"(\d{1,2}) (\d{1,2}) ((?:19|20)\d{2})" + _ALONE_AFTER)
_DATE_COMPACT = re.compile(_ALONE_BEFORE + r"(\d{2})(\d{2})((?:19|20)\d{2})" + _ALONE_AFTER)
_DATE_WORDS = re.compile(
    rf"(?<!\w)(\d{{1,2}}|1er|premier)\s*(?:{_MONTH_NAMES})\.?\s+(?:(\d{{4}})|(\d{{2}})){_ALONE_AFTER}",
    re.IGNORECASE,
)

# French-shaped numbers that phonenumbers rejects as invalid, and any E.164-looking number.
_PHONE_FR = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|00)\d(?:[\s.-]?\d){7,14}(?!\d)")

# France Travail identifier: 7 digits and a letter (sometimes typed with a space), or 8 digits.
_IDENTIFIER = re.compile(r"(?<![\w])\d{7} ?[A-Za-z](?![\w])|(?<![\w,.])\d{8}(?!\w|[,.]\d)")


def _plausible_date(day: int, month: int, year: int | None = None) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    if year is None:
        return True
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _year(text: str) -> int:
    value = int(text)
    return value if len(text) == 4 else 1900 + value if value > 30 else 2000 + value


def _sub(
    pattern: re.Pattern[str], label: str, keep: Callable[[re.Match[str]], bool] | None = None
) -> Callable[[str], str]:
    def replace(match: re.Match[str]) -> str:
        return match.group(0) if keep is not None and keep(match) else label

    return lambda text: pattern.sub(replace, text)


def _not_iban(match: re.Match[str]) -> bool:
    compact = re.sub(r"[ -]", "", match.group(0)).upper()
    if stdnum_iban.is_valid(compact):
        return False
    # A French IBAN with a typo still identifies an account.
    return not (compact.startswith("FR") and len(compact) == 27)


def _not_card(match: re.Match[str]) -> bool:
    return not luhn.is_valid(re.sub(r"[ -]", "", match.group(0)))


def _named_passport(match: re.Match[str]) -> str:
    number = match.group(2)
    return match.group(1) + PASSPORT if any(char.isdigit() for char in number) else match.group(0)


def _not_nir(match: re.Match[str]) -> bool:
    sex, year, month, department, commune, order, key = match.groups()
    month_number = int(month)
    if key is not None and stdnum_nir.is_valid("".join(match.groups())):
        return False
    # Without a key, or with a wrong one: months 01-12, 20-42 and 50-99 exist (INSEE rules).
    return not (1 <= month_number <= 12 or 20 <= month_number <= 42 or 50 <= month_number <= 99)


def _not_numeric_date(match: re.Match[str]) -> bool:
    day, _, month, year = match.groups()
    return not _plausible_date(int(day), int(month), _year(year))


def _not_iso_date(match: re.Match[str]) -> bool:
    year, _, month, day = match.groups()
    return not _plausible_date(int(day), int(month), int(year))


def _not_spaced_date(match: re.Match[str]) -> bool:
    day, month, year = match.groups()
    return not _plausible_date(int(day), int(month), int(year))


# Stretches that could hold a phone number: phonenumbers' matcher is slow on long texts full of
# figures (a bot answer with amounts), so it only reads these.
_PHONE_CANDIDATE = re.compile(r"[+(]?\d[\d \t.\-()/]{5,24}\d")


def _matched_phones(candidate: re.Match[str]) -> str:
    text, pieces, last = candidate.group(0), [], 0
    for match in phonenumbers.PhoneNumberMatcher(text, "FR"):
        pieces += [text[last : match.start], PHONE]
        last = match.end
    return "".join(pieces) + text[last:]


def _redact_phones(text: str) -> str:
    if not any(char.isdigit() for char in text):
        return text
    text = _PHONE_CANDIDATE.sub(_matched_phones, text)
    text = _PHONE_FR.sub(PHONE, text)
    return _PHONE_INTL.sub(PHONE, text)


_redact_obfuscated_emails = _sub(_OBFUSCATED_EMAIL, EMAIL)

_STEPS: tuple[Callable[[str], str], ...] = (
    _sub(_EMAIL, EMAIL),
    _redact_obfuscated_emails,
    _sub(_IBAN, IBAN, _not_iban),
    _sub(_NIR, NIR, _not_nir),
    _sub(_CARD, CARD, _not_card),
    _sub(_PASSPORT_FR, PASSPORT),
    lambda text: _PASSPORT_NAMED.sub(_named_passport, text),
    _sub(_DATE_ISO, DATE, _not_iso_date),
    _sub(_DATE_NUMERIC, DATE, _not_numeric_date),
    _sub(_DATE_WORDS, DATE, lambda m: not 1 <= int(re.sub(r"\D", "", m.group(1)) or 1) <= 31),
    _sub(_DATE_SPACED, DATE, _not_spaced_date),
    _sub(_DATE_COMPACT, DATE, _not_spaced_date),
    _redact_phones,
    _sub(_IDENTIFIER, IDENTIFIER),
)


def redact(text: str) -> str:
    """``text`` with every identifier replaced by its label; other words untouched."""
    if not text or not isinstance(text, str):
        return text
    if not any(char.isdigit() or char == "@" for char in text):
        # Nothing to redact without a digit or an at sign, but an email spelled out: the common case, fast.
        return _redact_obfuscated_emails(text) if _OBFUSCATION_HINT.search(text) else text
    for step in _STEPS:
        text = step(text)
    return text


def redact_value(value: Any) -> Any:
    """``redact`` applied to every string inside a JSON-like value (dicts, lists)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    return value


def redact_event(event: dict[str, Any], secret_slots: Iterable[str] = SECRET_SLOTS) -> dict[str, Any]:
    """A copy of a Rasa event dict (``Event.as_dict()``) fit for storage or display.

    User and bot texts, parse data (text, entities) and bot data (buttons) are
    redacted; slot values are redacted, and the value of a secret slot
    (``access_token``) is masked entirely. Intents, action names, timestamps and
    confidences are kept: they are what the dialogue needs and say nothing personal.
    """
    redacted = dict(event)
    kind = event.get("event")
    if kind == "user":
        redacted["text"] = redact(event.get("text"))
        parse_data = event.get("parse_data")
        if isinstance(parse_data, dict):
            parse_data = dict(parse_data)
            parse_data["text"] = redact(parse_data.get("text"))
            if "entities" in parse_data:
                parse_data["entities"] = redact_value(parse_data["entities"])
            redacted["parse_data"] = parse_data
    elif kind == "bot":
        redacted["text"] = redact(event.get("text"))
        if event.get("data"):
            redacted["data"] = redact_value(event["data"])
    elif kind == "slot":
        value = event.get("value")
        if event.get("name") in set(secret_slots) and value is not None:
            redacted["value"] = SECRET
        else:
            redacted["value"] = redact_value(value)
    elif kind == "entities":
        redacted["entities"] = redact_value(event.get("entities"))
    return redacted
