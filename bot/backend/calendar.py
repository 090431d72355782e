"""Calendar facts of the monthly cycle: declaration windows and working days.

Declaration (actualisation) for month M: from the 28th of M (26th in February)
to the 15th of M+1 at midnight (are-rules.md §6). Payments are issued about 3
working days after the declaration; French public holidays come from ``holidays``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_of(text: str) -> date:
    """``'2026-11'`` -> ``date(2026, 11, 1)``; raises ValueError on anything else."""
    year, month = text.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


@dataclass(frozen=True)
class DeclarationWindow:
    month: date  # the month being declared
    opens_on: date
    closes_on: date  # last day, until midnight

    def is_open(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on


def declaration_window(month: date) -> DeclarationWindow:
    month = first_of_month(month)
    opens_day = 26 if month.month == 2 else 28
    return DeclarationWindow(month, month.replace(day=opens_day), add_months(month, 1).replace(day=15))


def current_declaration_window(today: date) -> tuple[DeclarationWindow | None, DeclarationWindow]:
    """(the window open today if any, the next window to open or the open one)."""
    this_month = declaration_window(today)
    previous = declaration_window(add_months(first_of_month(today), -1))
    if this_month.is_open(today):
        return this_month, this_month
    if previous.is_open(today):
        return previous, previous
    return None, this_month


@lru_cache(maxsize=16)
def _french_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("FR", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    current = day
    while count > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current
