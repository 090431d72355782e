"""Write a person's file: claim, contracts, declarations and the payments the rules give.

Payments are never invented: each month goes through ``monthly_allowance`` of
the rules, and the seed only decides the life events (work declared, a missing
declaration, a payslip awaited, a sanction, a withheld overpayment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.backend.calendar import add_months, add_working_days, declaration_window, first_of_month
from bot.backend.models import (
    AwaitedDocument,
    Claim,
    Declaration,
    DeclarationStatus,
    EmploymentContract,
    JobSeeker,
    MonthlyWageRecord,
    Overpayment,
    OverpaymentStatus,
    Payment,
    PaymentReason,
    PaymentStatus,
)
from bot.backend.rules import Rights, compute_rights, monthly_allowance
from bot.backend.services.file import applied_daily_allowance, claim_facts
from bot.clock import PARIS
from bot.formatting import format_of_month_fr

PAYMENT_DELAY_WORKING_DAYS = 3
REVISED_MONTHLY_RULE = date(2025, 4, 1)


@dataclass
class LifeEvents:
    """What happened in the person's file, month by month (first day of month keys)."""

    earnings: dict[date, Decimal] = field(default_factory=dict)
    missing_declarations: frozenset[date] = frozenset()
    awaited_payslip_for: date | None = None
    sanction: tuple[date, date] | None = None
    iban_rejected: bool = False
    overpayment: tuple[Decimal, Decimal, date] | None = None  # amount, monthly withholding, notified on


def build_claim(
    contracts,
    registration_date: date,
    paid_leave_compensation: Decimal = Decimal(0),
    csg_rate: str = "normal",
    sanction: tuple[date, date] | None = None,
) -> Claim:
    """A claim with its contracts and monthly wages, not yet attached to a person or a session."""
    claim = Claim(
        registration_date=registration_date,
        paid_leave_compensation=paid_leave_compensation,
        csg_rate=csg_rate,
        supra_legal_severance=Decimal(0),
        seasonal_worker=False,
        economic_dismissal=False,
        in_training=False,
        sanction_from=sanction[0] if sanction else None,
        sanction_until=sanction[1] if sanction else None,
    )
    for spec in contracts:
        contract = EmploymentContract(
            employer=spec.employer, start=spec.start, end=spec.end, working_time_ratio=spec.working_time_ratio
        )
        month = first_of_month(spec.start)
        while month <= spec.end:
            contract.wages.append(MonthlyWageRecord(month=month, gross=_wage_of_month(spec, month)))
            month = add_months(month, 1)
        claim.contracts.append(contract)
    return claim


def add_claim(
    session: Session,
    person: JobSeeker,
    contracts,
    registration_date: date,
    paid_leave_compensation: Decimal = Decimal(0),
    csg_rate: str = "normal",
    sanction: tuple[date, date] | None = None,
) -> Claim:
    claim = build_claim(contracts, registration_date, paid_leave_compensation, csg_rate, sanction)
    claim.job_seeker = person
    session.add(claim)
    session.flush()
    return claim


def _wage_of_month(spec, month: date) -> Decimal:
    """Full monthly wage, pro rata for a first or last month only partly worked."""
    last = add_months(month, 1) - timedelta(days=1)
    start, end = max(spec.start, month), min(spec.end, last)
    worked = (end - start).days + 1
    full = (last - month).days + 1
    return (spec.monthly_gross * worked / full).quantize(Decimal("0.01"))


