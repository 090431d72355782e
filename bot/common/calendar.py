"""Months and French public holidays, for every process (actions, hand-over hours, backend API).

A month travels between processes as ``'YYYY-MM'``; these helpers read and move it.
The ARE rules keep their own calendar (``bot.backend.rules.dates``): the pure rules
import nothing of the project, so this module is for the others.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays

# The month names and their usual abbreviations, without accents (compare them with folded text), to
# read a date a person wrote (« né le 12 avril 88 », « 3 sept. 1995 »).
MONTH_NUMBERS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}

# Metropolitan France. The library fills in a year the first time a day of it is asked.
_FRENCH_HOLIDAYS = holidays.country_holidays("FR")


def month_of(text: str) -> date:
    """``'2026-11'`` -> ``date(2026, 11, 1)``; raises ValueError on anything else."""
    year, month = text.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


def period_of(day: date) -> str:
    """``date(2026, 11, 22)`` -> ``'2026-11'``."""
    return day.strftime("%Y-%m")


def following_month(day: date) -> date:
    """First day of the month after the month of ``day``."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def is_public_holiday(day: date) -> bool:
    """A French public holiday (metropolitan France)."""
    return day in _FRENCH_HOLIDAYS
