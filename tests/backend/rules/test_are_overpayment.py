"""§9 — Overpayments: 77 € threshold, 2 months to contest, limitation, instalments, withholding."""

from datetime import date
from decimal import Decimal

import pytest

from bot.backend.rules import overpayment_recovery, seizable_part

pytestmark = pytest.mark.unit  # the fast loop: make unit

NOTIFIED = date(2025, 9, 10)


def test_under_77_euros_nothing_is_recovered():
    below = overpayment_recovery(Decimal("76.99"), NOTIFIED, Decimal(1200))
    assert not below.recoverable and below.instalments == ()
    assert "77,00 €" in below.explanation[-1].detail
    assert overpayment_recovery(Decimal("77.00"), NOTIFIED, Decimal(1200)).recoverable


def test_contest_deadline_is_two_months_after_notification():
    assert overpayment_recovery(Decimal(500), NOTIFIED, Decimal(1200)).contest_deadline == date(2025, 11, 10)
    # 31 December + 2 months -> last day of February.
    late = overpayment_recovery(Decimal(500), date(2025, 12, 31), Decimal(1200))
    assert late.contest_deadline == date(2026, 2, 28)


def test_limitation_three_years_ten_for_fraud():
    plain = overpayment_recovery(Decimal(500), NOTIFIED, Decimal(1200), paid_on=date(2024, 3, 5))
    assert plain.limitation_date == date(2027, 3, 5)
    fraud = overpayment_recovery(Decimal(500), NOTIFIED, Decimal(1200), paid_on=date(2024, 3, 5), fraud=True)
    assert fraud.limitation_date == date(2034, 3, 5)
    prescribed = overpayment_recovery(Decimal(500), NOTIFIED, Decimal(1200), paid_on=date(2022, 9, 9))
    assert not prescribed.recoverable
    assert prescribed.explanation[-1].label == "Prescription"


def test_seizable_part_of_a_monthly_allowance():
    # 2025 scale / 12: 370 ; 721,67 ; 1 074,17. For 1 200 €: 370/20 = 18,50;
    # 351,67/10 = 35,17; 352,50/5 = 70,50; 125,83/4 = 31,46 -> 155,625 -> 155,62.
    assert seizable_part(Decimal(1200), date(2025, 12, 1)) == Decimal("155.62")
    # 2024 scale (4 370 / 12 = 364,17): 300 € -> 15,00.
    assert seizable_part(Decimal(300), date(2024, 6, 1)) == Decimal("15.00")
    # One dependent raises every threshold by 1 720 € a year.
    assert seizable_part(Decimal(1200), date(2025, 12, 1), dependents=1) < Decimal("155.62")
    assert seizable_part(Decimal(0), date(2025, 12, 1)) == 0


def test_withholding_schedule_starts_after_the_contest_deadline():
    # 500 € at 155,62 € a month: 155,62 × 3 + 33,14, from December 2025.
    schedule = overpayment_recovery(Decimal(500), NOTIFIED, Decimal(1200))
    assert schedule.monthly_withholding_limit == Decimal("155.62")
    assert [i.month for i in schedule.instalments] == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert [i.amount for i in schedule.instalments][-1] == Decimal("33.14")
    assert schedule.total == Decimal(500)


def test_agreed_instalments_up_to_24():
    # 1 000 € / 24 = 41,666 -> 23 × 41,66 = 958,18, last 41,82.
    schedule = overpayment_recovery(Decimal(1000), NOTIFIED, Decimal(1200), instalments=24)
    amounts = [i.amount for i in schedule.instalments]
    assert len(amounts) == 24
    assert amounts[0] == Decimal("41.66") and amounts[-1] == Decimal("41.82")
    assert schedule.total == Decimal(1000)
    with pytest.raises(ValueError):
        overpayment_recovery(Decimal(1000), NOTIFIED, Decimal(1200), instalments=25)


def test_small_seizable_part_lists_24_months_and_the_balance():
    # 100 € net a month: 100 / 20 = 5,00 € a month; 24 × 5 = 120 € of 500 €, 380 € left.
    schedule = overpayment_recovery(Decimal(500), NOTIFIED, Decimal(100))
    assert len(schedule.instalments) == 24
    assert schedule.balance_after_plan == Decimal(380)
    assert schedule.explanation[-1].label == "Reste à rembourser"


def test_no_allowance_to_withhold_from():
    schedule = overpayment_recovery(Decimal(500), NOTIFIED, Decimal(0))
    assert schedule.recoverable and schedule.instalments == ()
    assert "rembourser directement" in schedule.explanation[-1].detail
