"""§8 — From gross to net: retirement contribution, CSG, CRDS, Alsace-Moselle.

All deductions are computed per paid day (the floors are daily), in full precision;
monthly totals multiply them by the days and are rounded to the cent at the end.

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
from decimal import Decimal

from bot.formatting import to_cents

from .explanation import Explanation, Step, eur, pct
from .facts import CsgRate
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
    text = f"{pct(retirement_rate)} × {eur(reference_wage)} = {eur(full_retirement)} par jour"
    if retirement < full_retirement:
        text += (
            f", limitée à {eur(retirement)} pour que votre allocation ne passe pas sous le "
            f"minimum de {eur(minimum_daily)}"
        )
    steps.append(Step("Retraite complémentaire", text + "."))

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
    if exempt:
        steps.append(Step("CSG et CRDS", "Votre foyer est exonéré de CSG et de CRDS."))
    else:
        text = (
            f"CSG {pct(rate)} et CRDS {pct(crds_rate)} sur {pct(base_rate)} de "
            f"{eur(gross)} : {eur(full_csg)} + {eur(full_crds)} par jour"
        )
        if csg + crds == 0:
            text += f". Elles ne sont pas prélevées : votre allocation nette passerait sous {eur(floor)} par jour"
        elif csg + crds < full_csg + full_crds:
            text += f", limitées à {eur(csg + crds)} pour que votre allocation nette reste à {eur(floor)} par jour"
        steps.append(Step("CSG et CRDS", text + "."))

    alsace = ZERO
    if alsace_moselle and not exempt:
        am_rate = decimal_on("alsace_moselle_rate", on)
        full_alsace = am_rate * gross
        alsace = min(full_alsace, max(ZERO, gross - retirement - csg - crds - floor))
        text = f"{pct(am_rate)} × {eur(gross)} = {eur(full_alsace)} par jour"
        if alsace < full_alsace:
            text += f", limitée à {eur(alsace)} (plancher de {eur(floor)} par jour)"
        steps.append(Step("Cotisation Alsace-Moselle", text + "."))
    return DailyDeductions(gross, retirement, csg, crds, alsace, tuple(steps))


def rounded_daily_net(deductions: DailyDeductions) -> DailyNet:
    """One day's deductions rounded to the cent, the net being gross minus the rounded parts."""
    retirement = to_cents(deductions.retirement)
    csg = to_cents(deductions.csg)
    crds = to_cents(deductions.crds)
    alsace = to_cents(deductions.alsace_moselle)
    gross = to_cents(deductions.gross)
    net = gross - retirement - csg - crds - alsace
    steps = (
        *deductions.explanation,
        Step("Allocation journalière nette", f"{eur(gross)} brut, soit {eur(net)} net par jour."),
    )
    return DailyNet(gross, retirement, csg, crds, alsace, net, steps)
