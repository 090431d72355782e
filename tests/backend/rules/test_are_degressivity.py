"""§4 — Dégressivité: threshold, floor, age limits, day 183, training."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from are_builders import born_aged, claim, contract, projection

from bot.backend.rules import (
    age_condition,
    compute_rights,
    monthly_allowance,
    reduced_daily_allowance,
)
from bot.backend.wording import detail

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
    assert age_condition(age, end) is applies
    facts = claim(contract(end.replace(year=end.year - 1), end, 9000), birth=born_aged(age, end))
    timeline = projection(facts)
    assert (timeline.degressivity is not None) is applies
    if not applies:
        assert f"{age} ans" in detail(timeline.explanation[1])


def test_rights_ending_before_day_183_are_never_reduced():
    # Six months at 9 000 €: 136 days computed, raised to the 182-day minimum.
    facts = claim(contract(date(2025, 1, 1), date(2025, 6, 30), 9000))
    timeline = projection(facts)
    assert timeline.rights.duration_days == 182
    assert timeline.degressivity is None
    assert all(m.allowance.reduced_rate_days == 0 for m in timeline.months)
    assert "182 jours" in detail(timeline.explanation[1])


def _high_earner(**kwargs):
    # 9 000 € a month for a year: SJR = 108 000 / 365 = 295,890411 €;
    # AJ = 57 % × SJR = 168,657534 -> 168,66 €; reduced 168,66 × 0,7 = 118,062 -> 118,06 €.
    facts = claim(contract(date(2024, 7, 1), date(2025, 6, 30), 9000), **kwargs)
    return facts, compute_rights(facts)


def test_the_dégressivité_date_is_the_first_day_paid_at_the_reduced_rate():
    # First paid day 8 Jul 2025: July 24 days, Aug–Dec 5 × 30 = 150 (174); in January
    # 2026 days 175–182 are the 1st–8th, day 183 is Friday 9 January.
    facts, rights = _high_earner()
    assert rights.daily_allowance == Decimal("168.66")
    timeline = projection(facts, rights)
    start = timeline.degressivity
    assert start is not None
    assert (start.on, start.reduced, start.threshold) == (date(2026, 1, 9), Decimal("118.06"), Decimal("92.57"))
    january = timeline.month(date(2026, 1, 1)).allowance
    assert (january.full_rate_days, january.reduced_rate_days, january.reduced_from) == (8, 22, date(2026, 1, 9))
    text = detail(timeline.explanation[1])
    assert "183e jour" in text and "vendredi 9 janvier 2026" in text and "118,06 €" in text


def test_the_threshold_is_the_one_in_force_on_day_183():
    # SJR ≈ 161,86 €: AJ 92,26 € on the first paid day, 8 Jan 2025, above the 92,11 € threshold
    # then in force; day 183 falls on 10 July 2025, when the threshold is 92,57 €: never reduced.
    facts = claim(contract(date(2023, 1, 1), date(2024, 12, 31), 4930))
    timeline = projection(facts)
    assert timeline.rights.daily_allowance == Decimal("92.26")
    assert timeline.degressivity is None
    assert all(m.allowance.reduced_rate_days == 0 for m in timeline.months)
    text = detail(timeline.explanation[1])
    assert "92,57 €" in text and "jeudi 10 juillet 2025" in text and "n'est pas réduite" in text


def test_a_reduction_starting_before_july_is_floored_at_that_day_s_threshold():
    # The same AJ with day 183 on 9 Mar 2025: floored at 92,11 € (threshold that day); from
    # July 2025 the threshold of 92,57 € is above the AJ, and the month is paid at the full rate.
    facts = claim(contract(date(2022, 9, 1), date(2024, 8, 31), 4930))
    timeline = projection(facts)
    start = timeline.degressivity
    assert start is not None
    assert (start.on, start.reduced, start.threshold) == (date(2025, 3, 9), Decimal("92.11"), Decimal("92.11"))
    assert timeline.month(date(2025, 6, 1)).allowance.reduced_rate_days == 30
    assert timeline.month(date(2025, 7, 1)).allowance.reduced_rate_days == 0


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
    assert not rights.degressivity_age_condition
    assert projection(facts, rights).degressivity is None
    month = monthly_allowance(facts, rights, date(2026, 2, 1), indemnified_days_before=300)
    assert month.reduced_rate_days == 0
