"""Months and French public holidays, for every process (actions, hand-over hours, backend API).

A month travels between processes as ``'YYYY-MM'``; these helpers read and move it.
The ARE rules keep their own calendar (``bot.backend.rules.dates``): the pure rules
import nothing of the project, so this module is for the others.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays

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
