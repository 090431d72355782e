"""French formatting of money and dates, shared by every process (backend, actions, console, channels).

Babel names the days and months (``lundi 3 mars 2025``). Amounts and numbers are
written with plain spaces (``1 234,56 €``), so that the same text fits in a GSM-7 SMS,
a WhatsApp message and a web page, and by Python's own formatting, not Babel's: French
grouping is only a space every three digits and a decimal comma, and Babel's pattern
engine cost 30 µs an amount, most of the backend's wording of an explanation under load
(``bot/bench/profile.py``; tests/unit/test_formatting.py checks the two agree).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date

# Parsed once: passing the string made Babel build the locale at every call, a tenth of the
# backend's CPU under load (explanations format many amounts and dates; bot/bench/profile.py).
LOCALE = Locale.parse("fr_FR")
CENT = Decimal("0.01")
_PLAIN_DECIMALS = 3  # Babel's French decimal pattern « #,##0.### »: at most three decimals


def to_cents(amount: Decimal) -> Decimal:
    """Round a money amount to the cent, half up, as payment systems do."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _french(grouped: str) -> str:
    """``'-1,234.5'`` (Python's grouping) -> ``'-1 234,5'``; a rounded ``-0`` is just ``0``."""
    text = grouped.replace(",", " ").replace(".", ",")
    return text[1:] if text.startswith("-") and not text.strip("-0,") else text


def format_eur(amount: Decimal) -> str:
    """``Decimal('1234.5')`` -> ``'1 234,50 €'``."""
    return f"{_french(f'{to_cents(amount):,.2f}')} €"


def format_number(value: Decimal | int, decimals: int | None = None) -> str:
    """A plain French number: ``Decimal('0.404')`` -> ``'0,404'``; ``1234`` -> ``'1 234'``.

    Without ``decimals``, at most three, trailing zeros dropped; rounding half to even, like Babel."""
    places = _PLAIN_DECIMALS if decimals is None else decimals
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = f"{rounded:,.{places}f}"
    if decimals is None and places:
        text = text.rstrip("0").rstrip(".")
    return _french(text)


def format_percent(rate: Decimal) -> str:
    """``Decimal('0.404')`` -> ``'40,4 %'``."""
    return f"{format_number((rate * 100).normalize())} %"


@lru_cache(maxsize=4096)
def format_date_fr(day: date) -> str:
    """``date(2025, 3, 3)`` -> ``'lundi 3 mars 2025'``."""
    return format_date(day, "EEEE d MMMM y", locale=LOCALE)


@lru_cache(maxsize=1024)
def format_month_fr(day: date) -> str:
    """``date(2025, 3, 1)`` -> ``'mars 2025'``."""
    return format_date(day, "MMMM y", locale=LOCALE)


def format_of_month_fr(day: date) -> str:
    """``date(2026, 10, 1)`` -> ``"d'octobre 2026"``; November -> ``'de novembre 2026'`` (elision)."""
    name = format_month_fr(day)
    return f"d'{name}" if name[0] in "aeiouy" else f"de {name}"
