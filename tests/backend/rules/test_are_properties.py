"""Invariants of the ARE rules checked on generated claims (hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from are_builders import projection
from are_strategies import claims
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.backend.rules import (
    CsgRate,
    compute_daily_allowance,
    compute_reference_wage,
    compute_rights,
    daily_deductions,
    decimal_on,
    minimum_daily_allowance,
    monthly_allowance,
    reduced_daily_allowance,
    to_cents,
)
from bot.backend.rules.dates import add_months, month_start

pytestmark = pytest.mark.unit  # the fast loop: make unit

HEAVY = settings(max_examples=40, deadline=None)

days = st.dates(min_value=date(2023, 7, 1), max_value=date(2027, 12, 31))
sjrs = st.decimals(min_value=Decimal(1), max_value=Decimal(700), places=4)
ratios = st.sampled_from([Decimal(1), Decimal("0.8"), Decimal("0.5"), Decimal("0.3")])


@given(sjrs, days, ratios, st.booleans())
def test_allowance_never_above_75_percent_of_sjr(sjr, day, ratio, training):
    result = compute_daily_allowance(sjr, day, ratio, training)
    cap = to_cents(decimal_on("aj_cap_rate", day) * sjr)
    assert result.amount <= cap
    # At least the minimum, unless the 75 % cap is lower.
    assert result.amount >= min(to_cents(minimum_daily_allowance(day, ratio, training)), cap)


@given(st.decimals(min_value=Decimal(50), max_value=Decimal(700), places=4), days)
def test_allowance_between_57_and_75_percent_away_from_the_floor(sjr, day):
    amount = compute_daily_allowance(sjr, day).amount
    assert to_cents(Decimal("0.57") * sjr) <= amount <= to_cents(Decimal("0.75") * sjr)


@given(st.decimals(min_value=Decimal(1), max_value=Decimal(500), places=2), days)
def test_reduced_allowance_floored_at_the_threshold(aj, day):
    reduced = reduced_daily_allowance(aj, day)
    threshold = decimal_on("degressivity_threshold", day)
    assert reduced is None or threshold <= reduced < aj


@given(
    st.decimals(min_value=Decimal(0), max_value=Decimal(400), places=2),
    sjrs,
    days,
    st.sampled_from(list(CsgRate)),
    st.booleans(),
)
def test_net_between_zero_and_gross(gross, sjr, day, csg_rate, alsace):
    minimum = minimum_daily_allowance(day)
    result = daily_deductions(gross, sjr, minimum, day, csg_rate, alsace)
    assert 0 <= result.net <= gross
    for part in (result.retirement, result.csg, result.crds, result.alsace_moselle):
        assert part >= 0
    if result.retirement:
        assert gross - result.retirement >= minimum
    if result.csg or result.crds or result.alsace_moselle:
        assert result.net >= decimal_on("daily_net_floor", day)


@HEAVY
@given(claims(min_length=60))
def test_rights_invariants(facts):
    rights = compute_rights(facts)
    assert rights.explanation
    if not rights.eligible:
        assert rights.duration_days == 0
        return
    assert rights.first_paid_day > rights.contract_end
    assert 182 <= rights.duration_days <= 822
    assert rights.end_date >= rights.first_paid_day + timedelta(days=rights.duration_days // 2)
    assert rights.daily_allowance <= to_cents(Decimal("0.75") * rights.reference_wage)
    assert rights.deferrals.specific_days <= 150 and rights.deferrals.paid_leave_days <= 30


@HEAVY
@given(claims(min_length=60))
def test_reference_wage_divisor_between_contract_days_and_span(facts):
    end = facts.contract_end
    ref = compute_reference_wage(facts.contracts, end, 40)
    assert ref.contract_days <= ref.divisor_days <= ref.span_days
    assert ref.wages >= 0 and ref.amount >= 0


@HEAVY
@given(
    claims(),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=400),
    st.decimals(min_value=Decimal(0), max_value=Decimal(6000), places=2),
    st.decimals(min_value=Decimal(0), max_value=Decimal(3000), places=2),
)
def test_more_declared_work_never_raises_the_allowance(facts, offset, before, earned, extra):
    rights = compute_rights(facts)
    assume(rights.eligible)
    month = add_months(month_start(rights.first_paid_day), offset)
    less = monthly_allowance(facts, rights, month, earned, before)
    more = monthly_allowance(facts, rights, month, earned + extra, before)
    for result, earnings in ((less, earned), (more, earned + extra)):
        assert 0 <= result.days_paid <= result.days_payable <= 31
        assert result.unpaid_days == result.days_payable - result.days_paid
        assert 0 <= result.net <= result.gross
        assert result.gross == 0 or result.gross + earnings <= result.ceiling
    assert more.days_paid <= less.days_paid
    assert more.gross <= less.gross
    assert more.unpaid_days >= less.unpaid_days


@HEAVY
@given(
    claims(),
    st.dictionaries(
        st.integers(min_value=0, max_value=8),
        st.decimals(min_value=Decimal(0), max_value=Decimal(4000), places=2),
        max_size=4,
    ),
    st.integers(min_value=0, max_value=8),
    st.decimals(min_value=Decimal(1), max_value=Decimal(4000), places=2),
)
def test_more_declared_work_never_shortens_rights(facts, work, extra_month, extra):
    rights = compute_rights(facts)
    assume(rights.eligible)
    first = month_start(rights.first_paid_day)
    earnings = {add_months(first, k): v for k, v in work.items()}
    more = dict(earnings)
    key = add_months(first, extra_month)
    more[key] = more.get(key, Decimal(0)) + extra
    base = projection(facts, rights, earnings)
    longer = projection(facts, rights, more)
    assert base.end_date >= rights.end_date
    assert longer.end_date >= base.end_date
    for timeline in (base, longer):
        assert sum(m.used_days for m in timeline.months) == rights.duration_days
