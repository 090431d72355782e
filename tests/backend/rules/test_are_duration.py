"""§3 — Eligibility (130 days / 910 hours, seasonal 108 / 758) and duration of rights."""

from datetime import date
from decimal import Decimal

import pytest
from are_builders import contract

from bot.backend.rules import check_eligibility, max_duration, reference_period, rights_duration
from bot.backend.rules.duration import worked_days
from bot.backend.wording import detail, label

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.mark.parametrize(
    ("divisor", "expected"),
    [
        (365, 274),  # 365 × 0,75 = 273,75 -> 274
        (730, 548),  # 547,5 -> 548, the published maximum under 55
        (243, 183),  # 182,25 -> 183
        (242, 182),  # 181,5 -> 182
        (200, 182),  # 150 -> minimum 182 (the 0.75 does not cut the minimum)
        (130, 182),
        (900, 548),  # 675 -> maximum 548 under 55
    ],
)
def test_duration_is_divisor_times_075_rounded_up_within_bounds(divisor, expected):
    assert rights_duration(divisor, 40, date(2025, 6, 30)).days == expected


@pytest.mark.parametrize(
    ("end", "age", "maximum"),
    [
        # From 1 Apr 2025: < 55: 548; 55–56: 685; ≥ 57: 822.
        (date(2025, 4, 1), 54, 548),
        (date(2025, 4, 1), 55, 685),
        (date(2025, 4, 1), 56, 685),
        (date(2025, 4, 1), 57, 822),
        # Before 1 Apr 2025: < 53: 548; 53–54: 685; ≥ 55: 822.
        (date(2025, 3, 31), 52, 548),
        (date(2025, 3, 31), 53, 685),
        (date(2025, 3, 31), 54, 685),
        (date(2025, 3, 31), 55, 822),
        (date(2025, 3, 31), 57, 822),
    ],
)
def test_maximum_duration_by_age_band_and_regime(end, age, maximum):
    assert max_duration(age, end) == maximum
    # 1 095 days × 0,75 = 821,25 -> 822, then the band maximum.
    assert rights_duration(1095, age, end).days == maximum


def test_duration_explains_minimum_and_maximum():
    short = rights_duration(200, 40, date(2025, 6, 30))
    assert [label(s) for s in short.explanation] == [
        "Durée calculée",
        "Durée minimale",
        "Durée de vos droits",
    ]
    assert detail(short.explanation[-1]) == "182 jours d'indemnisation."
    long = rights_duration(1095, 55, date(2025, 6, 30))
    assert "À 55 ans" in detail(long.explanation[1])


def _eligibility(*contracts, seasonal=False):
    end = max(c.end for c in contracts)
    return check_eligibility(tuple(contracts), reference_period(end, 40), end, seasonal)


def test_six_months_full_time_is_eligible():
    # 1 Jan 2025 (Wednesday) – 30 Jun 2025: week 1 Wed–Sun = 5, 25 full weeks = 125,
    # Monday 30 June = 1 -> 131 worked days >= 130.
    result = _eligibility(contract(date(2025, 1, 1), date(2025, 6, 30)))
    assert result.worked_days == 131
    assert result.eligible


def test_130_days_threshold_exactly():
    # To Friday 27 June: 5 + 24 weeks × 5 + 5 = 130 -> eligible; to Thursday 26: 129.
    assert _eligibility(contract(date(2025, 1, 1), date(2025, 6, 27))).worked_days == 130
    assert _eligibility(contract(date(2025, 1, 1), date(2025, 6, 27))).eligible
    missing = _eligibility(contract(date(2025, 1, 1), date(2025, 6, 26)))
    assert missing.worked_days == 129
    assert not missing.eligible
    assert "130" in detail(missing.explanation[0])


def test_910_hours_alternative():
    # 129 worked days but 910 hours declared on the contract -> eligible.
    assert _eligibility(contract(date(2025, 1, 1), date(2025, 6, 26), hours=910)).eligible
    assert not _eligibility(contract(date(2025, 1, 1), date(2025, 6, 26), hours=909)).eligible


def test_seasonal_worker_108_days_from_april_2025():
    # Monday 6 Jan – Wednesday 4 Jun 2025: 21 weeks × 5 + 3 = 108 days.
    job = contract(date(2025, 1, 6), date(2025, 6, 4))
    assert _eligibility(job).worked_days == 108
    assert _eligibility(job, seasonal=True).eligible
    assert not _eligibility(job, seasonal=False).eligible


def test_seasonal_rule_not_before_april_2025():
    # Monday 7 Oct 2024 – Wednesday 5 Mar 2025: also 108 days, but the contract ended
    # before 1 Apr 2025, so the seasonal worker still needs 130 days.
    job = contract(date(2024, 10, 7), date(2025, 3, 5))
    assert _eligibility(job).worked_days == 108
    assert not _eligibility(job, seasonal=True).eligible


def test_seasonal_758_hours():
    job = contract(date(2025, 3, 3), date(2025, 6, 4), hours=758)
    assert _eligibility(job, seasonal=True).eligible
    assert not _eligibility(job, seasonal=False).eligible


def test_worked_days_count_at_most_five_per_week_across_contracts():
    # Two overlapping contracts over the same Monday–Sunday week still give 5 days.
    days = {date(2025, 6, 2 + i) for i in range(7)}
    assert worked_days(days, date(2025, 6, 30)) == 5


def test_hours_outside_the_period_count_pro_rata():
    # 3 000 hours over 1 Jul 2021 – 30 Jun 2024 (1 096 days); the period from 1 Jul 2022
    # holds 731 of those days -> floor(3 000 × 731 / 1 096 = 2 000,9) = 2 000 hours.
    job = contract(date(2021, 7, 1), date(2024, 6, 30), hours=3000)
    result = check_eligibility((job,), reference_period(date(2024, 6, 30), 40), date(2024, 6, 30))
    assert result.hours == 2000
    assert result.hours < Decimal(3000)
