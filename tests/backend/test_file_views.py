"""The backend's views of a file agree with each other and with the stored payments (issue 15).

Against the real backend process (uvicorn + SQLite seeded with the personas and a few
synthetic people); overpayments of other years are added to synthetic people's files
directly in that database.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import holidays
import pytest
from sqlalchemy import select

from bot.backend.db import session_scope
from bot.backend.models import JobSeeker, Overpayment, OverpaymentStatus, Payment
from bot.backend.seed import synthetic_identity
from bot.backend.seed.personas import personas
from tests.backend.test_api import identify, personal
from tests.servers import TEST_TODAY

TODAY = date.fromisoformat(TEST_TODAY)
PERSONAS = personas(TODAY)
FRENCH_HOLIDAYS = holidays.France(years=range(2023, 2029))
BLOCKED_MONTHS = {"held", "suspended", "not_declared"}


def person_of(persona) -> dict:
    return {"identifier": persona.identifier, "birth_date": persona.birth_date.isoformat()}


def working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in FRENCH_HOLIDAYS


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.key for p in PERSONAS])
def test_the_stored_payments_are_the_months_of_the_timeline(api, persona):
    grant = identify(api, person_of(persona))
    history = personal(api, grant, "payments", params={"limit": 60}).json()["payments"]
    assert history or persona.key == "first_payment"  # Julien: nothing paid yet
    for payment in history:
        view = personal(api, grant, "allowance", params={"month": payment["period"]}).json()
        monthly = view["monthly"]
        assert monthly["days_paid"] == payment["days_paid"], payment["period"]
        assert Decimal(monthly["gross"]) == Decimal(payment["gross"])
        assert Decimal(monthly["net"]) == Decimal(payment["net"]) + Decimal(payment["overpayment_withheld"])
        assert (payment["status"] == "blocked") is (view["status"] in BLOCKED_MONTHS)
        if payment["payment_date"]:
            # Paid after the month it pays: on a working day, from the first one of the next month.
            paid_on = date.fromisoformat(payment["payment_date"])
            month = date.fromisoformat(payment["period"] + "-01")
            next_month = (month + timedelta(days=32)).replace(day=1)
            assert working_day(paid_on) and next_month <= paid_on <= next_month + timedelta(days=9)
            assert view["payment_date"] == payment["payment_date"]


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.key for p in PERSONAS])
def test_rights_next_payment_and_estimates_tell_the_same_story(api, persona):
    grant = identify(api, person_of(persona))
    rights = personal(api, grant, "rights").json()
    payment = personal(api, grant, "payments/next").json()
    assert rights["days_left"] + rights["indemnified_days"] == rights["duration_days"]
    end = date.fromisoformat(rights["end_date"])
    after = (end.replace(day=1) + timedelta(days=32)).replace(day=1)
    beyond = personal(api, grant, "allowance", params={"month": after.strftime("%Y-%m")}).json()
    assert beyond["status"] == "after_end" and Decimal(beyond["monthly"]["net"]) == 0
    last = personal(api, grant, "allowance", params={"month": end.strftime("%Y-%m")}).json()
    assert last["monthly"]["days_paid"] > 0
    if payment["status"] in ("expected", "scheduled"):
        estimate = personal(api, grant, "allowance", params={"month": payment["period"]}).json()
        assert estimate["payment_date"] == payment["payment_date"]
        assert Decimal(payment["net"]) == Decimal(estimate["monthly"]["net"]) - Decimal(payment["overpayment_withheld"])


def _add_overpayment(api, stack, index: int, **fields) -> dict:
    """An overpayment in synthetic person ``index``'s file; returns a grant to read it."""
    synthetic = synthetic_identity(index)
    url = stack.env["ALLOCBOT_DATABASE_URL"]
    with session_scope(url) as session:
        person = session.execute(select(JobSeeker).where(JobSeeker.identifier == synthetic.identifier)).scalar_one()
        session.add(Overpayment(job_seeker_id=person.id, status=OverpaymentStatus.NOTIFIED, cause="Test.", **fields))
    return identify(api, {"identifier": synthetic.identifier, "birth_date": synthetic.birth_date.isoformat()})


def test_an_overpayment_notified_in_2023_gets_an_answer(api, stack):
    grant = _add_overpayment(
        api,
        stack,
        18,
        reference="TP-TEST-2023",
        amount=Decimal("300.00"),
        remaining=Decimal("300.00"),
        monthly_withholding=Decimal(0),
        notified_on=date(2023, 11, 15),
        period_start=date(2023, 10, 1),
        period_end=date(2023, 10, 31),
    )
    response = personal(api, grant, "overpayments")
    assert response.status_code == 200, response.text
    (item,) = [o for o in response.json()["overpayments"] if o["reference"] == "TP-TEST-2023"]
    assert item["rules_known"] and item["recoverable"]
    assert item["contest_deadline"] == "2024-01-15" and not item["can_contest"]
    assert not item["withholding_applied"]
    assert any("a pris fin le lundi 15 janvier 2024" in step["detail"] for step in item["explanation"])


def test_an_overpayment_older_than_the_rules_gets_a_clear_answer(api, stack):
    grant = _add_overpayment(
        api,
        stack,
        19,
        reference="TP-TEST-2022",
        amount=Decimal("500.00"),
        remaining=Decimal("500.00"),
        monthly_withholding=Decimal(0),
        notified_on=date(2022, 12, 1),
        period_start=date(2022, 10, 1),
        period_end=date(2022, 10, 31),
        fraud=True,
    )
    response = personal(api, grant, "overpayments")
    assert response.status_code == 200, response.text
    (item,) = [o for o in response.json()["overpayments"] if o["reference"] == "TP-TEST-2022"]
    assert item["rules_known"] is False
    assert "un conseiller" in item["explanation"][0]["detail"]


def test_what_remains_under_77_of_a_larger_debt_is_still_recovered(api, stack):
    synthetic = synthetic_identity(17)
    url = stack.env["ALLOCBOT_DATABASE_URL"]
    with session_scope(url) as session:
        person = session.execute(select(JobSeeker).where(JobSeeker.identifier == synthetic.identifier)).scalar_one()
        paid = session.execute(
            select(Payment).where(Payment.job_seeker_id == person.id, Payment.payment_date.is_not(None))
        ).scalars()
        last = list(paid)[-1]
        last.overpayment_withheld = Decimal("1090.00")
        notified = last.payment_date - timedelta(days=70)
    grant = _add_overpayment(
        api,
        stack,
        17,
        reference="TP-TEST-REST",
        amount=Decimal("1150.00"),
        remaining=Decimal("60.00"),
        monthly_withholding=Decimal("150.00"),
        notified_on=notified,
        period_start=notified - timedelta(days=90),
        period_end=notified - timedelta(days=60),
    )
    (item,) = [
        o for o in personal(api, grant, "overpayments").json()["overpayments"] if o["reference"] == "TP-TEST-REST"
    ]
    assert item["recoverable"] and Decimal(item["remaining"]) == Decimal(60)
    assert Decimal(item["amount"]) == Decimal(1150) >= Decimal(item["remaining"])
