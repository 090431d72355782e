"""§1 — Daily reference wage (SJR): period, divisor, wages, worked examples."""

from datetime import date
from decimal import Decimal

import pytest
from are_builders import contract

from bot.backend.rules import (
    Contract,
    MonthlyWage,
    compute_reference_wage,
    reference_period,
)
from bot.backend.wording import detail, label

pytestmark = pytest.mark.unit  # the fast loop: make unit


def test_one_year_full_time_worked_example():
    # §1: 12 × 3 000 € = 36 000 € over 365 contract days (1 Jul 2024 – 30 Jun 2025),
    # no non-worked day -> SJR = 36 000 / 365 = 98,630137 €.
    ref = compute_reference_wage((contract(date(2024, 7, 1), date(2025, 6, 30), 3000),), date(2025, 6, 30), 40)
    assert ref.divisor_days == 365
    assert ref.wages == Decimal(36000)
    assert ref.amount == Decimal(36000) / 365
    assert ref.amount_cents == Decimal("98.63")


def test_explanation_reads_like_a_counsellor():
    # §1: 10 months × 2 400 € = 24 000 € for 4 Sep 2024 – 30 Jun 2025 = 300 days
    # (27 + 31 + 30 + 31 + 31 + 28 + 31 + 30 + 31 + 30) -> 80,00 €.
    ref = compute_reference_wage((contract(date(2024, 9, 4), date(2025, 6, 30), 2400),), date(2025, 6, 30), 30)
    assert ref.divisor_days == 300
    assert ref.amount == Decimal(80)
    last = ref.explanation[-1]
    assert label(last) == "Salaire journalier de référence"
    assert detail(last) == "24 000,00 € de salaires / 300 jours = 80,00 €"


def test_reference_period():
    cases = [
        # §1: 24 months; 36 from 55 for contract ends from 1 Apr 2025, from 53 before.
        (date(2025, 6, 30), 54, 24, date(2023, 7, 1)),
        (date(2025, 6, 30), 55, 36, date(2022, 7, 1)),
        (date(2025, 6, 30), 56, 36, date(2022, 7, 1)),
        (date(2025, 4, 1), 53, 24, date(2023, 4, 2)),
        (date(2025, 3, 31), 53, 36, date(2022, 4, 1)),
        (date(2025, 3, 31), 52, 24, date(2023, 4, 1)),
        # 29 February: the period starts the day after the same date 24 months earlier.
        (date(2024, 2, 29), 40, 24, date(2022, 3, 1)),
    ]
    for end, age, months, start in cases:
        period = reference_period(end, age)
        assert (period.months, period.start, period.end) == (months, start, end), (end, age)


def test_non_worked_days_capped_at_75_percent_before_april_2025():
    # §1: contracts 1 Jan – 31 Mar 2024 (91 days) and 1 Jan – 31 Mar 2025 (90 days):
    # 181 contract days; span 1 Jan 2024 – 31 Mar 2025 = 366 + 90 = 456 days, so 275
    # non-worked days, capped at floor(0.75 × 181 = 135.75) = 135 -> divisor 316.
    contracts = (
        contract(date(2024, 1, 1), date(2024, 3, 31), 2000),
        contract(date(2025, 1, 1), date(2025, 3, 31), 2000),
    )
    ref = compute_reference_wage(contracts, date(2025, 3, 31), 40)
    assert (ref.contract_days, ref.span_days, ref.non_worked_days) == (181, 456, 275)
    assert ref.non_worked_days_cap == 135
    assert ref.divisor_days == 316
    assert ref.amount == Decimal(12000) / 316
    assert "75 %" in detail(ref.explanation[1])


def test_non_worked_days_capped_at_70_percent_from_april_2025():
    # §1: same shape ending 1 Apr 2025 (second contract 2 Jan – 1 Apr 2025, 90 days):
    # 181 contract days, 276 non-worked, cap floor(0.70 × 181 = 126.7) = 126 -> 307.
    contracts = (
        contract(date(2024, 1, 1), date(2024, 3, 31), 2000),
        contract(date(2025, 1, 2), date(2025, 4, 1), 2000),
    )
    ref = compute_reference_wage(contracts, date(2025, 4, 1), 40)
    assert (ref.contract_days, ref.non_worked_days, ref.non_worked_days_cap) == (181, 276, 126)
    assert ref.divisor_days == 307
    assert "70 %" in detail(ref.explanation[1])


