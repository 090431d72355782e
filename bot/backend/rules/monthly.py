"""§6 — Monthly payment: days payable in a month, end of rights, declaration, payment date.

Interpretation choices (docs/are-rules.md §6, France Travail "mensualisation" of April 2025):

- From April 2025 a month fully covered by the rights is paid 30 days, whatever its
  length (February too); a partly covered month (first or last month of the rights,
  or a month partly under a sanction) is paid its calendar days covered, at most 30.
  Before April 2025 every month is paid its calendar days covered.
- Rights are a capital of ``duration_days`` paid days: each month consumes the days it
  pays, so with 30-day months the end of rights falls a little later than the first
  paid day + duration in calendar days. ``rights_end_date`` gives that date when every
  payable day is paid; unpaid days (work in the month, a sanction) push it back further.
- The paid days of a month are its first days: the k-th paid day of a whole month on
  the 30-day basis is the k-th of the month (the 29th and 30th paid days of February
  are dated 28 or 29 February), the k-th paid day of a partly covered month is its
  k-th calendar day covered. ``paid_day_date`` says which day that is.
- The declaration (actualisation) for a month opens on the 28th (26th in February)
  and closes on the 15th of the next month at midnight (the 15th is still on time).
- A month's allowance is paid once the month is over: on average 3 working days (at
  most 5) after the declaration, never before the first working day of the next month.
  Working days are Monday to Friday except French public holidays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from .dates import (
    add_working_days,
    days_between,
    is_working_day,
    month_end,
    month_start,
    next_month,
)
from .explanation import Explanation, step
from .parameters import flag_on, int_on

Period = tuple[date, date]  # first and last day, both included


@dataclass(frozen=True)
class PayableDays:
    """The days of a month the rights cover, and how many are payable."""

    days: int
    window_start: date | None  # first day of the month covered by the rights
    window_end: date | None  # last day paid (rights exhausted on it if nothing remains)
    whole_month: bool
    flat_basis: bool  # the 30-day basis of April 2025 applies
    explanation: Explanation
    suspended_days: int = 0  # calendar days of the month under a sanction, at most its basis
    covered: tuple[date, ...] = ()  # the calendar days paid, for a partly covered month

    def paid_dates(self, count: int) -> tuple[date, ...]:
        """The calendar days of the first ``count`` paid days (``paid_day_date`` of 1 to ``count``)."""
        if not 0 <= count <= self.days or (count and self.window_start is None):
            raise ValueError(f"{count} paid days is not within the {self.days} days of this month")
        if self.covered:
            return self.covered[:count]
        if not count:
            return ()
        assert self.window_start is not None
        last = month_end(self.window_start)
        start = self.window_start
        within = min(count, (last - start).days + 1)
        return tuple(start + timedelta(days=i) for i in range(within)) + (last,) * (count - within)

    def paid_day_date(self, number: int) -> date:
        """The calendar day of the ``number``-th paid day of the month (1 is the first)."""
        if not 1 <= number <= self.days or self.window_start is None:
            raise ValueError(f"paid day {number} is not among the {self.days} days of this month")
        if self.covered:
            return self.covered[number - 1]
        return min(self.window_start + timedelta(days=number - 1), month_end(self.window_start))


def _days_in(periods: Iterable[Period], first: date, last: date) -> set[date]:
    days: set[date] = set()
    for start, end in periods:
        low, high = max(start, first), min(end, last)
        days.update(low + timedelta(days=i) for i in range(days_between(low, high)))
    return days


def payable_days(
    month: date, first_paid_day: date, remaining_days: int, suspended: Iterable[Period] = ()
) -> PayableDays:
    """Days payable in ``month`` for rights starting on ``first_paid_day``.

    ``suspended`` are the periods of a sanction: their days are not paid and not taken
    from the rights (they push the end of rights back).
    """
    first, last = month_start(month), month_end(month)
    flat = flag_on("monthly_flat_basis", first)
    basis = int_on("flat_month_days", first) if flat else None
    window_start = max(first, first_paid_day)
    if remaining_days <= 0 or window_start > last:
        reason = "before_start" if remaining_days > 0 else "exhausted"
        fact = step("payable_days", kind=reason, first_paid_day=first_paid_day, month=first)
        return PayableDays(0, None, None, False, flat, (fact,))
    available = days_between(window_start, last)
    off = _days_in(suspended, window_start, last)
    if off:
        return _partly_suspended(first, window_start, last, remaining_days, off, flat, basis)
    whole = window_start == first and remaining_days >= available
    if basis is not None:
        days = min(basis, remaining_days) if whole else min(available, remaining_days, basis)
    else:
        days = min(available, remaining_days)
    window_end = last if whole else window_start + timedelta(days=days - 1)
    if whole:
        kind = "whole_flat" if basis is not None else "whole_calendar"
    else:
        kind = "partial"
    fact = step(
        "payable_days",
        kind=kind,
        month=first,
        days=days,
        basis=basis,
        start=window_start,
        end=window_end,
        last_days=days < available and days == remaining_days,
    )
    return PayableDays(days, window_start, window_end, whole, flat, (fact,))


def _partly_suspended(
    first: date, window_start: date, last: date, remaining: int, off: set[date], flat: bool, basis: int | None
) -> PayableDays:
    """A month with sanction days: paid its calendar days outside the sanction, at most 30."""
    open_days = [window_start + timedelta(days=i) for i in range(days_between(window_start, last))]
    open_days = [day for day in open_days if day not in off]
    cap = basis if basis is not None else len(open_days)
    days = min(len(open_days), remaining, cap)
    if basis is not None and window_start == first and len(off) == days_between(first, last):
        suspended = basis  # a whole month under the sanction: the 30 days it would have paid
    else:
        suspended = min(len(off), basis) if basis is not None else len(off)
    covered = tuple(open_days[:days])
    window_end = covered[-1] if covered else None
    fact = step(
        "payable_days",
        kind="suspended" if not days else "partly_suspended",
        month=first,
        days=days,
        suspended_days=suspended,
        start=covered[0] if covered else None,
        end=window_end,
        suspended_from=min(off),
        suspended_until=max(off),
    )
    return PayableDays(days, window_start, window_end, False, flat, (fact,), suspended, covered)


def rights_end_date(first_paid_day: date, duration_days: int) -> date:
    """Last day of rights when every payable day is paid (no work declared, no sanction)."""
    if duration_days <= 0:
        return first_paid_day - timedelta(days=1)
    remaining = duration_days
    month = month_start(first_paid_day)
    while True:
        payable = payable_days(month, first_paid_day, remaining)
        remaining -= payable.days
        if remaining <= 0 and payable.window_end is not None:
            return payable.window_end
        month = next_month(month)


class DeclarationStatus(str, Enum):
    """Where the monthly declaration of a month stands."""

    NOT_OPEN = "not_open"
    OPEN = "open"  # to do, window open
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"  # window closed, nothing declared


@dataclass(frozen=True)
class DeclarationWindow:
    """When the declaration of a month can be made."""

    month: date
    opens: date
    closes: date  # last day, until midnight
    explanation: Explanation


def declaration_window(month: date) -> DeclarationWindow:
    """From the 28th (26th in February) to the 15th of the next month."""
    first = month_start(month)
    name = "declaration_opens_day_february" if first.month == 2 else "declaration_opens_day"
    opens = first.replace(day=int_on(name, first))
    closes = next_month(first).replace(day=int_on("declaration_closes_day", first))
    return DeclarationWindow(
        first, opens, closes, (step("declaration_window", month=first, opens=opens, closes=closes),)
    )


def declaration_status(month: date, declared_on: date | None, today: date) -> DeclarationStatus:
    """Status of the declaration of ``month`` on ``today``."""
    window = declaration_window(month)
    if declared_on is not None:
        if declared_on < window.opens:
            raise ValueError("a declaration cannot be made before its window opens")
        return DeclarationStatus.ON_TIME if declared_on <= window.closes else DeclarationStatus.LATE
    if today < window.opens:
        return DeclarationStatus.NOT_OPEN
    return DeclarationStatus.OPEN if today <= window.closes else DeclarationStatus.MISSING


@dataclass(frozen=True)
class PaymentDates:
    """When the allowance of a month should reach the bank."""

    expected: date
    latest: date
    explanation: Explanation


def _first_working_day_from(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def payment_dates(month: date, declared_on: date) -> PaymentDates:
    """Expected and latest payment date of ``month``'s allowance declared on ``declared_on``."""
    first = month_start(month)
    not_before = _first_working_day_from(next_month(first))
    average = int_on("payment_delay_working_days", declared_on)
    maximum = int_on("payment_delay_working_days_max", declared_on)
    expected = max(add_working_days(declared_on, average), not_before)
    latest = max(add_working_days(declared_on, maximum), expected)
    until = int_on("payment_first_days_until", declared_on)
    fact = step(
        "payment_date",
        month=first,
        declared_on=declared_on,
        delay=average,
        expected=expected,
        latest=latest,
        first_days_until=until if month_start(expected) == next_month(first) and expected.day <= until else None,
    )
    return PaymentDates(expected, latest, (fact,))
