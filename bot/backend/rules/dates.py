"""Calendar helpers for the ARE rules: months, ages, working days.

Dates are calendar dates in Europe/Paris; nothing here reads the clock.
"""

from __future__ import annotations

import calendar
import threading
from datetime import date, timedelta
from functools import lru_cache

import holidays


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` months, clamped to the end of a shorter month."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """``day`` moved by ``years`` years (29 February becomes 28 February)."""
    return add_months(day, 12 * years)


def month_start(day: date) -> date:
    """First day of the month of ``day``."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """Last day of the month of ``day``."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def days_in_month(day: date) -> int:
    """Number of calendar days of the month of ``day``."""
    return calendar.monthrange(day.year, day.month)[1]


def next_month(day: date) -> date:
    """First day of the month after the month of ``day``."""
    return month_end(day) + timedelta(days=1)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day`` (a birthday counts from the day itself)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def days_between(first: date, last: date) -> int:
    """Calendar days from ``first`` to ``last``, both included (0 if ``last`` is before)."""
    return max(0, (last - first).days + 1)


_HOLIDAYS_LOCK = threading.Lock()


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    # Metropolitan France: the payment calendar of France Travail follows it.
    return frozenset(holidays.country_holidays("FR", years=year))


def _french_holidays(year: int) -> frozenset[date]:
    """The year's public holidays, computed once: building them takes ~0.4 s (gettext lookups),
    and without the lock the first burst of concurrent requests each built them again."""
    with _HOLIDAYS_LOCK:
        return _holidays_of(year)


def is_public_holiday(day: date) -> bool:
    """A French public holiday (metropolitan France)."""
    return day in _french_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a French public holiday (jour ouvré)."""
    return day.weekday() < 5 and not is_public_holiday(day)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day``."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