def test_gap_under_the_cap_is_counted_whole():
    # §1: 1 Jan – 30 Apr 2025 (120 days) and 1 Jun – 30 Jun 2025 (30 days): 31 days
    # without contract in May, under 0.70 × 150 = 105 -> divisor 181 days.
    contracts = (
        contract(date(2025, 1, 1), date(2025, 4, 30), 2000),
        contract(date(2025, 6, 1), date(2025, 6, 30), 2000),
    )
    ref = compute_reference_wage(contracts, date(2025, 6, 30), 40)
    assert (ref.contract_days, ref.non_worked_days, ref.divisor_days) == (150, 31, 181)
    assert ref.amount == Decimal(10000) / 181


def test_monthly_wages_capped_at_four_pmss_of_their_year():
    # §1: 20 000 € in Dec 2024 and Jan 2025 count 4 × 3 864 = 15 456 € and
    # 4 × 3 925 = 15 700 €: 31 156 € over 62 days.
    ref = compute_reference_wage((contract(date(2024, 12, 1), date(2025, 1, 31), 20000),), date(2025, 1, 31), 40)
    assert ref.wages == Decimal(31156)
    assert ref.capped_months == (date(2024, 12, 1), date(2025, 1, 1))
    assert ref.amount == Decimal(31156) / 62
    assert "plafond mensuel de la sécurité sociale" in detail(ref.explanation[2])


def test_two_contracts_in_one_month_share_the_ceiling():
    # §1: 10 000 € + 10 000 € in March 2025 -> one ceiling of 15 700 €.
    a = Contract(date(2025, 3, 1), date(2025, 3, 31), (MonthlyWage(date(2025, 3, 1), Decimal(10000)),))
    b = Contract(date(2025, 3, 1), date(2025, 3, 31), (MonthlyWage(date(2025, 3, 1), Decimal(10000)),))
    ref = compute_reference_wage((a, b), date(2025, 3, 31), 40)
    assert ref.wages == Decimal(15700)
    assert ref.divisor_days == 31


def test_month_straddling_the_period_start_counts_pro_rata():
    # §1: contract 1 Jun 2023 – 15 Jun 2025, period 16 Jun 2023 – 15 Jun 2025 (731 days
    # with 29 Feb 2024). June 2023: 3 000 € × 15/30 inside = 1 500 €; July 2023 – May
    # 2025: 23 × 3 000 = 69 000 €; June 2025 (1-15): 1 500 €. Total 72 000 €.
    wages = tuple(
        MonthlyWage(date(2023 + (6 + i - 1) // 12, (6 + i - 1) % 12 + 1, 1), Decimal(3000)) for i in range(24)
    ) + (MonthlyWage(date(2025, 6, 1), Decimal(1500)),)
    ref = compute_reference_wage((Contract(date(2023, 6, 1), date(2025, 6, 15), wages),), date(2025, 6, 15), 40)
    assert ref.period.start == date(2023, 6, 16)
    assert ref.divisor_days == 731
    assert ref.wages == Decimal(72000)


def test_part_time_ratio_is_averaged_over_contract_days():
    # Half-time all year -> 0.5; two half-time jobs at once count as full time.
    half = contract(date(2024, 7, 1), date(2025, 6, 30), 1500, ratio="0.5")
    assert compute_reference_wage((half,), date(2025, 6, 30), 40).working_time_ratio == Decimal("0.5")
    twin = contract(date(2024, 7, 1), date(2025, 6, 30), 1500, ratio="0.5")
    both = compute_reference_wage((half, twin), date(2025, 6, 30), 40)
    assert both.working_time_ratio == 1
    assert both.wages == Decimal(36000)


def test_contracts_outside_the_period_are_ignored():
    old = contract(date(2020, 1, 1), date(2020, 12, 31), 9000)
    recent = contract(date(2025, 1, 1), date(2025, 6, 30), 2000)
    ref = compute_reference_wage((old, recent), date(2025, 6, 30), 40)
    assert ref.wages == Decimal(12000)
    assert ref.divisor_days == 181
