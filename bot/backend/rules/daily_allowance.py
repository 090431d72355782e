"""§2 — Gross daily allowance (allocation journalière, AJ) from the SJR.

AJ = max(40.4 % × SJR + fixed part, 57 % × SJR), raised to the minimum, and in
every case capped at 75 % × SJR; rounded to the cent (half up) only at the end.

Interpretation choices (docs/are-rules.md §2, Unédic fiche 2):

- The fixed part and minimum are those in force on the day of the allowance: a
  revaluation of 1 July applies to the allowances of July onwards, for ongoing
  claims too; the SJR itself is not revalued here.
- Part-time: the fixed part and the minimum are multiplied by the working-time ratio
  of the reference period (0.5 for half-time).
- In approved training (AREF), the training minimum replaces the ARE minimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from .explanation import Explanation, step
from .money import to_cents
from .parameters import decimal_on, parameter_on


class AllowanceRule(str, Enum):
    """Which branch of the formula gave the amount."""

    VARIABLE = "variable"  # 40.4 % × SJR + fixed part
    ALTERNATIVE = "alternative"  # 57 % × SJR
    MINIMUM = "minimum"
    CAP = "cap"  # 75 % × SJR


@dataclass(frozen=True)
class DailyAllowance:
    """A gross daily allowance and the terms of its formula."""

    amount: Decimal  # in cents
    unrounded: Decimal
    variable_formula: Decimal
    alternative_formula: Decimal
    fixed_part: Decimal  # after part-time reduction
    minimum: Decimal  # after part-time reduction
    cap: Decimal
    rule: AllowanceRule
    explanation: Explanation


def minimum_daily_allowance(on: date, working_time_ratio: Decimal = Decimal(1), in_training: bool = False) -> Decimal:
    """The minimum AJ of this claimant on ``on`` (training minimum, part-time pro rata)."""
    name = "aj_minimum_training" if in_training else "aj_minimum"
    return decimal_on(name, on) * working_time_ratio


def compute_daily_allowance(
    reference_wage: Decimal,
    on: date,
    working_time_ratio: Decimal = Decimal(1),
    in_training: bool = False,
) -> DailyAllowance:
    """The gross AJ for an SJR on ``on``."""
    sjr = reference_wage
    variable_rate = decimal_on("aj_variable_rate", on)
    alternative_rate = decimal_on("aj_alternative_rate", on)
    cap_rate = decimal_on("aj_cap_rate", on)
    fixed = decimal_on("aj_fixed_part", on) * working_time_ratio
    minimum = minimum_daily_allowance(on, working_time_ratio, in_training)

    variable = variable_rate * sjr + fixed
    alternative = alternative_rate * sjr
    cap = cap_rate * sjr
    best = max(variable, alternative)
    rule = AllowanceRule.VARIABLE if variable >= alternative else AllowanceRule.ALTERNATIVE
    raised = minimum > best
    if raised:
        best, rule = minimum, AllowanceRule.MINIMUM
    if best > cap:
        best, rule = cap, AllowanceRule.CAP
    amount = to_cents(best)

    steps = [
        step(
            "daily_allowance_formula",
            variable_rate=variable_rate,
            reference_wage=sjr,
            fixed_part=fixed,
            working_time_ratio=working_time_ratio,
            variable=variable,
            alternative_rate=alternative_rate,
            alternative=alternative,
        )
    ]
    if raised:
        steps.append(step("daily_allowance_minimum", minimum=minimum, in_training=in_training))
    if rule is AllowanceRule.CAP:
        steps.append(step("daily_allowance_cap", cap_rate=cap_rate, reference_wage=sjr, cap=cap))
    steps.append(step("daily_allowance", amount=amount, scale_from=parameter_on("aj_fixed_part", on).effective_from))
    return DailyAllowance(
        amount=amount,
        unrounded=best,
        variable_formula=variable,
        alternative_formula=alternative,
        fixed_part=fixed,
        minimum=minimum,
        cap=cap,
        rule=rule,
        explanation=tuple(steps),
    )