def write_history(session: Session, person: JobSeeker, claim: Claim, today: date, events: LifeEvents) -> Rights:
    """Declarations and payments from the first paid month up to last month."""
    facts = claim_facts(person, claim)
    rights = compute_rights(facts)
    last_month = add_months(first_of_month(today), -1)
    month = first_of_month(rights.first_paid_day)
    indemnified = 0
    overpayment = _add_overpayment(session, person, events)
    while month <= last_month:
        earnings = events.earnings.get(month, Decimal(0))
        window = declaration_window(month)
        declared_on = window.opens + timedelta(days=month.month % 3)
        missing = month in events.missing_declarations
        if not missing:
            session.add(
                Declaration(
                    job_seeker_id=person.id,
                    month=month,
                    status=DeclarationStatus.SUBMITTED,
                    submitted_at=datetime.combine(declared_on, time(10, 30), PARIS).astimezone(timezone.utc),
                    worked=earnings > 0,
                    hours_worked=int(earnings / Decimal("11.88")) if earnings else 0,
                    gross_earnings=earnings,
                )
            )
        computed = monthly_allowance(facts, rights, month, earnings, indemnified)
        if computed.days_payable == 0:
            break
        payment_date = add_working_days(declared_on, PAYMENT_DELAY_WORKING_DAYS)
        blocked = _blocking_reasons(month, events, last_month, missing)
        lower = _lowering_reasons(month, rights, computed, earnings)
        withheld = Decimal(0)
        if overpayment is not None and not blocked and payment_date >= overpayment.notified_on + timedelta(days=61):
            withheld = min(overpayment.monthly_withholding, overpayment.remaining, computed.net)
            overpayment.remaining -= withheld
            lower.append(PaymentReason.OVERPAYMENT_WITHHELD.value)
        status = (
            PaymentStatus.BLOCKED
            if blocked
            else (PaymentStatus.PAID if payment_date <= today else PaymentStatus.SCHEDULED)
        )
        session.add(
            Payment(
                job_seeker_id=person.id,
                claim_id=claim.id,
                period=month,
                daily_allowance=applied_daily_allowance(computed),
                days_paid=computed.days_paid,
                unpaid_days=computed.unpaid_days,
                gross=computed.gross,
                retirement_contribution=computed.retirement_contribution,
                csg=computed.csg,
                crds=computed.crds,
                alsace_moselle_contribution=computed.alsace_moselle_contribution,
                overpayment_withheld=withheld,
                net=computed.net - withheld,
                status=status,
                reasons=blocked + lower,
                payment_date=None if blocked else payment_date,
                computed_at=datetime.combine(declared_on, time(22, 0), PARIS).astimezone(timezone.utc),
                explanation=[{"label": s.label, "detail": s.detail} for s in computed.explanation],
            )
        )
        if not blocked:
            indemnified += computed.days_paid
        month = add_months(month, 1)
    if events.awaited_payslip_for is not None:
        session.add(
            AwaitedDocument(
                job_seeker_id=person.id,
                kind="payslip",
                period=events.awaited_payslip_for,
                label="votre bulletin de salaire " + format_of_month_fr(events.awaited_payslip_for),
                requested_on=declaration_window(events.awaited_payslip_for).opens + timedelta(days=3),
            )
        )
    if overpayment is not None and overpayment.remaining < overpayment.amount:
        overpayment.status = OverpaymentStatus.RECOVERING if overpayment.remaining else OverpaymentStatus.REPAID
    session.flush()
    return rights


def _blocking_reasons(month: date, events: LifeEvents, last_month: date, missing: bool) -> list[str]:
    reasons = []
    if missing:
        reasons.append(PaymentReason.MISSING_DECLARATION.value)
    if events.awaited_payslip_for == month:
        reasons.append(PaymentReason.DOCUMENT_AWAITED.value)
    if events.sanction and events.sanction[0] <= month <= events.sanction[1]:
        reasons.append(PaymentReason.SANCTION.value)
    if events.iban_rejected and month == last_month:
        reasons.append(PaymentReason.IBAN_REJECTED.value)
    return reasons


def _lowering_reasons(month: date, rights: Rights, computed, earnings: Decimal) -> list[str]:
    reasons = []
    if computed.reduced_rate_days:
        reasons.append(PaymentReason.DEGRESSIVITY.value)
    if earnings > 0:
        reasons.append(PaymentReason.WORK_DECLARED.value)
    if month < REVISED_MONTHLY_RULE and computed.days_payable < 30 and month != first_of_month(rights.first_paid_day):
        reasons.append(PaymentReason.SHORT_MONTH.value)
    if month == first_of_month(rights.first_paid_day) and rights.first_paid_day > month:
        reasons.append(PaymentReason.WAITING_PERIOD.value)
    return reasons


def _add_overpayment(session: Session, person: JobSeeker, events: LifeEvents) -> Overpayment | None:
    if events.overpayment is None:
        return None
    amount, withholding, notified_on = events.overpayment
    overpayment = Overpayment(
        job_seeker_id=person.id,
        reference=f"TP-{person.identifier}",
        cause=(
            "Salaire déclaré inférieur au bulletin de salaire : vous aviez déclaré 0 € alors que "
            "votre employeur a déclaré une paie pour cette période."
        ),
        amount=amount,
        remaining=amount,
        monthly_withholding=withholding,
        notified_on=notified_on,
        period_start=add_months(first_of_month(notified_on), -4),
        period_end=add_months(first_of_month(notified_on), -3) - timedelta(days=1),
        status=OverpaymentStatus.NOTIFIED,
    )
    session.add(overpayment)
    return overpayment
