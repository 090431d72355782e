"""§4 — Dégressivité: the reduction of high allowances from the 183rd paid day.

From the 183rd day of indemnisation, AJ × 0.7 for claimants under the age limit
whose AJ exceeds the threshold; the threshold is also the floor of the reduced AJ.

Interpretation choices (docs/are-rules.md §4, Unédic fiche dégressivité):

- The age limit is that of the contract end's regime (under 55 from 1 April 2025,
  under 57 before), with the age at the contract end.
- The AJ and the threshold compared are those in force on the day concerned (a
  July revaluation of the threshold applies to July allowances); an AJ at or under
  the threshold is never reduced. Whether, from when and to what amount a claim is
  reduced is therefore read from its month-by-month timeline (``timeline``), not
  guessed on the first paid day.
- The reduction applies to the AJ as notified (in cents): reduced AJ =
  max(round(AJ × 0.7), threshold), so that "100,00 € × 0,7 = 70,00 €" reads right.
- "Days of indemnisation" are paid days; days in approved training (AREF) do not
  count and are not reduced.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .money import to_cents
from .parameters import decimal_on, int_on


def age_condition(age_at_contract_end: int, contract_end: date) -> bool:
    """True when the claimant is young enough for the dégressivité to apply."""
    return age_at_contract_end < int_on("degressivity_age_limit", contract_end)


def reduced_daily_allowance(daily_allowance: Decimal, on: date) -> Decimal | None:
    """The reduced AJ on ``on``, or None when the AJ does not exceed the threshold in force that day."""
    threshold = decimal_on("degressivity_threshold", on)
    if daily_allowance <= threshold:
        return None
    return max(to_cents(daily_allowance * decimal_on("degressivity_coefficient", on)), threshold)


def full_rate_days_left(indemnified_days_before: int, on: date) -> int:
    """Paid days still at the full rate before the 183rd day."""
    return max(0, int_on("degressivity_start_day", on) - 1 - indemnified_days_before)
