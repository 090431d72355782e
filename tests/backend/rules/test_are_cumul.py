"""§7 — Working while on ARE: days paid, rounding, ceiling, days pushed back."""

from datetime import date
from decimal import Decimal

import pytest
from are_builders import claim, contract, projection

from bot.backend.rules import compute_cumul, compute_rights, monthly_allowance
from bot.backend.wording import detail, label

pytestmark = pytest.mark.unit  # the fast loop: make unit


def _claim_3000():
    # 3 000 € a month, 1 Jul 2024 – 30 Jun 2025: SJR 98,630137 €, AJ 56,22 €, 274 days.
    facts = claim(contract(date(2024, 7, 1), date(2025, 6, 30), 3000))
    return facts, compute_rights(facts)


def test_worked_example_august_2025():
    # §7: (30 × 56,22 − 70 % × 1 000) / 56,22 = (1 686,60 − 700) / 56,22 = 17,55 -> 18 days;
    # 18 × 56,22 = 1 011,96 €; 12 days not paid.
    facts, rights = _claim_3000()
    month = monthly_allowance(facts, rights, date(2025, 8, 1), Decimal(1000), 24)
    assert (month.days_payable, month.days_paid, month.unpaid_days) == (30, 18, 12)
    assert month.gross == Decimal("1011.96")
    assert not month.capped_by_reference_wage
    text = [detail(s) for s in month.explanation if label(s) == "Reprise d'activité"][0]
    assert "(1 686,60 € − 70 % × 1 000,00 €) / 56,22 € = 17,55" in text


def _flat(aj):
    return lambda days: days * Decimal(aj)


def test_days_rounded_to_the_nearest_half_up():
    # (30 × 140 − 0,7 × 500) / 140 = 3 850 / 140 = 27,5 -> 28 days.
    result = compute_cumul(30, _flat(140), Decimal(140), Decimal(500), Decimal(1000), date(2025, 8, 1))
    assert result.days_paid == 28


def test_ceiling_sjr_times_30_from_april_2025_is_flagged_unconfirmed():
    # SJR 40, AJ 30: (900 − 770) / 30 = 4,33 -> 4 days; 120 + 1 100 = 1 220 > 40 × 30 =
    # 1 200 -> 3 days (90 + 1 100 = 1 190).
    result = compute_cumul(30, _flat(30), Decimal(30), Decimal(1100), Decimal(40), date(2025, 7, 1))
    assert (result.formula_days, result.days_paid) == (4, 3)
    assert result.capped_by_reference_wage
    assert result.ceiling == Decimal(1200)
    assert "pas encore confirmée" in detail(result.explanation[1])


def test_ceiling_sjr_times_3042_before_april_2025():
    # March 2025, 31 days: (930 − 770) / 30 = 5,33 -> 5; ceiling 40 × 30,42 = 1 216,80:
    # 150 + 1 100 and 120 + 1 100 exceed it, 90 + 1 100 = 1 190 fits -> 3 days.
    result = compute_cumul(31, _flat(30), Decimal(30), Decimal(1100), Decimal(40), date(2025, 3, 1))
    assert (result.formula_days, result.days_paid) == (5, 3)
    assert result.ceiling == Decimal("1216.80")
    assert "confirmée" not in detail(result.explanation[1])


def test_high_earnings_mean_no_day_paid():
    facts, rights = _claim_3000()
    month = monthly_allowance(facts, rights, date(2025, 8, 1), Decimal(5000), 24)
    assert (month.days_paid, month.unpaid_days, month.gross, month.net) == (
        0,
        30,
        0,
        0,
    )


def test_no_earnings_all_payable_days_paid():
    facts, rights = _claim_3000()
    month = monthly_allowance(facts, rights, date(2025, 8, 1), Decimal(0), 24)
    assert month.days_paid == month.days_payable == 30
    assert not any(label(s) == "Plafond du cumul" for s in month.explanation)


def test_unpaid_days_push_back_the_end_of_rights():
    # Without work the rights end on 10 Apr 2026 (10 days of April left). 12 unpaid days
    # in August 2025 leave 22 days for April -> 22 Apr 2026.
    facts, rights = _claim_3000()
    assert projection(facts, rights).end_date == date(2026, 4, 10) == rights.end_date
    worked = projection(facts, rights, {date(2025, 8, 1): Decimal(1000)})
    assert worked.end_date == date(2026, 4, 22)
    assert sum(m.used_days for m in worked.months) == rights.duration_days
