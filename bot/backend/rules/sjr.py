"""§1 — Daily reference wage (salaire journalier de référence, SJR).

SJR = wages of the reference period / days from the first day of the first contract
to the last day of the last contract in that period, non-worked days being capped.

Interpretation choices (docs/are-rules.md §1, Unédic fiche 1):

- The reference period is the 24 months (36 from the senior age) that end on the
  last day of the last contract; ages and regimes are keyed on that date.
- "Worked days" in the non-worked-days cap are the calendar days under contract;
  the cap (75 % or 70 % of them) is rounded down to whole days.
- A month's wages count up to 4 PMSS of that month's year; several contracts in the
  same month share one ceiling. When a month straddles the start of the period, its
  (capped) wages count in proportion to its contract days that fall inside.
- The part-time ratio of the period is the average, over the days under contract, of
  the working-time ratios of the contracts running that day (capped at 1, so two
  half-time jobs at once count as full time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from .dates import add_months, days_between, days_in_month, month_end
from .explanation import Explanation, Step, step
from .facts import Contract
from .money import to_cents
from .parameters import decimal_on, int_on


@dataclass(frozen=True)
class ReferencePeriod:
    """The window whose contracts and wages make the SJR and the duration."""

    start: date
    end: date
    months: int


@dataclass(frozen=True)
class ReferenceWage:
    """The SJR and everything it is made of."""

    period: ReferencePeriod
    contract_days: int  # calendar days under contract in the period
    span_days: int  # from the first contract day to the last, in the period
    non_worked_days: int
    non_worked_days_cap: int
    divisor_days: int  # contract days + counted non-worked days
    wages: Decimal  # counted wages (capped, in the period)
    amount: Decimal  # SJR, full precision
    working_time_ratio: Decimal
    capped_months: tuple[date, ...]
    explanation: Explanation

    @property
    def amount_cents(self) -> Decimal:
        """The SJR rounded to the cent, for display."""
        return to_cents(self.amount)


def reference_period(contract_end: date, age_at_contract_end: int) -> ReferencePeriod:
    """24 months before the contract end, or 36 from the senior age of that regime."""
    senior_age = int_on("senior_reference_period_age", contract_end)
    senior = age_at_contract_end >= senior_age
    months = int_on("reference_period_months_senior" if senior else "reference_period_months", contract_end)
    return ReferencePeriod(add_months(contract_end, -months) + timedelta(days=1), contract_end, months)


def days_under_contract(contracts: Iterable[Contract], start: date, end: date) -> set[date]:
    """Calendar days covered by at least one contract, between ``start`` and ``end``."""
    days: set[date] = set()
    for contract in contracts:
        first, last = max(contract.start, start), min(contract.end, end)
        days.update(first + timedelta(days=i) for i in range(days_between(first, last)))
    return days


def _working_time_ratio(contracts: tuple[Contract, ...], days: set[date]) -> Decimal:
    if not days:
        return Decimal(1)
    total = Decimal(0)
    for day in days:
        running = sum((c.working_time_ratio for c in contracts if c.start <= day <= c.end), Decimal(0))
        total += min(running, Decimal(1))
    return total / len(days)


def _counted_wages(contracts: tuple[Contract, ...], period: ReferencePeriod) -> tuple[Decimal, tuple[date, ...]]:
    totals: dict[date, Decimal] = defaultdict(Decimal)
    for contract in contracts:
        for wage in contract.wages:
            totals[wage.month] += wage.gross
    counted = Decimal(0)
    capped: list[date] = []
    for month, total in sorted(totals.items()):
        first, last = month, month_end(month)
        if last < period.start or first > period.end:
            continue
        month_days = days_under_contract(contracts, first, last)
        inside = {d for d in month_days if period.start <= d <= period.end}
        if month_days:
            share = Decimal(len(inside)) / len(month_days)
        else:
            # Wages outside any contract date: spread them over the calendar month.
            share = Decimal(days_between(max(first, period.start), min(last, period.end)))
            share /= days_in_month(month)
        # The multiple is a rule of the claim's regime; the PMSS is that of the wage's year.
        ceiling = int_on("wage_cap_pmss_multiple", period.end) * decimal_on("pmss", month)
        if total > ceiling:
            capped.append(month)
        counted += min(total, ceiling) * share
    return counted, tuple(capped)


def compute_reference_wage(
    contracts: tuple[Contract, ...], contract_end: date, age_at_contract_end: int
) -> ReferenceWage:
    """The SJR of the contracts, for a claim whose last contract ended on ``contract_end``."""
    period = reference_period(contract_end, age_at_contract_end)
    senior_age = int_on("senior_reference_period_age", contract_end)
    days = days_under_contract(contracts, period.start, period.end)
    contract_days = len(days)
    span = days_between(min(days), max(days)) if days else 0
    non_worked = span - contract_days
    cap_rate = decimal_on("non_worked_days_cap", contract_end)
    # A fraction of a day cannot be counted: the cap is rounded down.
    cap = int((cap_rate * contract_days).to_integral_value(rounding=ROUND_FLOOR))
    divisor = contract_days + min(non_worked, cap)
    wages, capped = _counted_wages(contracts, period)
    amount = wages / divisor if divisor else Decimal(0)
    ratio = _working_time_ratio(contracts, days)

    steps: list[Step] = [
        step(
            "reference_period",
            start=period.start,
            end=period.end,
            months=period.months,
            senior_age=senior_age if age_at_contract_end >= senior_age else None,
        )
    ]
    if days:
        steps.append(
            step(
                "counted_days",
                contract_days=contract_days,
                non_worked_days=non_worked,
                first_day=min(days),
                last_day=max(days),
                cap_rate=cap_rate,
                cap=cap if non_worked > cap else None,
                divisor=divisor,
            )
        )
    steps.append(
        step(
            "counted_wages",
            wages=wages,
            capped_months=capped,
            pmss_multiple=int_on("wage_cap_pmss_multiple", contract_end),
        )
    )
    steps.append(step("reference_wage", wages=wages, divisor=divisor, amount=amount))
    return ReferenceWage(
        period=period,
        contract_days=contract_days,
        span_days=span,
        non_worked_days=non_worked,
        non_worked_days_cap=cap,
        divisor_days=divisor,
        wages=wages,
        amount=amount,
        working_time_ratio=ratio,
        capped_months=capped,
        explanation=tuple(steps),
    )
