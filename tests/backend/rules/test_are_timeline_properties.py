"""The views of a claim tied together, over random claims and random files (issue 15).

One timeline gives the rights view, the next payment, the monthly amounts and every
date the bot says; these properties check that they agree with each other and with
the rules of docs/are-rules.md, recomputed here by other means where that is possible.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import holidays
import pytest
from are_strategies import claim_files
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.backend import wording
from bot.backend.rules import (
    Instalment,
    MonthStatus,
    Timeline,
    claim_timeline,
    daily_deductions,
    decimal_on,
    declaration_window,
    minimum_daily_allowance,
    overpayment_status,
    to_cents,
)
from bot.backend.rules.dates import add_months, month_end, month_start, next_month

pytestmark = pytest.mark.unit  # the fast loop: make unit

FILES = settings(max_examples=40, deadline=None)
FRENCH_HOLIDAYS = holidays.France(years=range(2023, 2031))


def timeline_of(file) -> tuple[Timeline, date]:
    facts, rights, events, today = file
    return claim_timeline(facts, rights, events, today), today


def working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in FRENCH_HOLIDAYS


def working_days_after(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        count -= working_day(day)
    return day


def first_working_day_from(day: date) -> date:
    while not working_day(day):
        day += timedelta(days=1)
    return day


@FILES
@given(claim_files())
def test_the_dégressivité_date_is_the_first_day_paid_at_the_reduced_rate(file):
    timeline, _ = timeline_of(file)
    start = timeline.degressivity
    paying = [m for m in timeline.months if m.status.pays]
    reduced = [m for m in paying if m.allowance.reduced_rate_days]
    if start is None:
        assert not reduced
        return
    first = reduced[0]
    assert start.on == first.allowance.reduced_from
    assert month_start(start.on) == first.month
    # Recomputed from the month itself: its paid days are its first days (the k-th day of a
    # whole month; consecutive from the first paid day in the first month), full rate first.
    allowance = first.allowance
    if not allowance.suspended_days:
        window_start = max(first.month, timeline.rights.first_paid_day)
        expected = min(window_start + timedelta(days=allowance.full_rate_days), month_end(first.month))
        assert start.on == expected
    # Day 183: the paid days before it are the 182 first ones.
    if allowance.degressivity_day_on == start.on:
        assert first.days_before + allowance.full_rate_days == 182
    assert first.days_before + allowance.full_rate_days >= 182
    assert start.reduced == allowance.reduced_daily_allowance < start.full_rate


@FILES
@given(claim_files(), st.integers(min_value=-60, max_value=900))
def test_days_left_are_what_the_month_by_month_view_still_has_to_pay(file, offset):
    timeline, _ = timeline_of(file)
    rights = timeline.rights
    on = rights.first_paid_day + timedelta(days=offset)
    used, left = timeline.days_used_before(on), timeline.days_left(on)
    assert 0 <= left <= rights.duration_days - used
    assert used + left == rights.duration_days  # the projection pays the whole right
    # What the month-by-month view still has to pay: the months after ``on``'s, and the days of
    # that month from ``on`` (its paid days are its first days, one a calendar day).
    after = sum(m.used_days for m in timeline.months if m.month > month_start(on))
    current = timeline.month(on)
    if current is not None and current.status.pays and not current.allowance.suspended_days:
        start = max(current.month, rights.first_paid_day)
        elapsed = max(0, (on - start).days)
        # (February on the 30-day basis: its 29th and 30th paid days are dated its last day.)
        assert left == after + max(0, current.allowance.days_paid - elapsed)
    if on > timeline.end_date:
        assert left == 0
    if on <= rights.first_paid_day:
        assert left == rights.duration_days
    # The end of rights is the day the last paid day falls on, never before the theoretical one.
    assert timeline.end_date >= rights.end_date
    last = timeline.months[-1].allowance
    assert last.rights_exhausted_on == timeline.end_date


@FILES
@given(claim_files())
def test_no_month_after_the_end_nor_sanctioned_nor_blocked_is_estimated_payable(file):
    timeline, today = timeline_of(file)
    facts, rights, events, _ = file
    for entry in timeline.months:
        assert entry.month <= month_start(timeline.end_date)
        status, allowance = entry.status, entry.allowance
        if status is MonthStatus.ESTIMATED:
            assert declaration_window(entry.month).closes >= today
            assert entry.month not in events.held
        if status in (MonthStatus.SUSPENDED, MonthStatus.NOT_DECLARED, MonthStatus.HELD):
            assert not entry.estimated and entry.payment is None
        if status is MonthStatus.SUSPENDED:
            assert allowance.days_paid == 0 and allowance.gross == 0 and entry.used_days == 0
        for sanction in events.sanctions:
            # No day of a sanction is paid: the paid days fit in what the sanction leaves of the month.
            first, last = max(entry.month, rights.first_paid_day), month_end(entry.month)
            off = max(0, (min(sanction.end, last) - max(sanction.start, first)).days + 1)
            open_days = (last - first).days + 1 - off
            if off:
                assert allowance.days_paid <= open_days
    assert timeline.month(next_month(timeline.end_date)) is None


@FILES
@given(claim_files())
def test_paid_days_are_dated_in_order_within_their_month(file):
    timeline, _ = timeline_of(file)
    dates = timeline.paid_dates()
    assert len(dates) == timeline.rights.duration_days
    assert list(dates) == sorted(dates)
    assert dates[0] >= timeline.rights.first_paid_day and dates[-1] == timeline.end_date
    for entry in timeline.months:
        assert all(month_start(d) == entry.month for d in entry.allowance.paid_dates)
    if timeline.degressivity is not None and len(dates) >= 183:
        # The reduction starts on the 183rd paid day or, when the AJ was not above that day's
        # threshold, on a later one.
        assert timeline.degressivity.on >= dates[182]


@FILES
@given(claim_files())
def test_every_payment_date_is_inside_the_monthly_window(file):
    timeline, _ = timeline_of(file)
    for entry in timeline.months:
        if entry.payment is None:
            continue
        declared_on = entry.declared_on
        assert declared_on is not None
        expected, latest = entry.payment.expected, entry.payment.latest
        not_before = first_working_day_from(next_month(entry.month))
        assert working_day(expected) and working_day(latest)
        assert not_before <= expected <= latest
        assert declared_on < expected
        assert expected <= max(working_days_after(declared_on, 3), not_before)
        assert latest <= max(working_days_after(declared_on, 5), not_before)
        if declared_on == declaration_window(entry.month).opens:
            # Declared as soon as possible: paid on one of the first days of the next month.
            assert expected.month == next_month(entry.month).month and expected.day <= 4


@FILES
@given(claim_files())
def test_the_threshold_used_is_the_one_in_force_on_the_day_it_applies(file):
    timeline, _ = timeline_of(file)
    for entry in timeline.months:
        allowance = entry.allowance
        if not allowance.days_paid:
            continue
        aj = allowance.full_rate_daily_allowance
        on = allowance.reduced_from or entry.month
        threshold = decimal_on("degressivity_threshold", on)
        if allowance.reduced_rate_days:
            assert aj > threshold
            expected = max(to_cents(aj * decimal_on("degressivity_coefficient", on)), threshold)
            assert allowance.reduced_daily_allowance == expected
        elif entry.days_before + allowance.days_paid > 182 and timeline.rights.degressivity_age_condition:
            # Past day 183 and paid at the full rate: the AJ does not exceed that month's threshold.
            assert aj <= threshold or file[0].in_training
    if timeline.degressivity is not None:
        start = timeline.degressivity
        assert start.threshold == decimal_on("degressivity_threshold", start.on)


@FILES
@given(claim_files())
def test_net_is_gross_minus_full_precision_deductions_rounded_once(file):
    timeline, _ = timeline_of(file)
    facts, rights, _, _ = file
    for entry in timeline.months:
        a = entry.allowance
        if not a.days_paid:
            continue
        minimum = minimum_daily_allowance(entry.month, rights.working_time_ratio, facts.in_training)

        def per_day(rate, minimum=minimum, month=entry.month):
            return daily_deductions(rate, rights.reference_wage, minimum, month, facts.csg_rate, facts.alsace_moselle)

        days = [(a.full_rate_days, per_day(a.full_rate_daily_allowance))]
        if a.reduced_rate_days:
            days.append((a.reduced_rate_days, per_day(a.reduced_daily_allowance)))
        gross = sum((n * d.gross for n, d in days), Decimal(0))
        full = [
            sum((n * getattr(d, part) for n, d in days), Decimal(0))
            for part in ("retirement", "csg", "crds", "alsace_moselle")
        ]
        shown = [a.retirement_contribution, a.csg, a.crds, a.alsace_moselle_contribution]
        assert a.gross == to_cents(gross)
        assert a.net == to_cents(gross - sum(full, Decimal(0)))
        assert a.gross - sum(shown, Decimal(0)) == a.net
        for shown_part, full_part in zip(shown, full, strict=True):
            assert abs(shown_part - full_part) < Decimal("0.01")


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=Decimal(0), max_value=Decimal(20000), places=2),
    st.dates(min_value=date(2023, 2, 1), max_value=date(2027, 6, 30)),
    st.integers(min_value=0, max_value=900),
    st.lists(st.decimals(min_value=Decimal(0), max_value=Decimal(800), places=2), max_size=12),
    st.lists(st.decimals(min_value=Decimal(0), max_value=Decimal(4000), places=2), max_size=30),
    st.one_of(st.none(), st.decimals(min_value=Decimal(1), max_value=Decimal(600), places=2)),
)
def test_overpayments_notified_remaining_and_the_withholding_said(
    amount, notified_on, days_after, withholdings, nets, decided
):
    today = notified_on + timedelta(days=days_after)
    withheld, total = [], Decimal(0)
    for i, value in enumerate(withholdings):
        value = min(value, amount - total)
        withheld.append(Instalment(add_months(month_start(notified_on), i + 2), value))
        total += value
    first_payment = next_month(today).replace(day=2)
    upcoming = [Instalment(add_months(first_payment, i), net) for i, net in enumerate(nets)]
    status = overpayment_status(amount, notified_on, today, withheld, upcoming, decided)
    assert status.amount >= status.remaining >= 0
    assert status.remaining == status.amount - to_cents(total)
    assert status.recoverable is (amount >= 77 and notified_on <= status.limitation_date)
    assert status.can_contest is (today <= status.contest_deadline)
    if not status.recoverable:
        assert status.instalments == ()
        return
    assert status.total + status.balance_after_plan == status.remaining
    nets_by_month = {month_start(i.month): i.amount for i in upcoming}
    for instalment in status.instalments:
        assert 0 < instalment.amount <= nets_by_month[instalment.month]
        # Only payments made after the contest deadline are withheld from.
        assert instalment.month >= month_start(status.contest_deadline)
    if decided is not None:
        # The withholding said is the one applied, never a new proposal.
        assert status.withholding_applied and status.monthly_withholding == decided
        assert all(i.amount <= decided for i in status.instalments)
        if status.remaining:
            said = next(s for s in status.explanation if s.code == "overpayment_withholding")
            assert said.facts["applied"] and said.facts["monthly"] == decided


@FILES
@given(claim_files())
def test_every_step_of_every_view_is_said_in_french(file):
    timeline, _ = timeline_of(file)
    steps = [*timeline.rights.explanation, *timeline.explanation]
    for entry in timeline.months:
        steps += [*entry.allowance.explanation, *(entry.payment.explanation if entry.payment else ())]
    for said in wording.explanation(steps):
        assert said["label"] and said["detail"] and "{" not in said["detail"]
