"""§4 — Dégressivité: threshold, floor, age limits, day 183, training."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from are_builders import born_aged, claim, contract

from bot.backend.rules import (
    compute_degressivity,
    compute_rights,
    monthly_allowance,
    reduced_daily_allowance,
)

pytestmark = pytest.mark.unit  # the fast loop: make unit

JULY_2025 = date(2025, 7, 1)


@pytest.mark.parametrize(
    ("aj", "on", "expected"),
    [
        ("150.00", JULY_2025, "105.00"),  # 150 × 0,7 = 105,00 above the floor
        ("120.00", JULY_2025, "92.57"),  # 120 × 0,7 = 84,00 -> floor 92,57
        ("92.58", JULY_2025, "92.57"),  # just above the threshold -> floor
        ("92.57", JULY_2025, None),  # at the threshold: not reduced
        ("131.33", JULY_2025, "92.57"),  # 91,931 -> floor
        ("133.33", JULY_2025, "93.33"),  # 93,331 -> 93,33
        # Threshold 92,11 until 30 Jun 2025, 92,57 from 1 Jul 2025.
        ("92.30", date(2025, 6, 30), "92.11"),
        ("92.30", date(2025, 7, 1), None),
    ],
)
def test_reduced_allowance_and_floor(aj, on, expected):
    result = reduced_daily_allowance(Decimal(aj), on)
    assert result == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize(
    ("end", "age", "applies"),
    [
        # From 1 Apr 2025: under 55 only.
        (date(2025, 4, 1), 54, True),
        (date(2025, 4, 1), 55, False),
        (date(2025, 4, 1), 56, False),
        # Before 1 Apr 2025: under 57.
        (date(2025, 3, 31), 56, True),
        (date(2025, 3, 31), 57, False),
    ],
)
def test_age_limit_depends_on_the_contract_end(end, age, applies):
    result = compute_degressivity(Decimal(150), age, end, JULY_2025, 548)
    assert result.applies is applies
    assert result.age_condition is applies
    if not applies:
        assert "ans" in result.explanation[0].detail


def test_rights_ending_before_day_183_are_never_reduced():
    assert not compute_degressivity(Decimal(150), 40, JULY_2025, JULY_2025, 182).applies
    assert compute_degressivity(Decimal(150), 40, JULY_2025, JULY_2025, 183).applies


def _high_earner(**kwargs):
    # 9 000 € a month for a year: SJR = 108 000 / 365 = 295,890411 €;
    # AJ = 57 % × SJR = 168,657534 -> 168,66 €; reduced 168,66 × 0,7 = 118,062 -> 118,06 €.
    facts = claim(contract(date(2024, 7, 1), date(2025, 6, 30), 9000), **kwargs)
    return facts, compute_rights(facts)


def test_high_earner_rights_announce_the_reduction():
    _, rights = _high_earner()
    assert rights.daily_allowance == Decimal("168.66")
    assert rights.degressivity_applies
    assert rights.reduced_daily_allowance == Decimal("118.06")
    text = [s.detail for s in rights.explanation if s.label == "Dégressivité"][0]
    assert "183e jour" in text and "118,06 €" in text


def test_month_in_which_day_183_falls_is_split():
    # 170 days paid before: days 171–182 at the full rate (12 days), 183–200 reduced
    # (18 days): 12 × 168,66 + 18 × 118,06 = 2 023,92 + 2 125,08 = 4 149,00 €.
    facts, rights = _high_earner()
    month = monthly_allowance(facts, rights, date(2026, 1, 1), indemnified_days_before=170)
    assert (month.full_rate_days, month.reduced_rate_days) == (12, 18)
    assert month.gross == Decimal("4149.00")
    assert month.daily_allowance == Decimal("168.66")


def test_after_day_183_the_whole_month_is_reduced():
    # 30 × 118,06 = 3 541,80 €.
    facts, rights = _high_earner()
    month = monthly_allowance(facts, rights, date(2026, 2, 1), indemnified_days_before=182)
    assert month.daily_allowance == Decimal("118.06")
    assert month.gross == Decimal("3541.80")


def test_training_days_do_not_count_and_are_not_reduced():
    facts, rights = _high_earner()
    training = replace(facts, in_training=True)
    month = monthly_allowance(training, rights, date(2026, 2, 1), indemnified_days_before=200)
    assert month.reduced_rate_days == 0
    assert month.gross == 30 * Decimal("168.66")
    # Days in training excluded from the count: 150 counted out of 200 consumed.
    later = monthly_allowance(
        facts, rights, date(2026, 2, 1), indemnified_days_before=200, degressivity_days_before=150
    )
    assert later.full_rate_days == 30


def test_claimant_aged_55_is_not_reduced_from_april_2025():
    facts, rights = _high_earner(birth=born_aged(55, date(2025, 6, 30)))
    assert rights.age_at_contract_end == 55
    assert not rights.degressivity_applies
    month = monthly_allowance(facts, rights, date(2026, 2, 1), indemnified_days_before=300)
    assert month.reduced_rate_days == 0
