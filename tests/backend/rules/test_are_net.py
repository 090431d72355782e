"""§8 — Gross to net: retirement 3 % of SJR, CSG/CRDS on 98,25 %, floors, Alsace-Moselle."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from are_builders import claim, contract

from bot.backend.rules import (
    CsgRate,
    compute_rights,
    daily_deductions,
    daily_net,
    minimum_daily_allowance,
    monthly_allowance,
)
from bot.backend.rules.net import net_of, rounded_daily_net
from bot.backend.wording import detail

pytestmark = pytest.mark.unit  # the fast loop: make unit

AUG_2025 = date(2025, 8, 1)


def _day(gross, sjr, on=AUG_2025, **kwargs):
    return daily_deductions(Decimal(gross), Decimal(sjr), minimum_daily_allowance(on), on, **kwargs)


def test_high_allowance_pays_every_deduction():
    # SJR 200, AJ 114: retirement 3 % × 200 = 6,00; base 98,25 % × 114 = 112,005;
    # CSG 6,2 % = 6,94431; CRDS 0,5 % = 0,560025; net 114 − 6 − 6,94 − 0,56 = 100,50.
    day = _day("114", "200")
    assert (day.retirement, day.csg, day.crds) == (
        Decimal("6.00"),
        Decimal("6.944310"),
        Decimal("0.5600250"),
    )
    assert rounded_daily_net(day).net == Decimal("100.50")


def test_reduced_csg_rate_and_exemption():
    # Reduced: 3,8 % × 112,005 = 4,25619. Exempt: no CSG and no CRDS.
    assert _day("114", "200", csg_rate=CsgRate.REDUCED).csg == Decimal("4.256190")
    exempt = _day("114", "200", csg_rate=CsgRate.EXEMPT, alsace_moselle=True)
    assert (exempt.csg, exempt.crds, exempt.alsace_moselle) == (0, 0, 0)
    assert exempt.net == Decimal(108)


def test_csg_and_crds_cut_down_to_the_daily_floor():
    # SJR 115, AJ 57 % = 65,55; retirement 3,45 -> 62,10; room above 60 € = 2,10.
    # CRDS 0,5 % × 64,402875 = 0,322014 kept, CSG cut to 2,10 − 0,322014 = 1,777986.
    day = _day("65.55", "115")
    assert day.crds == Decimal("0.322014375")
    assert day.csg == Decimal("1.777985625")
    assert day.net == Decimal(60)
    assert "limitées" in detail(day.explanation[1])


def test_daily_floor_60_in_2025_then_61_in_2026():
    # Same day on 31 Dec 2025 (floor 60) and 1 Jan 2026 (floor 61: room 1,10).
    assert _day("65.55", "115", on=date(2025, 12, 31)).net == Decimal(60)
    assert _day("65.55", "115", on=date(2026, 1, 1)).net == Decimal(61)


def test_no_csg_on_a_low_allowance():
    # AJ 56,22 − 2,96 = 53,26 < 60: neither CSG nor CRDS.
    day = _day("56.22", "98.630137")
    assert day.csg == day.crds == 0
    assert "ne sont pas prélevées" in detail(day.explanation[1])


def test_retirement_contribution_cut_down_to_the_minimum():
    # SJR 50: AJ 40,4 % × 50 + 13,18 = 33,38; 3 % × 50 = 1,50 would leave 31,88 < 32,13,
    # so only 33,38 − 32,13 = 1,25 is taken. SJR 46: AJ at the minimum, nothing taken.
    assert _day("33.38", "50").retirement == Decimal("1.25")
    assert _day("32.13", "46").retirement == 0


def test_alsace_moselle_contribution():
    # 1,5 % × 114 = 1,71; net 114 − 6,00 − 6,94 − 0,56 − 1,71 = 98,79.
    day = _day("114", "200", alsace_moselle=True)
    assert day.alsace_moselle == Decimal("1.710")
    assert rounded_daily_net(day).net == Decimal("98.79")


def test_month_totals_are_rounded_at_the_end():
    # 60 000 € over 4 Sep 2024 – 30 Jun 2025 (300 days): SJR 200, AJ 114,00.
    # August 2025, 30 days: gross 3 420,00; retirement 180,00; CSG 30 × 6,94431 = 208,33;
    # CRDS 30 × 0,560025 = 16,80; net 3 014,87.
    facts = claim(contract(date(2024, 9, 4), date(2025, 6, 30), 6000))
    rights = compute_rights(facts)
    assert rights.reference_wage == 200
    month = monthly_allowance(facts, rights, AUG_2025, indemnified_days_before=24)
    assert (month.gross, month.retirement_contribution, month.csg, month.crds, month.net) == (
        Decimal("3420.00"),
        Decimal("180.00"),
        Decimal("208.33"),
        Decimal("16.80"),
        Decimal("3014.87"),
    )
    alsace = monthly_allowance(replace(facts, alsace_moselle=True), rights, AUG_2025, indemnified_days_before=24)
    assert alsace.alsace_moselle_contribution == Decimal("51.30")
    assert alsace.net == Decimal("2963.57")
    # The daily view the bot reads out.
    day = daily_net(facts, rights, rights.daily_allowance, AUG_2025)
    assert (day.gross, day.net) == (Decimal("114.00"), Decimal("100.50"))
    assert detail(day.explanation[-1]) == "114,00 € brut, soit 100,50 € net par jour."


def test_part_timers_are_floored_at_their_own_pro_rata_minimum():
    # Half-time (ratio 0,5): minimum 32,13 × 0,5 = 16,065 €. AJ 21,20 €, SJR 36,16 €: the whole
    # 3 % × 36,16 = 1,0848 € is taken (21,20 − 1,08 stays above 16,065); with the full-time
    # minimum it would not be taken at all. At 16,07 € only the 0,005 € above the floor is taken.
    on = date(2026, 11, 1)
    half = minimum_daily_allowance(on, Decimal("0.5"))
    assert half == Decimal("16.065")
    assert daily_deductions(Decimal("21.20"), Decimal("36.16"), half, on).retirement == Decimal("1.0848")
    assert daily_deductions(Decimal("16.07"), Decimal("36.16"), half, on).retirement == Decimal("0.005")


def test_the_month_net_is_rounded_once():
    # AJ 73,08 €, SJR 128,22 €, Alsace-Moselle, 30 days of November 2026: deductions in full
    # precision 115,398 + 133,550046 + 10,770165 + 32,886 = 292,604211 €, net 2 192,40 − that
    # = 1 899,795789 -> 1 899,80 € (rounding each deduction first gave 1 899,79 €). The parts
    # shown (115,40 + 133,55 + 10,77 + 32,88 = 292,60) add up to gross − net.
    on = date(2026, 11, 1)
    day = daily_deductions(Decimal("73.08"), Decimal("128.22"), minimum_daily_allowance(on), on, alsace_moselle=True)
    gross, net, parts = net_of(
        30 * day.gross, (30 * day.retirement, 30 * day.csg, 30 * day.crds, 30 * day.alsace_moselle)
    )
    assert (gross, net) == (Decimal("2192.40"), Decimal("1899.80"))
    assert sum(parts) == gross - net == Decimal("292.60")
    assert parts == (Decimal("115.40"), Decimal("133.55"), Decimal("10.77"), Decimal("32.88"))
