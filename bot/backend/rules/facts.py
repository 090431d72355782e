"""The facts of a claim that the ARE rules take as input (what the file says).

These are plain values checked on creation, so that a malformed claim fails with a
clear message instead of producing a wrong amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum


class CsgRate(str, Enum):
    """CSG rate of the household, set from its taxable income (revenu fiscal de référence)."""

    NORMAL = "normal"
    REDUCED = "reduced"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class MonthlyWage:
    """Gross wages of one month that count for the SJR (severance and ICCP excluded)."""

    month: date  # first day of the month
    gross: Decimal

    def __post_init__(self) -> None:
        if self.month.day != 1:
            raise ValueError("MonthlyWage.month must be the first day of a month")
        if self.gross < 0:
            raise ValueError("MonthlyWage.gross cannot be negative")


@dataclass(frozen=True)
class Contract:
    """One employment contract and the wages paid for it, month by month."""

    start: date
    end: date
    wages: tuple[MonthlyWage, ...]
    working_time_ratio: Decimal = Decimal(1)  # 0.5 = half-time
    hours_worked: int | None = None  # for the 910-hour eligibility alternative

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("Contract.end is before Contract.start")
        if not Decimal(0) < self.working_time_ratio <= Decimal(1):
            raise ValueError("Contract.working_time_ratio must be in ]0, 1]")
        if self.hours_worked is not None and self.hours_worked < 0:
            raise ValueError("Contract.hours_worked cannot be negative")


@dataclass(frozen=True)
class ClaimFacts:
    """Everything the rules need to know about one claim (ouverture de droits)."""

    birth_date: date
    contracts: tuple[Contract, ...]
    registration_date: date  # inscription / claim date
    seasonal_worker: bool = False
    economic_dismissal: bool = False
    supra_legal_severance: Decimal = Decimal(0)
    paid_leave_compensation: Decimal = Decimal(0)  # ICCP of the last 182 days
    previous_waiting_period_on: date | None = None  # délai d'attente already applied then
    in_training: bool = False  # AREF: training minimum, no dégressivité
    csg_rate: CsgRate = CsgRate.NORMAL
    alsace_moselle: bool = False

    def __post_init__(self) -> None:
        if not self.contracts:
            raise ValueError("ClaimFacts needs at least one contract")
        if self.supra_legal_severance < 0 or self.paid_leave_compensation < 0:
            raise ValueError("severance and paid-leave compensation cannot be negative")
        if self.birth_date >= self.contract_end:
            raise ValueError("birth_date must be before the end of the last contract")

    @property
    def contract_end(self) -> date:
        """End of the last contract: the date the new rules are keyed on."""
        return max(contract.end for contract in self.contracts)
