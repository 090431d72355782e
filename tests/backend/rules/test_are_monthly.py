"""§6 — Monthly basis (30 days from April 2025), end of rights, declaration, payment date."""

from datetime import date
from decimal import Decimal

import pytest
from are_builders import claim, contract

from bot.backend.rules import (
    DeclarationStatus,
    compute_rights,
    declaration_status,
    declaration_window,
    monthly_allowance,
    payable_days,
    payment_dates,
    rights_end_date,
)
from bot.backend.wording import detail

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.mark.parametrize(
    ("month", "first_paid", "remaining", "expected"),
    [
        (date(2025, 7, 1), date(2025, 7, 8), 500, 24),  # 8–31 July: partial month, real days
        (date(2025, 8, 1), date(2025, 7, 8), 500, 30),  # 31-day month paid 30 days
        (date(2026, 2, 1), date(2025, 7, 8), 500, 30),  # February paid 30 days from 2025
        (date(2025, 4, 1), date(2025, 1, 8), 500, 30),  # first month of the new basis
        (date(2025, 2, 1), date(2025, 1, 8), 500, 28),  # before April 2025: 28 days
        (date(2025, 3, 1), date(2025, 1, 8), 500, 31),  # before April 2025: 31 days
        (date(2025, 1, 1), date(2025, 1, 8), 500, 24),  # partial month before the reform
        (date(2026, 2, 1), date(2026, 2, 15), 500, 14),  # 15–28 February
        (date(2025, 8, 1), date(2025, 7, 8), 10, 10),  # last days of the rights
        (date(2026, 2, 1), date(2025, 7, 8), 29, 29),  # whole February, 29 days left
        (date(2025, 6, 1), date(2025, 7, 8), 500, 0),  # before the first paid day
        (date(2025, 8, 1), date(2025, 7, 8), 0, 0),  # rights exhausted
    ],
)
def test_payable_days(month, first_paid, remaining, expected):
    assert payable_days(month, first_paid, remaining).days == expected


def test_end_of_rights_with_30_day_months():
    # 274 days from 8 Jul 2025: July 24 days, Aug–Mar 8 × 30 = 240 (264), then 10 days
    # of April -> 10 Apr 2026 (the 31st of long months are not consumed).
    assert rights_end_date(date(2025, 7, 8), 274) == date(2026, 4, 10)


def test_end_of_rights_before_april_2025_is_calendar():
    # 182 days from 8 Jul 2024, calendar months: 24+31+30+31+30+31 = 177, +5 -> 5 Jan 2025
    # (= 8 Jul 2024 + 181 days).
    assert rights_end_date(date(2024, 7, 8), 182) == date(2025, 1, 5)


def test_end_of_rights_across_the_reform():
    # 182 days from 1 Feb 2025: Feb 28 + Mar 31 = 59 (calendar), Apr–Jul 4 × 30 = 120
    # (179), 3 days of August -> 3 Aug 2025.
    assert rights_end_date(date(2025, 2, 1), 182) == date(2025, 8, 3)


def test_february_before_and_after_april_2025():
    # 36 000 € × 2 over 1 Jan 2023 – 31 Dec 2024 (731 days): SJR 98,495212 €;
    # AJ = 57 % × SJR = 56,14 €. February 2025: 28 × 56,14 = 1 571,92 €;
    # February 2026: 30 × 56,14 = 1 684,20 € (days before: 24+28+31+10 × 30 = 383).
    facts = claim(contract(date(2023, 1, 1), date(2024, 12, 31), 3000))
    rights = compute_rights(facts)
    assert rights.first_paid_day == date(2025, 1, 8)
    feb_2025 = monthly_allowance(facts, rights, date(2025, 2, 1), indemnified_days_before=24)
    feb_2026 = monthly_allowance(facts, rights, date(2026, 2, 1), indemnified_days_before=383)
    assert (feb_2025.days_payable, feb_2025.gross) == (28, Decimal("1571.92"))
    assert (feb_2026.days_payable, feb_2026.gross) == (30, Decimal("1684.20"))
    assert "avant avril 2025" in detail(feb_2025.explanation[1])


def test_declaration_window():
    cases = [
        (date(2025, 7, 1), date(2025, 7, 28), date(2025, 8, 15)),
        (date(2025, 2, 1), date(2025, 2, 26), date(2025, 3, 15)),  # 26th in February
        (date(2025, 12, 1), date(2025, 12, 28), date(2026, 1, 15)),
    ]
    for month, opens, closes in cases:
        window = declaration_window(month)
        assert (window.opens, window.closes) == (opens, closes)


def test_declaration_status():
    july = date(2025, 7, 1)
    assert declaration_status(july, None, date(2025, 7, 27)) is DeclarationStatus.NOT_OPEN
    assert declaration_status(july, None, date(2025, 8, 15)) is DeclarationStatus.OPEN
    assert declaration_status(july, None, date(2025, 8, 16)) is DeclarationStatus.MISSING
    assert declaration_status(july, date(2025, 8, 15), date(2025, 9, 1)) is DeclarationStatus.ON_TIME
    assert declaration_status(july, date(2025, 8, 16), date(2025, 9, 1)) is DeclarationStatus.LATE
    with pytest.raises(ValueError):
        declaration_status(july, date(2025, 7, 20), date(2025, 9, 1))


def test_payment_never_before_the_next_month():
    # Declared Monday 28 Jul 2025: + 3 working days = Thursday 31 July, but July is
    # paid from Friday 1 August; at most + 5 working days = Monday 4 August.
    dates = payment_dates(date(2025, 7, 1), date(2025, 7, 28))
    assert (dates.expected, dates.latest) == (date(2025, 8, 1), date(2025, 8, 4))
    assert "entre le 1er et le 4" in detail(dates.explanation[0])


def test_payment_skips_public_holidays():
    # Declared Sunday 10 Aug 2025: 11, 12, 13 -> 13 August expected; 14, then Friday
    # 15 August is a public holiday -> latest Monday 18 August.
    dates = payment_dates(date(2025, 7, 1), date(2025, 8, 10))
    assert (dates.expected, dates.latest) == (date(2025, 8, 13), date(2025, 8, 18))


@pytest.mark.parametrize(
    ("month", "first_paid", "remaining", "suspended"),
    [
        (date(2025, 8, 1), date(2025, 7, 8), 500, ()),  # a whole 31-day month: the 31st is not paid
        (date(2026, 2, 1), date(2025, 7, 8), 500, ()),  # February paid 30 days on 28
        (date(2025, 7, 1), date(2025, 7, 8), 500, ()),  # the first month, from the 8th
        (date(2025, 9, 1), date(2025, 7, 8), 500, ((date(2025, 9, 10), date(2025, 9, 20)),)),
    ],
)
def test_paid_days_have_their_calendar_day(month, first_paid, remaining, suspended):
    payable = payable_days(month, first_paid, remaining, suspended)
    dates = payable.paid_dates(payable.days)
    assert dates == tuple(payable.paid_day_date(k) for k in range(1, payable.days + 1))
    assert all(d.month == month.month for d in dates) and list(dates) == sorted(dates)
    assert not any(start <= d <= end for start, end in suspended for d in dates)
    if payable.whole_month:
        assert dates[:28] == tuple(date(month.year, month.month, k) for k in range(1, 29))
