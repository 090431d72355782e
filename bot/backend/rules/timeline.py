"""The month-by-month life of a claim: the one computation every date and count is read from.

From the rights and what the file says happened (declarations, work declared, a
sanction, a payment held), ``claim_timeline`` walks the months from the first paid
day until the rights run out: what each month pays (full-rate and reduced days,
gross, deductions, net), the days it takes from the rights, the days it does not pay
and pushes back (work, sanction, no declaration), and when its payment leaves. The
rights view (end date, days left, dégressivité date), the next payment, the estimate
of a month and the seed's payments are all read from it; nothing else recomputes them.

Interpretation choices (docs/are-rules.md §3, §4, §6, §10):

- Months still to come are projected as declared without work on the day their
  window opens (or today, if it is already open), so that every future date and
  amount is that of a person who keeps declaring.
- A month whose declaration window closed without a declaration pays nothing and
  takes nothing from the rights; the amount it would have paid is kept to be shown
  as blocked. A sanction is a suspension of the whole allowance for its days: they
  are not paid and stay on the rights (décret 2025-478 allows 30 % to 100 %; the
  file records no rate, so the backend says 100 % and never estimates a sanctioned
  month). A payment held (document awaited, bank transfer rejected) is due: its days
  are taken from the rights.
- "Days left" on a day are the paid days of the rights dated that day or later, each
  paid day having its calendar day (``monthly.paid_day_date``): the 31st of a month
  paid 30 days is not a day of rights, the 29th and 30th paid days of February fall
  on its last day. Counting calendar days to the end date instead would say more
  days than the right holds.
- The dégressivité date is the first day paid at the reduced rate in this timeline;
  the threshold and reduced rate said are those in force that day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from .dates import month_start, next_month
from .engine import MonthlyAllowance, Rights, monthly_allowance
from .explanation import Explanation, Step, step
from .facts import ClaimFacts
from .monthly import PaymentDates, Period, declaration_window, payment_dates
from .parameters import decimal_on, int_on

ZERO = Decimal(0)
MAX_MONTHS = 240


class MonthStatus(str, Enum):
    """Where the allowance of a month stands."""

    PAID = "paid"  # declared, payment date passed
    SCHEDULED = "scheduled"  # declared, payment on its expected date
    HELD = "held"  # due, but the payment is held (document awaited, transfer rejected)
    ESTIMATED = "estimated"  # not declared yet: what it pays if declared without work
    SUSPENDED = "suspended"  # every payable day under a sanction: nothing is paid
    NOT_DECLARED = "not_declared"  # window closed without declaration: nothing is paid

    @property
    def pays(self) -> bool:
        """Whether the month pays its allowance (and takes its days from the rights)."""
        return self in (MonthStatus.PAID, MonthStatus.SCHEDULED, MonthStatus.HELD, MonthStatus.ESTIMATED)


@dataclass(frozen=True)
class DeclaredMonth:
    """A declaration made: when, and the gross earnings declared for the month."""

    declared_on: date
    earnings: Decimal = ZERO


@dataclass(frozen=True)
class Sanction:
    """A suspension of the allowance from ``start`` to ``end`` (both included)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("Sanction.end is before Sanction.start")


@dataclass(frozen=True)
class ClaimEvents:
    """What the file says happened, by month (first day of the month as key)."""

    declarations: Mapping[date, DeclaredMonth] = field(default_factory=dict)
    sanctions: tuple[Sanction, ...] = ()
    held: Mapping[date, tuple[str, ...]] = field(default_factory=dict)  # reason codes


@dataclass(frozen=True)
class TimelineMonth:
    """One month of the claim."""

    month: date
    status: MonthStatus
    allowance: MonthlyAllowance  # what the month pays (for NOT_DECLARED: what it would pay)
    days_before: int  # days of the rights used before this month
    declared_on: date | None  # the declaration, or the day it is assumed to be made
    payment: PaymentDates | None  # None when nothing leaves (suspended, held, not declared)
    held_for: tuple[str, ...] = ()
    sanction_until: date | None = None  # last day of a sanction that touches the month

    @property
    def used_days(self) -> int:
        """Days this month takes from the rights."""
        return self.allowance.days_paid if self.status.pays else 0

    @property
    def estimated(self) -> bool:
        return self.status is MonthStatus.ESTIMATED


@dataclass(frozen=True)
class DegressivityStart:
    """The first day paid at the reduced rate, and what applies that day."""

    on: date
    threshold: Decimal  # in force that day
    full_rate: Decimal  # the AJ that day
    reduced: Decimal  # the reduced AJ that day


@dataclass(frozen=True)
class Timeline:
    """The months of a claim from its first paid day until its rights run out."""

    rights: Rights
    months: tuple[TimelineMonth, ...]
    end_date: date  # last day of rights, pushed back by the days not paid
    degressivity: DegressivityStart | None
    explanation: Explanation
    exhausted: bool = True  # False when the projection stopped before the end (never in practice)

    def month(self, month: date) -> TimelineMonth | None:
        first = month_start(month)
        return next((m for m in self.months if m.month == first), None)

    def paid_dates(self) -> tuple[date, ...]:
        """The calendar day of every paid day of the rights, in order (a day can carry two:
        the 29th and 30th paid days of February fall on its last day)."""
        return tuple(d for m in self.months if m.status.pays for d in m.allowance.paid_dates)

    def days_used_before(self, on: date) -> int:
        """Paid days of the rights dated before ``on``."""
        return sum(1 for m in self.months if m.status.pays for d in m.allowance.paid_dates if d < on)

    def days_left(self, on: date) -> int:
        """Paid days of the rights dated ``on`` or later: what is still to be indemnified."""
        return sum(1 for m in self.months if m.status.pays for d in m.allowance.paid_dates if d >= on)

    def unpaid_days(self, before: date | None = None) -> tuple[int, int, int]:
        """Days pushed back by work, by a sanction and by a missing declaration (before a month)."""
        months = [m for m in self.months if before is None or m.month < month_start(before)]
        work = sum(m.allowance.unpaid_days for m in months if m.status.pays)
        sanction = sum(m.allowance.suspended_days for m in months)
        undeclared = sum(m.allowance.days_paid for m in months if m.status is MonthStatus.NOT_DECLARED)
        return work, sanction, undeclared


