"""Builders of claims for the ARE rules tests: contracts with flat monthly wages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bot.backend.rules import (
    ClaimEvents,
    ClaimFacts,
    Contract,
    CsgRate,
    DeclaredMonth,
    MonthlyWage,
    Rights,
    Sanction,
    Timeline,
    claim_timeline,
    compute_rights,
    declaration_window,
)
from bot.backend.rules.dates import month_start, next_month

# A "today" before any claim of the tests: every month of a timeline is still to come.
LONG_AGO = date(2000, 1, 1)


def monthly_wages(start: date, end: date, gross: Decimal | int | str) -> tuple[MonthlyWage, ...]:
    """The same gross wage for every month from ``start``'s month to ``end``'s month."""
    wages = []
    month = month_start(start)
    while month <= end:
        wages.append(MonthlyWage(month, Decimal(gross)))
        month = next_month(month)
    return tuple(wages)


def contract(
    start: date,
    end: date,
    gross: Decimal | int | str = 3000,
    ratio: Decimal | str = "1",
    hours: int | None = None,
) -> Contract:
    """A contract paid ``gross`` every month it touches."""
    return Contract(start, end, monthly_wages(start, end, gross), Decimal(ratio), hours)


def claim(
    *contracts: Contract,
    birth: date = date(1985, 5, 10),
    registration: date | None = None,
    **kwargs: object,
) -> ClaimFacts:
    """A claim registered the day after the last contract unless told otherwise."""
    end = max(c.end for c in contracts)
    return ClaimFacts(
        birth_date=birth,
        contracts=tuple(contracts),
        registration_date=registration or end + timedelta(days=1),
        **kwargs,  # type: ignore[arg-type]
    )


def born_aged(age: int, on: date) -> date:
    """A birth date giving exactly ``age`` on ``on`` (birthday that very day).

    Someone born on 29 February has their birthday on 28 February in other years.
    """
    if on.month == 2 and on.day == 29:
        on = on.replace(day=28)
    return on.replace(year=on.year - age)


def projection(
    facts: ClaimFacts,
    rights: Rights | None = None,
    earnings: dict[date, Decimal] | None = None,
    sanctions: tuple[Sanction, ...] = (),
) -> Timeline:
    """The claim's timeline as a projection: ``earnings`` declared on their window's first day."""
    declared = {m: DeclaredMonth(declaration_window(m).opens, Decimal(v)) for m, v in (earnings or {}).items()}
    return claim_timeline(facts, rights or compute_rights(facts), ClaimEvents(declared, sanctions), LONG_AGO)


__all__ = ["LONG_AGO", "CsgRate", "born_aged", "claim", "contract", "monthly_wages", "projection"]
