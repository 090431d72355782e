"""§5 — Différé spécifique, différé congés payés and délai d'attente, in that order."""

from datetime import date
from decimal import Decimal

import pytest

from bot.backend.rules import compute_deferrals
from bot.backend.rules.waiting import paid_leave_deferral_days, specific_deferral_days
from bot.backend.wording import detail, label

pytestmark = pytest.mark.unit  # the fast loop: make unit

END = date(2025, 6, 30)


def test_plain_case_first_paid_day_is_j_plus_8():
    # No différé, registered on 1 July: waiting 1–7 July, first paid day 8 July.
    result = compute_deferrals(END, date(2025, 7, 1), Decimal(80))
    assert (result.specific_days, result.paid_leave_days, result.waiting_days) == (0, 0, 7)
    assert result.first_paid_day == date(2025, 7, 8)
    assert detail(result.explanation[-1]) == "Votre indemnisation commence le mardi 8 juillet 2025."


def test_late_registration_starts_the_waiting_period():
    # Registered on 15 July: waiting 15–21 July, first paid day 22 July.
    result = compute_deferrals(END, date(2025, 7, 15), Decimal(80))
    assert result.waiting_start == date(2025, 7, 15)
    assert result.first_paid_day == date(2025, 7, 22)
    assert "inscription" in detail(result.explanation[0])


@pytest.mark.parametrize(
    ("amount", "economic", "days"),
    [
        ("10000", False, 92),  # 10 000 / 107,9 = 92,68 -> 92
        ("10000", True, 75),  # capped at 75 for an economic dismissal
        ("20000", False, 150),  # 185,36 -> capped at 150
        ("107.89", False, 0),  # under one day
        ("107.90", False, 1),
    ],
)
def test_specific_deferral(amount, economic, days):
    assert specific_deferral_days(Decimal(amount), END, economic) == days


@pytest.mark.parametrize(
    ("iccp", "sjr", "days"),
    [
        ("2000", "80", 25),  # 2 000 / 80 = 25
        ("2050", "80", 25),  # 25,625 -> 25
        ("3000", "80", 30),  # 37,5 -> capped at 30
        ("0", "80", 0),
    ],
)
def test_paid_leave_deferral(iccp, sjr, days):
    assert paid_leave_deferral_days(Decimal(iccp), Decimal(sjr), END) == days


def test_deferrals_run_in_order_then_the_waiting_period():
    # 92 days (10 000 €) + 25 days (2 000 € / 80 €) from 1 July 2025 -> différés end on
    # 25 Oct; waiting 26 Oct – 1 Nov; first paid day 2 Nov 2025.
    result = compute_deferrals(
        END,
        date(2025, 7, 1),
        Decimal(80),
        supra_legal_severance=Decimal(10000),
        paid_leave_compensation=Decimal(2000),
    )
    assert (result.specific_days, result.paid_leave_days, result.waiting_days) == (92, 25, 7)
    assert result.total_days == 124
    assert result.waiting_start == date(2025, 10, 26)
    assert result.first_paid_day == date(2025, 11, 2)
    labels = [label(s) for s in result.explanation]
    assert labels == [
        "Différé d'indemnisation spécifique",
        "Différé congés payés",
        "Délai d'attente",
        "Premier jour indemnisé",
    ]
    assert "10 000,00 €" in detail(result.explanation[0])
    assert "107,9" in detail(result.explanation[0])


def test_registration_during_the_deferrals_does_not_shorten_them():
    result = compute_deferrals(END, date(2025, 7, 1), Decimal(80), paid_leave_compensation=Decimal(800))
    # 800 / 80 = 10 days: 1–10 July; waiting 11–17 July; first paid day 18 July.
    assert result.first_paid_day == date(2025, 7, 18)


@pytest.mark.parametrize(
    ("previous", "waiting_days"),
    [
        (date(2024, 7, 2), 0),  # 12 months later is 2 Jul 2025 > 1 Jul: within 12 months
        (date(2024, 7, 1), 7),  # exactly 12 months before: applied again
        (date(2023, 1, 1), 7),
        (None, 7),
    ],
)
def test_waiting_period_not_applied_twice_within_12_months(previous, waiting_days):
    result = compute_deferrals(END, date(2025, 7, 1), Decimal(80), previous_waiting_period_on=previous)
    assert result.waiting_days == waiting_days
    assert result.first_paid_day == date(2025, 7, 1 + waiting_days)
    if waiting_days == 0:
        assert "déjà été appliqué" in detail(result.explanation[0])
