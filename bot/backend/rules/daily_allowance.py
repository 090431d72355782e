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

from bot.formatting import format_date_fr, to_cents

from .explanation import Explanation, Step, eur, pct
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

    fixed_text = eur(fixed)
    if working_time_ratio != 1:
        fixed_text += f" (partie fixe réduite à {pct(working_time_ratio)} pour temps partiel)"
    steps = [
        Step(
            "Calcul de l'allocation journalière",
            f"{pct(variable_rate)} × {eur(sjr)} + {fixed_text} = {eur(variable)} ; "
            f"{pct(alternative_rate)} × {eur(sjr)} = {eur(alternative)}. "
            f"Le montant le plus élevé est retenu : {eur(max(variable, alternative))}.",
        )
    ]
    minimum_label = "minimum en formation (AREF)" if in_training else "minimum"
    if raised:
        steps.append(
            Step(
                "Allocation minimale",
                f"Ce montant est relevé au {minimum_label} de {eur(minimum)} par jour.",
            )
        )
    if rule is AllowanceRule.CAP:
        steps.append(
            Step(
                "Plafond",
                f"L'allocation ne peut pas dépasser {pct(cap_rate)} de votre salaire journalier "
                f"de référence : {pct(cap_rate)} × {eur(sjr)} = {eur(cap)}.",
            )
        )
    steps.append(
        Step(
            "Allocation journalière brute",
            f"{eur(amount)} par jour, selon le barème en vigueur depuis le "
            f"{format_date_fr(parameter_on('aj_fixed_part', on).effective_from)}.",
        )
    )
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
