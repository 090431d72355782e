"""§2 — Gross daily allowance (AJ): formula branches, minimum, cap, revaluation, part-time."""

from datetime import date
from decimal import Decimal

import pytest

from bot.backend.rules import AllowanceRule, compute_daily_allowance, minimum_daily_allowance
from bot.backend.wording import detail, label

pytestmark = pytest.mark.unit  # the fast loop: make unit

JULY_2025 = date(2025, 7, 1)


@pytest.mark.parametrize(
    ("sjr", "expected", "rule"),
    [
        # 40,4 % × 80 + 13,18 = 45,50 < 57 % × 80 = 45,60 -> 45,60.
        ("80", "45.60", AllowanceRule.ALTERNATIVE),
        # 40,4 % × 60 + 13,18 = 37,42 > 57 % × 60 = 34,20 -> 37,42.
        ("60", "37.42", AllowanceRule.VARIABLE),
        # 40,4 % × 45 + 13,18 = 31,36 < minimum 32,13 (cap 33,75) -> 32,13.
        ("45", "32.13", AllowanceRule.MINIMUM),
        # 40,4 % × 40 + 13,18 = 29,34 -> minimum 32,13 -> cap 75 % × 40 = 30,00.
        ("40", "30.00", AllowanceRule.CAP),
        # 57 % × 200 = 114,00 (40,4 % × 200 + 13,18 = 93,98).
        ("200", "114.00", AllowanceRule.ALTERNATIVE),
    ],
)
def test_formula_branches_on_1_july_2025(sjr, expected, rule):
    result = compute_daily_allowance(Decimal(sjr), JULY_2025)
    assert result.amount == Decimal(expected)
    assert result.rule is rule


def test_minimum_on_30_june_vs_1_july_2025():
    # SJR 44: 40,4 % × 44 = 17,776. 30 Jun 2025: 17,776 + 13,11 = 30,886 -> minimum 31,97.
    # 1 Jul 2025: 17,776 + 13,18 = 30,956 -> minimum 32,13 (cap 33,00 not reached).
    assert compute_daily_allowance(Decimal(44), date(2025, 6, 30)).amount == Decimal("31.97")
    assert compute_daily_allowance(Decimal(44), date(2025, 7, 1)).amount == Decimal("32.13")


def test_july_revaluation_of_the_fixed_part():
    # SJR 60: 24,24 + 13,11 = 37,35 in June 2025, 24,24 + 13,18 = 37,42 in July 2025.
    assert compute_daily_allowance(Decimal(60), date(2025, 6, 1)).amount == Decimal("37.35")
    assert compute_daily_allowance(Decimal(60), date(2025, 7, 1)).amount == Decimal("37.42")
    # Older rows of the table: 1 Apr 2023 fixed part 12,71 -> 24,24 + 12,71 = 36,95.
    assert compute_daily_allowance(Decimal(60), date(2023, 4, 1)).amount == Decimal("36.95")


def test_no_2026_revaluation_yet():
    # §2: "No value is known yet for July 2026": the 2025 row stays in force.
    assert compute_daily_allowance(Decimal(60), date(2026, 7, 1)).amount == Decimal("37.42")


def test_part_time_reduces_fixed_part_and_minimum_pro_rata():
    # Half-time, SJR 30: 40,4 % × 30 + 13,18 × 0,5 = 12,12 + 6,59 = 18,71 (> 57 % = 17,10;
    # minimum 16,065; cap 22,50). Full time it would be capped at 22,50.
    half = compute_daily_allowance(Decimal(30), JULY_2025, Decimal("0.5"))
    assert half.amount == Decimal("18.71")
    assert half.fixed_part == Decimal("6.59")
    assert "temps partiel" in detail(half.explanation[0])
    assert compute_daily_allowance(Decimal(30), JULY_2025).amount == Decimal("22.50")


def test_part_time_minimum_rounds_half_up_at_the_end():
    # Half-time, SJR 22: 8,888 + 6,59 = 15,478 < minimum 32,13 × 0,5 = 16,065 (cap 16,50)
    # -> 16,065 rounded half up = 16,07.
    result = compute_daily_allowance(Decimal(22), JULY_2025, Decimal("0.5"))
    assert result.rule is AllowanceRule.MINIMUM
    assert result.amount == Decimal("16.07")


def test_training_uses_the_aref_minimum():
    # SJR 44 on 1 Jul 2025: formula 30,956 € is above the AREF minimum 22,99 € but
    # below the ARE minimum 32,13 €.
    assert compute_daily_allowance(Decimal(44), JULY_2025, in_training=True).amount == Decimal("30.96")
    assert minimum_daily_allowance(JULY_2025, in_training=True) == Decimal("22.99")


def test_explanation_gives_the_arithmetic():
    steps = compute_daily_allowance(Decimal(80), JULY_2025).explanation
    assert detail(steps[0]).startswith("40,4 % × 80,00 € + 13,18 € = 45,50 € ; 57 % × 80,00 €")
    assert detail(steps[-1]).startswith("45,60 € par jour")
    cap = compute_daily_allowance(Decimal(40), JULY_2025).explanation
    assert any(label(s) == "Plafond" and "30,00 €" in detail(s) for s in cap)
