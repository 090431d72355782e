"""The ARE rules engine: rights of a claim, allowance of a month, net per day.

This is what the HTTP API calls. It strings the section modules together (SJR, AJ,
duration, différés, dégressivité, monthly basis, cumul, deductions) and gathers
their explanation steps into one readable account.

Conventions:

- Amounts in results are in cents, except ``Rights.reference_wage`` (full precision,
  as every later computation uses it; ``reference_wage_cents`` is for display).
- The fixed part, minimum and thresholds applied to a month are those in force on
  the first day of that month (a July revaluation applies to July allowances).
- ``indemnified_days_before`` is the number of paid days already consumed from the
  rights before the month; it bounds what is left of the rights. The dégressivité
  count uses it too unless ``degressivity_days_before`` says otherwise (days in
  approved training do not count toward day 183).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.formatting import format_date_fr, format_month_fr, to_cents

from .cumul import compute_cumul
from .daily_allowance import compute_daily_allowance, minimum_daily_allowance
from .dates import age_on, month_start, next_month
from .degressivity import (
    Degressivity,
    age_condition,
    compute_degressivity,
    full_rate_days_left,
    reduced_daily_allowance,
)
from .duration import Eligibility, check_eligibility, rights_duration
from .explanation import Explanation, Step, days_fr, eur
from .facts import ClaimFacts
from .monthly import payable_days, rights_end_date
from .net import DailyDeductions, DailyNet, daily_deductions, rounded_daily_net
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
    end_date: date  # last day of rights before any push-back by unpaid days
    degressivity_applies: bool
    reduced_daily_allowance: Decimal | None  # AJ from day 183, floored at the threshold
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
    ineligibility_reason: str | None = None


@dataclass(frozen=True)
class MonthlyAllowance:
    """The allowance of one month, gross to net."""

    month: date
    daily_allowance: Decimal  # applied on the first payable day (after dégressivité)
    days_payable: int
    days_paid: int
    unpaid_days: int  # they push back the end date
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


@dataclass(frozen=True)
class PaymentSchedule:
    """Month after month allowances until the rights run out."""

    months: tuple[MonthlyAllowance, ...]
    end_date: date  # actual last day of rights, unpaid days included
    total_gross: Decimal
    total_net: Decimal


def compute_rights(facts: ClaimFacts) -> Rights:
    """Rights opened by the claim: SJR, AJ, duration, first paid day, dégressivité."""
    end = facts.contract_end
    age = age_on(facts.birth_date, end)
    reference = compute_reference_wage(facts.contracts, end, age)
    eligibility = check_eligibility(facts.contracts, reference.period, end, facts.seasonal_worker)
    steps: list[Step] = [
        Step(
            "Fin du dernier contrat",
            f"Votre dernier contrat a pris fin le {format_date_fr(end)} ; vous aviez alors {age} ans.",
        ),
        *eligibility.explanation,
    ]
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
            degressivity=None,
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
    degressivity = compute_degressivity(allowance.amount, age, end, first_paid_day, duration.days, facts.in_training)
    steps.extend(allowance.explanation)
    steps.extend(duration.explanation)
    steps.extend(deferrals.explanation)
    steps.append(
        Step(
            "Fin de vos droits",
            f"Vos droits vont jusqu'au {format_date_fr(end_date)} si tous vos jours sont payés ; "
            "les jours non payés parce que vous travaillez repoussent cette date.",
        )
    )
    steps.extend(degressivity.explanation)
    return _rights(
        facts,
        age,
        reference,
        eligibility,
        daily_allowance=allowance.amount,
        duration_days=duration.days,
        end_date=end_date,
        degressivity=degressivity,
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
    degressivity: Degressivity | None,
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
        degressivity_applies=degressivity is not None and degressivity.applies,
        reduced_daily_allowance=degressivity.reduced_daily_allowance if degressivity else None,
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
        ineligibility_reason=None if eligibility.eligible else eligibility.explanation[0].detail,
    )


def _zero_month(month: date, earnings: Decimal, steps: Explanation) -> MonthlyAllowance:
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
    )


def monthly_allowance(
    facts: ClaimFacts,
    rights: Rights,
    month: date,
    declared_earnings: Decimal = ZERO,
    indemnified_days_before: int = 0,
    degressivity_days_before: int | None = None,
) -> MonthlyAllowance:
    """Allowance of ``month`` given the gross earnings declared for it.

    ``indemnified_days_before`` is the number of days already paid from these rights
    before ``month`` (it bounds what is left and counts toward day 183);
    ``degressivity_days_before`` overrides the latter count when some of those days
    were in approved training.
    """
    first = month_start(month)
    if declared_earnings < 0 or indemnified_days_before < 0:
        raise ValueError("declared earnings and days before cannot be negative")
    if not rights.eligible:
        reason = rights.ineligibility_reason or "Vous n'avez pas de droit ouvert."
        return _zero_month(first, declared_earnings, (Step("Pas de droit ouvert", reason),))

    remaining = rights.duration_days - indemnified_days_before
    payable = payable_days(first, rights.first_paid_day, remaining)
    if payable.days == 0:
        return _zero_month(first, declared_earnings, payable.explanation)

    ratio = rights.working_time_ratio
    allowance = compute_daily_allowance(rights.reference_wage, first, ratio, facts.in_training)
    aj = allowance.amount
    degressive = age_condition(rights.age_at_contract_end, rights.contract_end)
    reduced = reduced_daily_allowance(aj, first) if degressive and not facts.in_training else None
    counted_before = indemnified_days_before if degressivity_days_before is None else degressivity_days_before
    full_left = full_rate_days_left(counted_before, first) if reduced is not None else payable.days

    def split(days: int) -> tuple[int, int]:
        full = min(days, full_left)
        return full, days - full

    def gross_for_days(days: int) -> Decimal:
        full, red = split(days)
        return full * aj + red * (reduced if reduced is not None else aj)

    first_rate = aj if full_left > 0 or reduced is None else reduced
    cumul = compute_cumul(payable.days, gross_for_days, first_rate, declared_earnings, rights.reference_wage, first)
    paid = cumul.days_paid
    full_days, reduced_days = split(paid)

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
        return to_cents(amount)

    gross = to_cents(gross_for_days(paid))
    retirement, csg, crds = total("retirement"), total("csg"), total("crds")
    alsace = total("alsace_moselle")
    net = gross - retirement - csg - crds - alsace
    exhausted_on = payable.window_end if paid == remaining else None

    steps: list[Step] = []
    rate_text = f"{eur(aj)} brut par jour en {format_month_fr(first)}"
    if aj != rights.daily_allowance:
        rate_text += f" (au lieu de {eur(rights.daily_allowance)} : barème revalorisé)"
    steps.append(Step("Allocation journalière", rate_text + "."))
    steps.extend(payable.explanation)
    if reduced is not None and reduced_days:
        steps.append(
            Step(
                "Dégressivité",
                f"À partir du 183e jour indemnisé, votre allocation est réduite à {eur(reduced)} "
                f"par jour : {days_fr(reduced_days)} à ce montant ce mois-ci.",
            )
        )
    steps.extend(cumul.explanation)
    parts = []
    if full_days:
        parts.append(f"{days_fr(full_days)} × {eur(aj)}")
    if reduced_days and reduced is not None:
        parts.append(f"{days_fr(reduced_days)} × {eur(reduced)}")
    steps.append(Step("Montant brut du mois", f"{' + '.join(parts) or '0 jour'} = {eur(gross)}."))
    if paid:
        # Show the per-day deductions of the rate most of the month was paid at.
        main = per_day_reduced if per_day_reduced and reduced_days > full_days else per_day_full
        steps.extend(main.explanation)
        steps.append(
            Step(
                "Montant net du mois",
                " − ".join(
                    [f"{eur(gross)} brut"]
                    + [
                        f"{eur(amount)} {label}"
                        for amount, label in (
                            (retirement, "de retraite complémentaire"),
                            (csg + crds, "de CSG et CRDS"),
                            (alsace, "de cotisation Alsace-Moselle"),
                        )
                        if amount
                    ]
                )
                + f" = {eur(net)} net.",
            )
        )
    if exhausted_on is not None:
        steps.append(Step("Fin de vos droits", f"Vos droits s'arrêtent le {format_date_fr(exhausted_on)}."))
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
    )


def daily_net(facts: ClaimFacts, rights: Rights, day_allowance: Decimal, on: date) -> DailyNet:
    """Net of one day's gross allowance ``day_allowance`` paid on ``on``, with its steps."""
    minimum = minimum_daily_allowance(on, rights.working_time_ratio, facts.in_training)
    deductions = daily_deductions(
        day_allowance, rights.reference_wage, minimum, on, facts.csg_rate, facts.alsace_moselle
    )
    return rounded_daily_net(deductions)


MAX_SCHEDULE_MONTHS = 120


def payment_schedule(
    facts: ClaimFacts,
    rights: Rights,
    declared_earnings: Mapping[date, Decimal] | None = None,
) -> PaymentSchedule:
    """Every month from the first paid day until the rights run out.

    ``declared_earnings`` maps the first day of a month to the gross earnings declared
    for it; months not listed have none.
    """
    earnings = declared_earnings or {}
    if not rights.eligible:
        return PaymentSchedule((), rights.end_date, ZERO, ZERO)
    months: list[MonthlyAllowance] = []
    consumed = 0
    month = month_start(rights.first_paid_day)
    for _ in range(MAX_SCHEDULE_MONTHS):
        result = monthly_allowance(facts, rights, month, earnings.get(month, ZERO), indemnified_days_before=consumed)
        months.append(result)
        consumed += result.days_paid
        if result.rights_exhausted_on is not None:
            return PaymentSchedule(
                tuple(months),
                result.rights_exhausted_on,
                sum((m.gross for m in months), ZERO),
                sum((m.net for m in months), ZERO),
            )
        month = next_month(month)
    raise ValueError(f"rights not exhausted after {MAX_SCHEDULE_MONTHS} months")
