"""French formatting of money and dates, shared by every process (backend, actions, console, channels).

Babel does the locale work; we only normalise its narrow and non-breaking spaces
to plain spaces so that the same text fits in a GSM-7 SMS, a WhatsApp message and
a web page (``1 234,56 €``, ``lundi 3 mars 2025``).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

# Parsed once: passing the string made Babel build the locale at every call, a tenth of the
# backend's CPU under load (explanations format many amounts and dates; bot/bench/profile.py).
LOCALE = Locale.parse("fr_FR")
CENT = Decimal("0.01")
_SPACES = str.maketrans({"\u202f": " ", "\xa0": " "})


def to_cents(amount: Decimal) -> Decimal:
    """Round a money amount to the cent, half up, as payment systems do."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(amount: Decimal) -> str:
    """``Decimal('1234.5')`` -> ``'1 234,50 €'``."""
    return format_currency(to_cents(amount), "EUR", locale=LOCALE).translate(_SPACES)


def format_number(value: Decimal | int, decimals: int | None = None) -> str:
    """A plain French number: ``Decimal('0.404')`` -> ``'0,404'``; ``1234`` -> ``'1 234'``."""
    pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE).translate(_SPACES)


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
