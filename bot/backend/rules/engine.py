"""The ARE rules engine: rights of a claim, allowance of a month, net per day.

It strings the section modules together (SJR, AJ, duration, différés, dégressivité,
monthly basis, cumul, deductions) and gathers their explanation steps into one
account. The month-by-month life of a claim (what is paid when, the end of rights,
the dégressivité date) is ``timeline``, built on ``monthly_allowance``.

Conventions:

- Amounts in results are in cents, except ``Rights.reference_wage`` (full precision,
  as every later computation uses it; ``reference_wage_cents`` is for display).
- The fixed part, minimum and thresholds applied to a month are those in force on
  the first day of that month (a July revaluation applies to July allowances; every
  revaluation starts on the 1st, so this is also the value in force on each day of it).
- ``indemnified_days_before`` is the number of paid days already consumed from the
  rights before the month; it bounds what is left of the rights. The dégressivité
  count uses it too unless ``degressivity_days_before`` says otherwise (days in
  approved training do not count toward day 183).
- The month's net is its gross minus its full-precision deductions, rounded once;
  the deductions shown add up to gross − net (``net.apportion``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .cumul import compute_cumul
from .daily_allowance import compute_daily_allowance, minimum_daily_allowance
from .dates import age_on, month_start
from .degressivity import age_condition, full_rate_days_left, reduced_daily_allowance
from .duration import Eligibility, check_eligibility, rights_duration
from .explanation import Explanation, Step, step
from .facts import ClaimFacts
from .money import to_cents
from .monthly import Period, payable_days, rights_end_date
from .net import DailyDeductions, DailyNet, daily_deductions, net_of, rounded_daily_net
from .parameters import int_on
from .sjr import ReferenceWage, compute_reference_wage
from .waiting import Deferrals, compute_deferrals

ZERO = Decimal(0)


@dataclass(frozen=True)
class Rights:
    """The rights opened by a claim (ouverture de droits)."""

    eligible: bool
    contract_end: date
    age_at_contract_end: int
    reference_wage: Decimal  # SJR, full precision
    daily_allowance: Decimal  # gross AJ in cents, on the first paid day
    duration_days: int
    first_paid_day: date  # after différés + délai d'attente
    end_date: date  # last day of rights if every payable day is paid (the timeline has the file's)
    degressivity_age_condition: bool  # young enough for the reduction from day 183
    deferrals: Deferrals
    explanation: Explanation
    reference_wage_cents: Decimal = ZERO
    reference_period_start: date | None = None
    reference_period_months: int = 0
    divisor_days: int = 0
    wages_counted: Decimal = ZERO
    worked_days: int = 0
    hours_worked: int = 0
    working_time_ratio: Decimal = Decimal(1)
    ineligibility: Step | None = None  # why no right is open (the eligibility fact)


@dataclass(frozen=True)
class MonthlyAllowance:
    """The allowance of one month, gross to net."""

    month: date
    daily_allowance: Decimal  # applied on the first payable day (after dégressivité)
    days_payable: int
    days_paid: int
    unpaid_days: int  # not paid because of work: they push back the end date
    declared_earnings: Decimal
    gross: Decimal
    retirement_contribution: Decimal
    csg: Decimal
    crds: Decimal
    alsace_moselle_contribution: Decimal
    net: Decimal
    capped_by_reference_wage: bool
    explanation: Explanation
    full_rate_days: int = 0
    reduced_rate_days: int = 0
    reduced_daily_allowance: Decimal | None = None
    ceiling: Decimal = ZERO  # allowance + earnings may not exceed it
    rights_exhausted_on: date | None = None  # set in the month the rights run out
    suspended_days: int = 0  # not paid because of a sanction: they push back the end date
    full_rate_daily_allowance: Decimal = ZERO  # the AJ of the month before any reduction
    reduced_from: date | None = None  # first day paid at the reduced rate, in this month
    degressivity_day_on: date | None = None  # the day the 183rd paid day falls on, in this month
    paid_dates: tuple[date, ...] = ()  # the calendar day of each paid day, in order (``monthly.paid_day_date``)

    @property
    def applied_daily_allowance(self) -> Decimal:
        """The daily rate of the month: the reduced one once the whole month is past day 183."""
        if self.reduced_daily_allowance is not None and self.reduced_rate_days and not self.full_rate_days:
            return self.reduced_daily_allowance
        return self.daily_allowance


def compute_rights(facts: ClaimFacts) -> Rights:
    """Rights opened by the claim: SJR, AJ, duration, first paid day, theoretical end date."""
    end = facts.contract_end
    age = age_on(facts.birth_date, end)
    reference = compute_reference_wage(facts.contracts, end, age)
    eligibility = check_eligibility(facts.contracts, reference.period, end, facts.seasonal_worker)
    steps: list[Step] = [step("contract_end", day=end, age=age), *eligibility.explanation]
    if not eligibility.eligible:
        start = max(end + timedelta(days=1), facts.registration_date)
        return _rights(
            facts,
            age,
            reference,
            eligibility,
            daily_allowance=ZERO,
            duration_days=0,
            end_date=start - timedelta(days=1),
            deferrals=Deferrals(0, 0, 0, start, start, ()),
            steps=steps,
        )

    steps.extend(reference.explanation)
    deferrals = compute_deferrals(
        contract_end=end,
        registration_date=facts.registration_date,
        reference_wage=reference.amount,
        supra_legal_severance=facts.supra_legal_severance,
        paid_leave_compensation=facts.paid_leave_compensation,
        economic_dismissal=facts.economic_dismissal,
        previous_waiting_period_on=facts.previous_waiting_period_on,
    )
    first_paid_day = deferrals.first_paid_day
    allowance = compute_daily_allowance(
        reference.amount, first_paid_day, reference.working_time_ratio, facts.in_training
    )
    duration = rights_duration(reference.divisor_days, age, end)
    end_date = rights_end_date(first_paid_day, duration.days)
    steps.extend(allowance.explanation)
    steps.extend(duration.explanation)
    steps.extend(deferrals.explanation)
    return _rights(
        facts,
        age,
        reference,
        eligibility,
        daily_allowance=allowance.amount,
        duration_days=duration.days,
        end_date=end_date,
        deferrals=deferrals,
        steps=steps,
    )


def _rights(
    facts: ClaimFacts,
    age: int,
    reference: ReferenceWage,
    eligibility: Eligibility,
    *,
    daily_allowance: Decimal,
    duration_days: int,
    end_date: date,
    deferrals: Deferrals,
    steps: list[Step],
) -> Rights:
    return Rights(
        eligible=eligibility.eligible,
        contract_end=facts.contract_end,
        age_at_contract_end=age,
        reference_wage=reference.amount,
        daily_allowance=daily_allowance,
        duration_days=duration_days,
        first_paid_day=deferrals.first_paid_day,
        end_date=end_date,
        degressivity_age_condition=age_condition(age, facts.contract_end),
        deferrals=deferrals,
        explanation=tuple(steps),
        reference_wage_cents=reference.amount_cents,
        reference_period_start=reference.period.start,
        reference_period_months=reference.period.months,
        divisor_days=reference.divisor_days,
        wages_counted=to_cents(reference.wages),
        worked_days=eligibility.worked_days,
        hours_worked=eligibility.hours,
        working_time_ratio=reference.working_time_ratio,
        ineligibility=None if eligibility.eligible else eligibility.explanation[0],
    )


def _zero_month(month: date, earnings: Decimal, steps: Explanation, suspended_days: int = 0) -> MonthlyAllowance:
    return MonthlyAllowance(
        month=month,
        daily_allowance=ZERO,
        days_payable=0,
        days_paid=0,
        unpaid_days=0,
        declared_earnings=earnings,
        gross=ZERO,
        retirement_contribution=ZERO,
        csg=ZERO,
        crds=ZERO,
        alsace_moselle_contribution=ZERO,
        net=ZERO,
        capped_by_reference_wage=False,
        explanation=steps,
        suspended_days=suspended_days,
    )


def monthly_allowance(
    facts: ClaimFacts,
    rights: Rights,
    month: date,
    declared_earnings: Decimal = ZERO,
    indemnified_days_before: int = 0,
    degressivity_days_before: int | None = None,
    suspended: Iterable[Period] = (),
) -> MonthlyAllowance:
    """Allowance of ``month`` given the gross earnings declared for it.

    ``indemnified_days_before`` is the number of days already paid from these rights
    before ``month`` (it bounds what is left and counts toward day 183);
    ``degressivity_days_before`` overrides the latter count when some of those days
    were in approved training; ``suspended`` are the periods of a sanction (nothing
    is paid for their days, which stay on the rights).
    """
    first = month_start(month)
    if declared_earnings < 0 or indemnified_days_before < 0:
        raise ValueError("declared earnings and days before cannot be negative")
    if not rights.eligible:
        reason = rights.ineligibility or step("no_rights")
        return _zero_month(first, declared_earnings, (reason,))

    remaining = rights.duration_days - indemnified_days_before
    payable = payable_days(first, rights.first_paid_day, remaining, tuple(suspended))
    if payable.days == 0:
        return _zero_month(first, declared_earnings, payable.explanation, payable.suspended_days)

    ratio = rights.working_time_ratio
    allowance = compute_daily_allowance(rights.reference_wage, first, ratio, facts.in_training)
    aj = allowance.amount
    degressive = rights.degressivity_age_condition and not facts.in_training
    reduced = reduced_daily_allowance(aj, first) if degressive else None
    counted_before = indemnified_days_before if degressivity_days_before is None else degressivity_days_before
    full_left = full_rate_days_left(counted_before, first) if degressive else payable.days
    full_left_if_reduced = full_left if reduced is not None else payable.days

    def split(days: int) -> tuple[int, int]:
        full = min(days, full_left_if_reduced)
        return full, days - full

    def gross_for_days(days: int) -> Decimal:
        full, red = split(days)
        return full * aj + red * (reduced if reduced is not None else aj)

    first_rate = aj if full_left_if_reduced > 0 or reduced is None else reduced
    cumul = compute_cumul(payable.days, gross_for_days, first_rate, declared_earnings, rights.reference_wage, first)
    paid = cumul.days_paid
    full_days, reduced_days = split(paid)
    start_day = int_on("degressivity_start_day", first)
    day_183_on = None
    if degressive and counted_before < start_day <= counted_before + paid:
        day_183_on = payable.paid_day_date(start_day - counted_before)
    reduced_from = payable.paid_day_date(full_days + 1) if reduced is not None and reduced_days else None

    minimum = minimum_daily_allowance(first, ratio, facts.in_training)
    per_day_full = daily_deductions(aj, rights.reference_wage, minimum, first, facts.csg_rate, facts.alsace_moselle)
    per_day_reduced: DailyDeductions | None = None
    if reduced is not None and reduced_days:
        per_day_reduced = daily_deductions(
            reduced, rights.reference_wage, minimum, first, facts.csg_rate, facts.alsace_moselle
        )

    def total(field: str) -> Decimal:
        amount = full_days * getattr(per_day_full, field)
        if per_day_reduced is not None:
            amount += reduced_days * getattr(per_day_reduced, field)
        return amount

    gross, net, (retirement, csg, crds, alsace) = net_of(
        gross_for_days(paid), (total("retirement"), total("csg"), total("crds"), total("alsace_moselle"))
    )
    exhausted_on = payable.window_end if paid == remaining else None

    steps: list[Step] = [
        step("monthly_rate", daily_allowance=aj, month=first, notified=rights.daily_allowance),
        *payable.explanation,
    ]
    if reduced is not None and reduced_days:
        steps.append(
            step(
                "degressivity_month",
                start_day=start_day,
                reduced=reduced,
                days=reduced_days,
                day_183_on=day_183_on,
            )
        )
    steps.extend(cumul.explanation)
    rates = tuple((days, rate) for days, rate in ((full_days, aj), (reduced_days, reduced)) if days and rate)
    steps.append(step("monthly_gross", parts=rates, gross=gross))
    if paid:
        # Show the per-day deductions of the rate most of the month was paid at.
        main = per_day_reduced if per_day_reduced and reduced_days > full_days else per_day_full
        steps.extend(main.explanation)
        steps.append(
            step(
                "monthly_net",
                gross=gross,
                retirement=retirement,
                csg_crds=csg + crds,
                alsace_moselle=alsace,
                net=net,
            )
        )
    if exhausted_on is not None:
        steps.append(step("rights_exhausted", day=exhausted_on))
    return MonthlyAllowance(
        month=first,
        daily_allowance=first_rate,
        days_payable=payable.days,
        days_paid=paid,
        unpaid_days=payable.days - paid,
        declared_earnings=declared_earnings,
        gross=gross,
        retirement_contribution=retirement,
        csg=csg,
        crds=crds,
        alsace_moselle_contribution=alsace,
        net=net,
        capped_by_reference_wage=cumul.capped_by_reference_wage,
        explanation=tuple(steps),
        full_rate_days=full_days,
        reduced_rate_days=reduced_days,
        reduced_daily_allowance=reduced,
        ceiling=to_cents(cumul.ceiling),
        rights_exhausted_on=exhausted_on,
        suspended_days=payable.suspended_days,
        full_rate_daily_allowance=aj,
        reduced_from=reduced_from,
        degressivity_day_on=day_183_on,
        paid_dates=payable.paid_dates(paid),
    )


def daily_net(facts: ClaimFacts, rights: Rights, day_allowance: Decimal, on: date) -> DailyNet:
    """Net of one day's gross allowance ``day_allowance`` paid on ``on``, with its steps."""
    minimum = minimum_daily_allowance(on, rights.working_time_ratio, facts.in_training)
    deductions = daily_deductions(
        day_allowance, rights.reference_wage, minimum, on, facts.csg_rate, facts.alsace_moselle
    )
    return rounded_daily_net(deductions)
