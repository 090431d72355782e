"""§5 — Waiting periods before the first paid day: différés and délai d'attente.

Applied in this order from the day after the contract end: the différé spécifique
(supra-legal severance / divisor, max 150 days, 75 for an economic dismissal), the
différé congés payés (ICCP / SJR, max 30 days), then the délai d'attente of 7 days.

Interpretation choices (docs/are-rules.md §5, Unédic fiche différés):

- Both différés are rounded down to whole days and run back to back from the day
  after the contract end, whatever the registration date.
- The délai d'attente starts after the différés, or on the registration date when
  the person registered later (France Travail's "J+8" after a registration the day
  after the contract ends).
- It is waived when one was already applied less than 12 months before the day it
  would start (exactly 12 months before: it applies again).
- The divisor of the différé spécifique is the one in force at the contract end; the
  2024 value stays in force until a new one is entered in the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from .dates import add_months
from .explanation import Explanation, Step, step
from .parameters import decimal_on, int_on


@dataclass(frozen=True)
class Deferrals:
    """The days between the contract end and the first paid day, by cause."""

    specific_days: int  # différé spécifique (supra-legal severance)
    paid_leave_days: int  # différé congés payés
    waiting_days: int  # délai d'attente
    waiting_start: date  # first day of the délai d'attente (or first paid day)
    first_paid_day: date
    explanation: Explanation

    @property
    def total_days(self) -> int:
        """Days of différés and délai d'attente together."""
        return self.specific_days + self.paid_leave_days + self.waiting_days


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def specific_deferral_days(supra_legal_severance: Decimal, contract_end: date, economic_dismissal: bool) -> int:
    """Différé spécifique: supra-legal severance / divisor, rounded down, capped."""
    if supra_legal_severance <= 0:
        return 0
    divisor = decimal_on("specific_deferral_divisor", contract_end)
    cap_name = "specific_deferral_max_days_economic" if economic_dismissal else "specific_deferral_max_days"
    return min(_floor(supra_legal_severance / divisor), int_on(cap_name, contract_end))


def paid_leave_deferral_days(paid_leave_compensation: Decimal, reference_wage: Decimal, contract_end: date) -> int:
    """Différé congés payés: ICCP / SJR, rounded down, at most 30 days."""
    if paid_leave_compensation <= 0 or reference_wage <= 0:
        return 0
    cap = int_on("paid_leave_deferral_max_days", contract_end)
    return min(_floor(paid_leave_compensation / reference_wage), cap)


def waiting_period_waived(previous_waiting_period_on: date | None, waiting_start: date) -> bool:
    """True when a délai d'attente was already applied in the 12 months before."""
    if previous_waiting_period_on is None:
        return False
    months = int_on("waiting_period_reuse_months", waiting_start)
    return add_months(previous_waiting_period_on, months) > waiting_start


def compute_deferrals(
    contract_end: date,
    registration_date: date,
    reference_wage: Decimal,
    supra_legal_severance: Decimal = Decimal(0),
    paid_leave_compensation: Decimal = Decimal(0),
    economic_dismissal: bool = False,
    previous_waiting_period_on: date | None = None,
) -> Deferrals:
    """Différés then délai d'attente, and the first paid day."""
    specific = specific_deferral_days(supra_legal_severance, contract_end, economic_dismissal)
    paid_leave = paid_leave_deferral_days(paid_leave_compensation, reference_wage, contract_end)
    after_deferrals = contract_end + timedelta(days=1 + specific + paid_leave)
    waiting_start = max(after_deferrals, registration_date)
    waived = waiting_period_waived(previous_waiting_period_on, waiting_start)
    waiting = 0 if waived else int_on("waiting_period_days", waiting_start)
    first_paid_day = waiting_start + timedelta(days=waiting)

    steps: list[Step] = []
    if specific:
        divisor = decimal_on("specific_deferral_divisor", contract_end)
        steps.append(
            step(
                "specific_deferral",
                severance=supra_legal_severance,
                divisor=divisor,
                computed_days=_floor(supra_legal_severance / divisor),
                days=specific,
                economic_dismissal=economic_dismissal,
            )
        )
    if paid_leave:
        steps.append(
            step(
                "paid_leave_deferral",
                compensation=paid_leave_compensation,
                reference_wage=reference_wage,
                computed_days=_floor(paid_leave_compensation / reference_wage),
                days=paid_leave,
            )
        )
    if waived and previous_waiting_period_on is not None:
        steps.append(
            step(
                "waiting_period_waived",
                applied_on=previous_waiting_period_on,
                months=int_on("waiting_period_reuse_months", waiting_start),
            )
        )
    else:
        after = (
            "registration"
            if registration_date > after_deferrals
            else ("deferrals" if specific or paid_leave else "contract_end")
        )
        steps.append(step("waiting_period", days=waiting, start=waiting_start, after=after))
    steps.append(step("first_paid_day", day=first_paid_day))
    return Deferrals(specific, paid_leave, waiting, waiting_start, first_paid_day, tuple(steps))
