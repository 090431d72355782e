"""Write a person's file: claim, contracts, declarations and the payments the rules give.

Payments are never invented: the seed decides the life events (work declared, a
missing declaration, a payslip awaited, a sanction, a rejected transfer, a withheld
overpayment), and each past month's payment is read from the claim's timeline
(``rules.claim_timeline``), the same computation every view of the backend reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.backend import wording
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
from bot.backend.rules import (
    ClaimEvents,
    DeclaredMonth,
    MonthStatus,
    Rights,
    Sanction,
    claim_timeline,
    compute_rights,
    declaration_window,
    overpayment_status,
)
from bot.backend.rules.dates import add_months, month_start
from bot.backend.services.claim import claim_facts, month_reasons
from bot.common.clock import PARIS
from bot.common.formatting import format_of_month_fr

HOURLY_WAGE = Decimal("11.88")  # to turn declared earnings into hours worked


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
        month = month_start(spec.start)
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


def _declared_on(month: date) -> date:
    """The seeded people declare a few days after their window opens."""
    return declaration_window(month).opens + timedelta(days=month.month % 3)


def write_history(session: Session, person: JobSeeker, claim: Claim, today: date, events: LifeEvents) -> Rights:
    """Declarations and payments from the first paid month up to last month."""
    facts = claim_facts(person, claim)
    rights = compute_rights(facts)
    last_month = add_months(month_start(today), -1)
    declared: dict[date, DeclaredMonth] = {}
    month = month_start(rights.first_paid_day)
    while month <= last_month:
        if month not in events.missing_declarations:
            declared[month] = DeclaredMonth(_declared_on(month), events.earnings.get(month, Decimal(0)))
        month = add_months(month, 1)
    held: dict[date, tuple[str, ...]] = {}
    if events.awaited_payslip_for is not None:
        held[events.awaited_payslip_for] = (PaymentReason.DOCUMENT_AWAITED.value,)
    if events.iban_rejected:
        held[last_month] = (*held.get(last_month, ()), PaymentReason.IBAN_REJECTED.value)
    sanctions = (Sanction(*events.sanction),) if events.sanction else ()
    timeline = claim_timeline(facts, rights, ClaimEvents(declared, sanctions, held), today)

    overpayment = _add_overpayment(session, person, events)
    contest_deadline = (
        overpayment_status(overpayment.amount, overpayment.notified_on, today).contest_deadline if overpayment else None
    )
    for entry in timeline.months:
        if entry.month > last_month:
            break
        computed = entry.allowance
        if entry.month in declared:
            _add_declaration(session, person, entry.month, declared[entry.month])
        blocking, lowering = month_reasons(entry, rights)
        payment_date = entry.payment.expected if entry.payment is not None else None
        withheld = Decimal(0)
        if overpayment is not None and contest_deadline and payment_date and contest_deadline < payment_date:
            withheld = min(overpayment.monthly_withholding, overpayment.remaining, computed.net)
            overpayment.remaining -= withheld
            if withheld:
                lowering.append(PaymentReason.OVERPAYMENT_WITHHELD.value)
        status = {MonthStatus.PAID: PaymentStatus.PAID, MonthStatus.SCHEDULED: PaymentStatus.SCHEDULED}.get(
            entry.status, PaymentStatus.BLOCKED
        )
        computed_on = entry.declared_on or declaration_window(entry.month).closes
        session.add(
            Payment(
                job_seeker_id=person.id,
                claim_id=claim.id,
                period=entry.month,
                daily_allowance=computed.applied_daily_allowance,
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
                reasons=blocking + lowering,
                payment_date=payment_date,
                computed_at=datetime.combine(computed_on, time(22, 0), PARIS).astimezone(timezone.utc),
                explanation=wording.explanation(computed.explanation),
            )
        )
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


def _add_declaration(session: Session, person: JobSeeker, month: date, declared: DeclaredMonth) -> None:
    earnings = declared.earnings
    session.add(
        Declaration(
            job_seeker_id=person.id,
            month=month,
            status=DeclarationStatus.SUBMITTED,
            submitted_at=datetime.combine(declared.declared_on, time(10, 30), PARIS).astimezone(timezone.utc),
            worked=earnings > 0,
            hours_worked=int(earnings / HOURLY_WAGE) if earnings else 0,
            gross_earnings=earnings,
        )
    )


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
        period_start=add_months(month_start(notified_on), -4),
        period_end=add_months(month_start(notified_on), -3) - timedelta(days=1),
        status=OverpaymentStatus.NOTIFIED,
    )
    session.add(overpayment)
    return overpayment
