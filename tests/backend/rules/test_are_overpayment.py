"""§9 — Overpayments: 77 € threshold on the notified amount, 2 months to contest, limitation,
withholding said as applied, seizable part with its history, instalments."""

from datetime import date
from decimal import Decimal

import pytest

from bot.backend.rules import Instalment, ParameterNotFound, overpayment_status, seizable_part
from bot.backend.wording import as_text, detail, label

pytestmark = pytest.mark.unit  # the fast loop: make unit

NOTIFIED = date(2025, 9, 10)
BEFORE = date(2025, 9, 20)  # a day inside the contest period


def monthly(net: str, first: date, count: int) -> list[Instalment]:
    """``count`` payments of ``net`` on the 2nd of each month from ``first``'s month."""
    days = []
    year, month = first.year, first.month
    for _ in range(count):
        days.append(Instalment(date(year, month, 2), Decimal(net)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def test_under_77_euros_notified_nothing_is_recovered():
    below = overpayment_status(Decimal("76.99"), NOTIFIED, BEFORE, upcoming=monthly("1200", NOTIFIED, 6))
    assert not below.recoverable and below.instalments == ()
    assert below.not_recovered_because == "below_threshold"
    assert "77,00 €" in detail(below.explanation[-1])
    assert overpayment_status(Decimal("77.00"), NOTIFIED, BEFORE).recoverable


def test_the_threshold_is_on_the_notified_amount_not_on_what_remains():
    # 1 150 € notified, 1 090 € withheld: the 60 € left are still recovered.
    withheld = [Instalment(date(2026, 1, 1), Decimal("1090.00"))]
    status = overpayment_status(
        Decimal(1150), NOTIFIED, date(2026, 2, 1), withheld=withheld, upcoming=monthly("1200", date(2026, 2, 1), 3)
    )
    assert status.recoverable and status.remaining == Decimal(60)
    assert status.instalments == (Instalment(date(2026, 2, 1), Decimal(60)),)


def test_contest_deadline_is_two_months_after_notification():
    assert overpayment_status(Decimal(500), NOTIFIED, BEFORE).contest_deadline == date(2025, 11, 10)
    # 31 December + 2 months -> last day of February.
    late = overpayment_status(Decimal(500), date(2025, 12, 31), date(2026, 1, 5))
    assert late.contest_deadline == date(2026, 2, 28)


def test_after_the_deadline_the_bot_says_it_and_what_remains_possible():
    open_ = overpayment_status(Decimal(500), NOTIFIED, date(2025, 11, 10), upcoming=monthly("1200", NOTIFIED, 6))
    assert open_.can_contest
    assert "contester jusqu'au lundi 10 novembre 2025" in as_text(open_.explanation)
    closed = overpayment_status(Decimal(500), NOTIFIED, date(2025, 11, 11), upcoming=monthly("1200", NOTIFIED, 6))
    assert not closed.can_contest
    text = as_text(closed.explanation)
    assert "contester jusqu'au" not in text
    assert "a pris fin le lundi 10 novembre 2025" in text
    assert "remise gracieuse" in text and "médiateur" in text


def test_limitation_three_years_ten_for_fraud():
    plain = overpayment_status(Decimal(500), NOTIFIED, BEFORE, paid_on=date(2024, 3, 5))
    assert plain.limitation_date == date(2027, 3, 5)
    fraud = overpayment_status(Decimal(500), NOTIFIED, BEFORE, paid_on=date(2024, 3, 5), fraud=True)
    assert fraud.limitation_date == date(2034, 3, 5)
    prescribed = overpayment_status(Decimal(500), NOTIFIED, BEFORE, paid_on=date(2022, 9, 9))
    assert not prescribed.recoverable and prescribed.not_recovered_because == "prescribed"
    assert label(prescribed.explanation[-1]) == "Prescription"


def test_seizable_part_of_a_monthly_allowance():
    # 2025 scale / 12: 370 ; 721,67 ; 1 074,17. For 1 200 €: 370/20 = 18,50;
    # 351,67/10 = 35,17; 352,50/5 = 70,50; 125,83/4 = 31,46 -> 155,625 -> 155,62.
    assert seizable_part(Decimal(1200), date(2025, 12, 1)) == Decimal("155.62")
    # 2024 scale (4 370 / 12 = 364,17): 300 € -> 15,00.
    assert seizable_part(Decimal(300), date(2024, 6, 1)) == Decimal("15.00")
    # One dependent raises every threshold by 1 720 € a year.
    assert seizable_part(Decimal(1200), date(2025, 12, 1), dependents=1) < Decimal("155.62")
    assert seizable_part(Decimal(0), date(2025, 12, 1)) == 0


def test_seizable_part_has_its_history_back_to_2022():
    # 2023 scale (décret 2022-1648): 4 170 / 12 = 347,50 -> 300 € gives 15,00; 1 200 €:
    # 17,375 + 33,083 + 66,5 + 47,29 = 164,25 (to the cent, rounded down).
    assert seizable_part(Decimal(300), date(2023, 6, 1)) == Decimal("15.00")
    assert seizable_part(Decimal(1200), date(2023, 6, 1)) == Decimal("164.25")
    assert seizable_part(Decimal(1200), date(2022, 6, 1)) > seizable_part(Decimal(1200), date(2023, 6, 1))
    with pytest.raises(ParameterNotFound):
        seizable_part(Decimal(1200), date(2021, 12, 31))


def test_an_overpayment_notified_in_2023_gets_an_answer():
    # Notified 15 Mar 2023 for January 2023: within the 3-year limitation until January 2026.
    status = overpayment_status(
        Decimal(400), date(2023, 3, 15), date(2023, 6, 1), upcoming=monthly("1200", date(2023, 6, 1), 6)
    )
    assert status.recoverable
    assert status.monthly_withholding == Decimal("164.25")
    assert [i.amount for i in status.instalments] == [Decimal("164.25"), Decimal("164.25"), Decimal("71.50")]


def test_without_a_decided_withholding_the_seizable_part_is_proposed():
    # 500 € at 155,62 € a month from the first payment after 10 November 2025.
    status = overpayment_status(Decimal(500), NOTIFIED, BEFORE, upcoming=monthly("1200", NOTIFIED, 8))
    assert status.monthly_withholding == Decimal("155.62") and not status.withholding_applied
    assert [i.month for i in status.instalments] == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert status.instalments[-1].amount == Decimal("33.14")
    assert status.total == Decimal(500)
    assert "au plus 155,62 € par mois" in as_text(status.explanation)


def test_a_withholding_already_applied_is_said_as_applied():
    # 1 150 € notified on 5 Jun 2026, 150 € withheld on three payments: 700 € left, five more
    # withholdings (4 × 150 + 100), the seizable part is never proposed.
    withheld = [Instalment(date(2026, m, 2), Decimal(150)) for m in (9, 10, 11)]
    status = overpayment_status(
        Decimal(1150),
        date(2026, 6, 5),
        date(2026, 11, 22),
        withheld=withheld,
        upcoming=monthly("1382.97", date(2026, 12, 1), 8),
        monthly_withholding=Decimal(150),
    )
    assert (status.amount, status.withheld, status.remaining) == (Decimal(1150), Decimal(450), Decimal(700))
    assert status.withholding_applied and status.monthly_withholding == Decimal(150)
    assert [i.amount for i in status.instalments] == [Decimal(150)] * 4 + [Decimal(100)]
    assert status.last_instalment.month == date(2027, 4, 1)
    text = as_text(status.explanation)
    assert "trop-perçu de 1 150,00 €" in text and "il reste 700,00 €" in text
    assert "150,00 € sont retenus chaque mois" in text and "au plus" not in text


def test_more_withheld_than_notified_is_refused():
    with pytest.raises(ValueError):
        overpayment_status(Decimal(100), NOTIFIED, BEFORE, withheld=[Instalment(date(2025, 12, 1), Decimal(101))])


def test_agreed_instalments_up_to_24():
    # 1 000 € / 24 = 41,666 -> 23 × 41,66 = 958,18, last 41,82.
    status = overpayment_status(Decimal(1000), NOTIFIED, BEFORE, instalments=24)
    amounts = [i.amount for i in status.instalments]
    assert len(amounts) == 24
    assert amounts[0] == Decimal("41.66") and amounts[-1] == Decimal("41.82")
    assert status.total == Decimal(1000)
    with pytest.raises(ValueError):
        overpayment_status(Decimal(1000), NOTIFIED, BEFORE, instalments=25)


def test_allowances_that_end_leave_a_balance_to_repay_directly():
    # 100 € net a month for 6 months: 5,00 € each, 30 € of 500 €, 470 € left.
    status = overpayment_status(Decimal(500), NOTIFIED, BEFORE, upcoming=monthly("100", date(2025, 12, 1), 6))
    assert len(status.instalments) == 6
    assert status.balance_after_plan == Decimal(470)
    assert label(status.explanation[-1]) == "Reste à rembourser"


def test_no_allowance_to_withhold_from():
    status = overpayment_status(Decimal(500), NOTIFIED, BEFORE)
    assert status.recoverable and status.instalments == ()
    assert "rembourser directement" in as_text(status.explanation)