def _sanction_until(month: date, sanctions: tuple[Sanction, ...]) -> date | None:
    last = next_month(month)
    touching = [s.end for s in sanctions if s.start < last and s.end >= month]
    return max(touching) if touching else None


def claim_timeline(facts: ClaimFacts, rights: Rights, events: ClaimEvents, today: date) -> Timeline:
    """Every month of the claim as the file says it went and as it will go on.

    Months whose declaration window has closed use the file's events; the others are
    projected as declared without work when their window opens (or ``today``).
    """
    if not rights.eligible:
        return Timeline(rights, (), rights.end_date, None, ())
    suspended: tuple[Period, ...] = tuple((s.start, s.end) for s in events.sanctions)
    months: list[TimelineMonth] = []
    used = 0
    month = month_start(rights.first_paid_day)
    end_date: date | None = None
    for _ in range(MAX_MONTHS):
        window = declaration_window(month)
        declared = events.declarations.get(month)
        missing = declared is None and window.closes < today
        declared_on = declared.declared_on if declared else (None if missing else max(window.opens, today))
        earnings = declared.earnings if declared else ZERO
        allowance = monthly_allowance(facts, rights, month, earnings, used, suspended=suspended)
        if allowance.days_payable == 0 and allowance.suspended_days:
            status = MonthStatus.SUSPENDED
        elif missing:
            status = MonthStatus.NOT_DECLARED
        elif month in events.held:
            status = MonthStatus.HELD
        elif declared is None:
            status = MonthStatus.ESTIMATED
        else:
            status = MonthStatus.SCHEDULED
        payment = None
        if declared_on is not None and status in (MonthStatus.SCHEDULED, MonthStatus.ESTIMATED):
            payment = payment_dates(month, declared_on)
            if status is MonthStatus.SCHEDULED and payment.expected <= today:
                status = MonthStatus.PAID
        entry = TimelineMonth(
            month,
            status,
            allowance,
            used,
            declared_on,
            payment,
            tuple(events.held.get(month, ())) if status is MonthStatus.HELD else (),
            _sanction_until(month, events.sanctions),
        )
        months.append(entry)
        used += entry.used_days
        if status.pays and allowance.rights_exhausted_on is not None:
            end_date = allowance.rights_exhausted_on
            break
        month = next_month(month)
    draft = Timeline(rights, tuple(months), end_date or months[-1].month, _degressivity_start(months), ())
    steps = (_end_of_rights_step(draft), _degressivity_step(facts, draft))
    return Timeline(rights, draft.months, draft.end_date, draft.degressivity, steps, end_date is not None)


def _degressivity_start(months: list[TimelineMonth]) -> DegressivityStart | None:
    for entry in months:
        allowance = entry.allowance
        if entry.status.pays and allowance.reduced_from is not None and allowance.reduced_daily_allowance:
            day = allowance.reduced_from
            return DegressivityStart(
                day,
                decimal_on("degressivity_threshold", day),
                allowance.full_rate_daily_allowance,
                allowance.reduced_daily_allowance,
            )
    return None


def _end_of_rights_step(timeline: Timeline) -> Step:
    work, sanction, undeclared = timeline.unpaid_days()
    return step(
        "end_of_rights",
        end_date=timeline.end_date,
        theoretical_end_date=timeline.rights.end_date,
        unpaid_for_work=work,
        suspended=sanction,
        not_declared=undeclared,
    )


def _degressivity_step(facts: ClaimFacts, timeline: Timeline) -> Step:
    rights = timeline.rights
    start_day = int_on("degressivity_start_day", rights.first_paid_day)
    limit = int_on("degressivity_age_limit", rights.contract_end)
    if not rights.degressivity_age_condition:
        return step("degressivity", outcome="too_old", age=rights.age_at_contract_end, limit=limit)
    if facts.in_training:
        return step("degressivity", outcome="training")
    start = timeline.degressivity
    if start is not None:
        return step(
            "degressivity",
            outcome="reduced",
            start_day=start_day,
            on=start.on,
            daily_allowance=start.full_rate,
            coefficient=decimal_on("degressivity_coefficient", start.on),
            reduced=start.reduced,
            threshold=start.threshold,
        )
    reached = next((m for m in timeline.months if m.status.pays and m.allowance.degressivity_day_on is not None), None)
    if reached is None:
        return step("degressivity", outcome="too_short", duration=rights.duration_days, start_day=start_day)
    day = reached.allowance.degressivity_day_on
    assert day is not None
    return step(
        "degressivity",
        outcome="below_threshold",
        on=day,
        daily_allowance=reached.allowance.full_rate_daily_allowance,
        threshold=decimal_on("degressivity_threshold", day),
    )
