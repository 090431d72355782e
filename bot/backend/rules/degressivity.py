"""§4 — Dégressivité: the reduction of high allowances from the 183rd paid day.

From the 183rd day of indemnisation, AJ × 0.7 for claimants under the age limit
whose AJ exceeds the threshold; the threshold is also the floor of the reduced AJ.

Interpretation choices (docs/are-rules.md §4, Unédic fiche dégressivité):

- The age limit is that of the contract end's regime (under 55 from 1 April 2025,
  under 57 before), with the age at the contract end.
- The AJ and the threshold compared are those in force on the day concerned (a
  July revaluation of the threshold applies to July allowances); an AJ at or under
  the threshold is never reduced.
- The reduction applies to the AJ as notified (in cents): reduced AJ =
  max(round(AJ × 0.7), threshold), so that "100,00 € × 0,7 = 70,00 €" reads right.
- "Days of indemnisation" are paid days; days in approved training (AREF) do not
  count and are not reduced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.formatting import to_cents

from .explanation import Explanation, Step, days_fr, eur, num
from .parameters import decimal_on, int_on


@dataclass(frozen=True)
class Degressivity:
    """Whether the reduction will apply to a claim, and at what amount."""

    applies: bool
    age_condition: bool
    threshold: Decimal
    reduced_daily_allowance: Decimal | None
    start_day: int
    explanation: Explanation


def age_condition(age_at_contract_end: int, contract_end: date) -> bool:
    """True when the claimant is young enough for the dégressivité to apply."""
    return age_at_contract_end < int_on("degressivity_age_limit", contract_end)


def reduced_daily_allowance(daily_allowance: Decimal, on: date) -> Decimal | None:
    """The reduced AJ on ``on``, or None when the AJ does not exceed the threshold."""
    threshold = decimal_on("degressivity_threshold", on)
    if daily_allowance <= threshold:
        return None
    return max(to_cents(daily_allowance * decimal_on("degressivity_coefficient", on)), threshold)


def full_rate_days_left(indemnified_days_before: int, on: date) -> int:
    """Paid days still at the full rate before the 183rd day."""
    return max(0, int_on("degressivity_start_day", on) - 1 - indemnified_days_before)


def compute_degressivity(
    daily_allowance: Decimal,
    age_at_contract_end: int,
    contract_end: date,
    on: date,
    duration_days: int,
    in_training: bool = False,
) -> Degressivity:
    """Whether a claim of ``duration_days`` starting on ``on`` will be reduced from day 183."""
    start_day = int_on("degressivity_start_day", on)
    threshold = decimal_on("degressivity_threshold", on)
    coefficient = decimal_on("degressivity_coefficient", on)
    old_enough = not age_condition(age_at_contract_end, contract_end)
    reduced = reduced_daily_allowance(daily_allowance, on)
    applies = not old_enough and reduced is not None and duration_days >= start_day

    limit = int_on("degressivity_age_limit", contract_end)
    if old_enough:
        detail = (
            f"Vous aviez {age_at_contract_end} ans à la fin de votre contrat : la dégressivité "
            f"ne s'applique qu'avant {limit} ans."
        )
    elif reduced is None:
        detail = (
            f"Votre allocation de {eur(daily_allowance)} ne dépasse pas le seuil de "
            f"{eur(threshold)} : elle ne sera pas réduite."
        )
    elif duration_days < start_day:
        detail = (
            f"Vos droits durent {days_fr(duration_days)} : ils s'arrêtent avant le "
            f"{start_day}e jour, votre allocation ne sera pas réduite."
        )
    else:
        detail = (
            f"À partir du {start_day}e jour indemnisé, votre allocation passe à "
            f"{eur(daily_allowance)} × {num(coefficient)} = {eur(daily_allowance * coefficient)}"
            + (
                f", relevée au plancher de {eur(threshold)} par jour."
                if reduced == threshold and daily_allowance * coefficient < threshold
                else " par jour."
            )
        )
        if in_training:
            detail += " Pendant votre formation, la réduction ne s'applique pas."
    return Degressivity(
        applies=applies,
        age_condition=not old_enough,
        threshold=threshold,
        reduced_daily_allowance=reduced if applies else None,
        start_day=start_day,
        explanation=(Step("Dégressivité", detail),),
    )
