"""§8 — From gross to net: retirement contribution, CSG, CRDS, Alsace-Moselle.

All deductions are computed per paid day (the floors are daily), in full precision;
monthly totals multiply them by the days. The net is rounded to the cent once, from
the full-precision gross minus the full-precision deductions; the deductions shown
are rounded so that they add up exactly to gross − net (``apportion``), each within
a cent of its full-precision value.

Interpretation choices (docs/are-rules.md §8, Unédic fiche 2, CSS L131-2):

- Retirement contribution: 3 % of the SJR per day, reduced (not dropped) so that the
  allowance after it does not fall under the claimant's own minimum AJ in force that
  day (part-time pro rata, AREF minimum in training): "ne peut avoir pour effet de
  réduire l'allocation en dessous du minimum".
- CSG and CRDS: on 98.25 % of the gross daily allowance; reduced (écrêtées) so that
  the daily net does not fall under the daily floor (60 € in 2025); the CSG is cut
  first, the CRDS last. A household exempt from CSG is exempt from CRDS too.
- Alsace-Moselle: 1.5 % of the gross daily allowance, taken last and under the same
  floor; not taken from a household exempt from CSG.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from .explanation import Explanation, Step, step
from .facts import CsgRate
from .money import CENT, to_cents
from .parameters import decimal_on

ZERO = Decimal(0)


@dataclass(frozen=True)
class DailyDeductions:
    """Deductions from one day's gross allowance, in full precision."""

    gross: Decimal
    retirement: Decimal
    csg: Decimal
    crds: Decimal
    alsace_moselle: Decimal
    explanation: Explanation

    @property
    def net(self) -> Decimal:
        """Gross minus every deduction."""
        return self.gross - self.retirement - self.csg - self.crds - self.alsace_moselle


@dataclass(frozen=True)
class DailyNet:
    """One day of allowance, gross to net, in cents (what a bot reads out)."""

    gross: Decimal
    retirement_contribution: Decimal
    csg: Decimal
    crds: Decimal
    alsace_moselle_contribution: Decimal
    net: Decimal
    explanation: Explanation


def _csg_rate(csg_rate: CsgRate, on: date) -> Decimal:
    if csg_rate is CsgRate.EXEMPT:
        return ZERO
    name = "csg_rate_reduced" if csg_rate is CsgRate.REDUCED else "csg_rate_normal"
    return decimal_on(name, on)


def daily_deductions(
    gross: Decimal,
    reference_wage: Decimal,
    minimum_daily: Decimal,
    on: date,
    csg_rate: CsgRate = CsgRate.NORMAL,
    alsace_moselle: bool = False,
) -> DailyDeductions:
    """Deductions from a gross daily allowance ``gross`` paid on ``on``."""
    steps: list[Step] = []
    if gross <= 0:
        return DailyDeductions(gross, ZERO, ZERO, ZERO, ZERO, ())

    retirement_rate = decimal_on("retirement_rate", on)
    full_retirement = retirement_rate * reference_wage
    retirement = min(full_retirement, max(ZERO, gross - minimum_daily))
    steps.append(
        step(
            "retirement_contribution",
            rate=retirement_rate,
            reference_wage=reference_wage,
            full=full_retirement,
            taken=retirement,
            minimum=minimum_daily,
        )
    )

    floor = decimal_on("daily_net_floor", on)
    exempt = csg_rate is CsgRate.EXEMPT
    base_rate = decimal_on("csg_base_rate", on)
    base = base_rate * gross
    rate = _csg_rate(csg_rate, on)
    crds_rate = ZERO if exempt else decimal_on("crds_rate", on)
    full_csg, full_crds = rate * base, crds_rate * base
    room = max(ZERO, gross - retirement - floor)
    crds = min(full_crds, room)
    csg = min(full_csg, room - crds)
    steps.append(
        step(
            "csg_crds",
            exempt=exempt,
            csg_rate=rate,
            crds_rate=crds_rate,
            base_rate=base_rate,
            gross=gross,
            full=full_csg + full_crds,
            full_csg=full_csg,
            full_crds=full_crds,
            taken=csg + crds,
            floor=floor,
        )
    )

    alsace = ZERO
    if alsace_moselle and not exempt:
        am_rate = decimal_on("alsace_moselle_rate", on)
        full_alsace = am_rate * gross
        alsace = min(full_alsace, max(ZERO, gross - retirement - csg - crds - floor))
        steps.append(
            step("alsace_moselle_contribution", rate=am_rate, gross=gross, full=full_alsace, taken=alsace, floor=floor)
        )
    return DailyDeductions(gross, retirement, csg, crds, alsace, tuple(steps))


def apportion(total: Decimal, parts: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
    """``parts`` rounded to the cent so that they add up to ``total`` (largest remainders).

    ``total`` is in cents and within half a cent of the sum of ``parts``: each part is
    rounded down, and the cents still missing go to the parts that lost the most.
    """
    floors = [part.quantize(CENT, rounding=ROUND_FLOOR) for part in parts]
    missing = int((total - sum(floors, ZERO)) / CENT)
    if not 0 <= missing <= len(parts):
        raise ValueError("the total is not the rounded sum of the parts")
    by_loss = sorted(range(len(parts)), key=lambda i: parts[i] - floors[i], reverse=True)
    for i in by_loss[:missing]:
        floors[i] += CENT
    return tuple(floors)


def net_of(gross: Decimal, deductions: tuple[Decimal, ...]) -> tuple[Decimal, Decimal, tuple[Decimal, ...]]:
    """Gross and net in cents, and the deductions as shown: the net is rounded once."""
    gross_cents = to_cents(gross)
    net = to_cents(gross - sum(deductions, ZERO))
    return gross_cents, net, apportion(gross_cents - net, deductions)


def rounded_daily_net(deductions: DailyDeductions) -> DailyNet:
    """One day's allowance in cents: the net rounded once, the deductions adding up to it."""
    gross, net, (retirement, csg, crds, alsace) = net_of(
        deductions.gross,
        (deductions.retirement, deductions.csg, deductions.crds, deductions.alsace_moselle),
    )
    steps = (*deductions.explanation, step("daily_net", gross=gross, net=net))
    return DailyNet(gross, retirement, csg, crds, alsace, net, steps)
