"""§7 — Working while on ARE (cumul): days paid in a month with declared earnings.

Days paid = (monthly ARE − 70 % × gross earnings) / AJ, rounded to the nearest whole
day (half up), between 0 and the payable days; allowance + earnings may not exceed
the monthly reference wage (SJR × 30 from April 2025, SJR × 30.42 before).

Interpretation choices (docs/are-rules.md §7, règlement général annexé à la convention de 2024):

- "Monthly ARE" is the gross allowance of the payable days of the month (30 days
  for a full month from April 2025, fewer in a first or last month).
- The divisor AJ is the rate of the first payable day of the month (the rate before
  dégressivité when day 183 falls within the month).
- The ceiling is enforced in whole days, as France Travail reduces the number of
  days paid: the last days of the month are dropped until allowance + earnings fits.
- Days not paid are not lost: they push back the end of rights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .explanation import Explanation, step
from .parameters import decimal_on, flag_on


@dataclass(frozen=True)
class Cumul:
    """Days paid in a month once declared earnings are taken into account."""

    days_paid: int
    formula_days: int  # before the ceiling
    ceiling: Decimal  # monthly reference wage
    capped_by_reference_wage: bool
    explanation: Explanation


def monthly_ceiling(reference_wage: Decimal, month: date) -> Decimal:
    """Monthly reference wage that allowance + earnings may not exceed."""
    return reference_wage * decimal_on("cumul_ceiling_days", month)


def compute_cumul(
    payable_days: int,
    gross_for_days: Callable[[int], Decimal],
    daily_allowance: Decimal,
    declared_earnings: Decimal,
    reference_wage: Decimal,
    month: date,
) -> Cumul:
    """Days paid out of ``payable_days`` given the month's declared gross earnings.

    ``gross_for_days(n)`` is the gross allowance of the first ``n`` payable days (it
    knows the rates of the month); ``daily_allowance`` is the divisor AJ.
    """
    ceiling = monthly_ceiling(reference_wage, month)
    if declared_earnings < 0:
        raise ValueError("declared earnings cannot be negative")
    if declared_earnings == 0 or payable_days == 0 or daily_allowance <= 0:
        return Cumul(payable_days, payable_days, ceiling, False, ())

    monthly_are = gross_for_days(payable_days)
    rate = decimal_on("cumul_earnings_rate", month)
    raw = (monthly_are - rate * declared_earnings) / daily_allowance
    formula_days = int(raw.to_integral_value(rounding=ROUND_HALF_UP))
    formula_days = min(max(formula_days, 0), payable_days)
    days = formula_days
    while days > 0 and gross_for_days(days) + declared_earnings > ceiling:
        days -= 1
    capped = days < formula_days

    steps = [
        step(
            "work_declared",
            earnings=declared_earnings,
            monthly_allowance=monthly_are,
            earnings_rate=rate,
            daily_allowance=daily_allowance,
            quotient=raw,
            formula_days=formula_days,
            payable_days=payable_days,
        ),
        step(
            "cumul_ceiling",
            ceiling_days=decimal_on("cumul_ceiling_days", month),
            reference_wage=reference_wage,
            ceiling=ceiling,
            confirmed=flag_on("cumul_ceiling_confirmed", month),
            days_paid=days if capped else None,
        ),
    ]
    unpaid = payable_days - days
    if unpaid:
        steps.append(step("unpaid_days_carried", days=unpaid))
    return Cumul(days, formula_days, ceiling, capped, tuple(steps))
