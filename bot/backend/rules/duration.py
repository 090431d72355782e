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
from .explanation import Explanation, Step, days_fr, num
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
    who = "pour un travailleur saisonnier, " if seasonal_worker else ""
    if eligible:
        detail = (
            f"Vous avez travaillé {days_fr(days)}"
            + (f" ({num(hours)} heures)" if hours else "")
            + f" dans la période de référence ; il en faut au moins {num(required_days)} "
            f"{who}ou {num(required_hours)} heures."
        )
    else:
        detail = (
            f"Vous avez travaillé {days_fr(days)}"
            + (f" ({num(hours)} heures)" if hours else "")
            + f" dans la période de référence ; il faut {who}au moins {num(required_days)} "
            f"jours ou {num(required_hours)} heures pour ouvrir un droit."
        )
    label = "Conditions remplies" if eligible else "Conditions non remplies"
    return Eligibility(eligible, days, hours, required_days, required_hours, (Step(label, detail),))


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

    steps = [
        Step(
            "Durée calculée",
            f"{days_fr(divisor_days)} retenus × {num(coefficient)} = {days_fr(computed)} (arrondi au jour supérieur).",
        )
    ]
    if computed < minimum:
        steps.append(Step("Durée minimale", f"La durée ne peut pas être inférieure à {days_fr(minimum)}."))
    if computed > maximum:
        steps.append(
            Step(
                "Durée maximale",
                f"À {age_at_contract_end} ans à la fin de votre contrat, la durée est limitée à {days_fr(maximum)}.",
            )
        )
    steps.append(Step("Durée de vos droits", f"{days_fr(days)} d'indemnisation."))
    return Duration(days, computed, minimum, maximum, tuple(steps))
