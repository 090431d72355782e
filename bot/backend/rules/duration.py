"""§3 — Eligibility (affiliation) and duration of rights.

Interpretation choices (docs/are-rules.md §3, Unédic fiches 1 and 3):

- Worked days for the 130-day condition are counted per calendar week (Monday to
  Sunday): the days under contract in the week, at most 5, as France Travail counts
  "jours travaillés" (a full-time contract of six months gives about 130 days).
- Hours of a contract that straddles the start of the reference period count in
  proportion to its days inside the period (rounded down).
- Duration = the SJR divisor (days from the first contract day to the last, with
  non-worked days capped) × 0.75, rounded up to a whole day — the rounding that
  turns 730 × 0.75 = 547.5 into the published 548 — then at least 182 days, then at
  most the maximum of the age band at the contract end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .dates import days_between
from .explanation import Explanation, step
from .facts import Contract
from .parameters import decimal_on, int_on
from .sjr import ReferencePeriod, days_under_contract


@dataclass(frozen=True)
class Eligibility:
    """Whether the affiliation condition is met, and with what."""

    eligible: bool
    worked_days: int
    hours: int
    required_days: int
    required_hours: int
    explanation: Explanation


@dataclass(frozen=True)
class Duration:
    """Duration of rights in days and how it was bounded."""

    days: int
    computed_days: int  # divisor × coefficient, rounded up
    minimum_days: int
    maximum_days: int
    explanation: Explanation


def worked_days(days: Iterable[date], contract_end: date) -> int:
    """Days under contract counted as worked days: at most 5 per calendar week."""
    limit = int_on("affiliation_max_days_per_week", contract_end)
    per_week = Counter(day.isocalendar()[:2] for day in days)
    return sum(min(count, limit) for count in per_week.values())


def _hours_in_period(contracts: Iterable[Contract], period: ReferencePeriod) -> int:
    total = Decimal(0)
    for contract in contracts:
        if contract.hours_worked is None:
            continue
        inside = days_between(max(contract.start, period.start), min(contract.end, period.end))
        length = days_between(contract.start, contract.end)
        total += Decimal(contract.hours_worked) * inside / length
    return int(total.to_integral_value(rounding=ROUND_FLOOR))


def check_eligibility(
    contracts: tuple[Contract, ...],
    period: ReferencePeriod,
    contract_end: date,
    seasonal_worker: bool = False,
) -> Eligibility:
    """The 130 days / 910 hours condition (108 / 758 for seasonal workers from April 2025)."""
    suffix = "_seasonal" if seasonal_worker else ""
    required_days = int_on(f"eligibility_days{suffix}", contract_end)
    required_hours = int_on(f"eligibility_hours{suffix}", contract_end)
    days = worked_days(days_under_contract(contracts, period.start, period.end), contract_end)
    hours = _hours_in_period(contracts, period)
    eligible = days >= required_days or hours >= required_hours
    fact = step(
        "eligibility" if eligible else "not_eligible",
        worked_days=days,
        hours=hours,
        required_days=required_days,
        required_hours=required_hours,
        seasonal_worker=seasonal_worker,
    )
    return Eligibility(eligible, days, hours, required_days, required_hours, (fact,))


def max_duration(age_at_contract_end: int, contract_end: date) -> int:
    """Maximum duration of the age band, with the bands of the contract end's regime."""
    if age_at_contract_end >= int_on("oldest_band_age", contract_end):
        return int_on("max_duration_oldest", contract_end)
    if age_at_contract_end >= int_on("middle_band_age", contract_end):
        return int_on("max_duration_middle", contract_end)
    return int_on("max_duration_under", contract_end)


def rights_duration(divisor_days: int, age_at_contract_end: int, contract_end: date) -> Duration:
    """Duration in days: divisor × 0.75 rounded up, at least 182, at most the age maximum."""
    coefficient = decimal_on("duration_coefficient", contract_end)
    computed = int((coefficient * divisor_days).to_integral_value(rounding=ROUND_CEILING))
    minimum = int_on("min_duration_days", contract_end)
    maximum = max_duration(age_at_contract_end, contract_end)
    days = min(max(computed, minimum), maximum)

    steps = [step("duration_computed", divisor_days=divisor_days, coefficient=coefficient, computed=computed)]
    if computed < minimum:
        steps.append(step("duration_minimum", minimum=minimum))
    if computed > maximum:
        steps.append(step("duration_maximum", age=age_at_contract_end, maximum=maximum))
    steps.append(step("duration", days=days))
    return Duration(days, computed, minimum, maximum, tuple(steps))
