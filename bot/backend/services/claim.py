"""A person's claim read from the database into the rules' inputs, and its timeline.

The file stores facts (contracts, declarations, a sanction, documents awaited, a
rejected transfer); the rules turn them into one timeline (``rules.claim_timeline``)
that every view reads. ``month_reasons`` says, from a month of that timeline, why its
payment is blocked or lower: the seed stores those codes on the payments it writes,
and the views use the same function for months not paid yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend.errors import ApiError
from bot.backend.models import (
    AwaitedDocument,
    Claim,
    Declaration,
    JobSeeker,
    Payment,
    PaymentReason,
    PaymentStatus,
)
from bot.backend.rules import (
    ClaimEvents,
    ClaimFacts,
    Contract,
    CsgRate,
    DeclaredMonth,
    MonthlyWage,
    MonthStatus,
    Rights,
    Sanction,
    Timeline,
    TimelineMonth,
    claim_timeline,
    compute_rights,
)
from bot.backend.rules.dates import month_start
from bot.common.clock import PARIS

NO_CLAIM = ApiError(404, "no_claim", "Aucun droit à l'allocation n'est ouvert dans ce dossier.")
REVISED_MONTHLY_RULE = date(2025, 4, 1)
HOLDS = (PaymentReason.DOCUMENT_AWAITED.value, PaymentReason.IBAN_REJECTED.value)


def claim_facts(person: JobSeeker, claim: Claim) -> ClaimFacts:
    """The rules' view of a stored claim."""
    return ClaimFacts(
        birth_date=person.birth_date,
        contracts=tuple(
            Contract(
                start=contract.start,
                end=contract.end,
                wages=tuple(MonthlyWage(wage.month, Decimal(wage.gross)) for wage in contract.wages),
                working_time_ratio=Decimal(contract.working_time_ratio),
                hours_worked=contract.hours_worked,
            )
            for contract in claim.contracts
        ),
        registration_date=claim.registration_date,
        seasonal_worker=claim.seasonal_worker,
        economic_dismissal=claim.economic_dismissal,
        supra_legal_severance=Decimal(claim.supra_legal_severance),
        paid_leave_compensation=Decimal(claim.paid_leave_compensation),
        previous_waiting_period_on=claim.previous_waiting_period_on,
        in_training=claim.in_training,
        csg_rate=CsgRate(claim.csg_rate),
        alsace_moselle=person.alsace_moselle,
    )


def paris_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(PARIS).date()


def sanctions_of(claim: Claim) -> tuple[Sanction, ...]:
    if claim.sanction_from is None or claim.sanction_until is None:
        return ()
    return (Sanction(claim.sanction_from, claim.sanction_until),)


def holds_payment(document: AwaitedDocument) -> bool:
    """Whether a document holds the payment of its month: awaited still, for a month, and said to block it."""
    return document.period is not None and document.received_on is None and bool(document.blocks_payment)


def claim_events(
    claim: Claim,
    declarations: list[Declaration],
    awaited: list[AwaitedDocument],
    payments: list[Payment],
) -> ClaimEvents:
    """What the file says happened: declarations, the sanction, payments held."""
    declared = {
        d.month: DeclaredMonth(paris_day(d.submitted_at), Decimal(d.gross_earnings))
        for d in declarations
        if d.submitted_at is not None
    }
    held: dict[date, tuple[str, ...]] = {}
    for document in awaited:
        if holds_payment(document):
            held[document.period] = (*held.get(document.period, ()), PaymentReason.DOCUMENT_AWAITED.value)
    for payment in payments:
        if payment.status == PaymentStatus.BLOCKED:
            for code in payment.reasons or []:
                if code in HOLDS and code not in held.get(payment.period, ()):
                    held[payment.period] = (*held.get(payment.period, ()), code)
    return ClaimEvents(declared, sanctions_of(claim), held)


@dataclass(frozen=True)
class PersonFile:
    """Everything a view needs about one person on one day, read once per request."""

    person: JobSeeker
    claim: Claim
    facts: ClaimFacts
    rights: Rights
    timeline: Timeline
    payments: dict[date, Payment]  # stored, by period
    today: date
    events: ClaimEvents

    def stored(self, month: date) -> Payment | None:
        return self.payments.get(month_start(month))


def current_claim(person: JobSeeker) -> Claim:
    claim = person.current_claim
    if claim is None:
        raise NO_CLAIM
    return claim


def payments_of(session: Session, person: JobSeeker) -> list[Payment]:
    return list(
        session.execute(select(Payment).where(Payment.job_seeker_id == person.id).order_by(Payment.period)).scalars()
    )


def open_file(session: Session, person: JobSeeker, today: date) -> PersonFile:
    """The person's claim, rights and timeline as of ``today``."""
    claim = current_claim(person)
    payments = payments_of(session, person)
    declarations = list(session.execute(select(Declaration).where(Declaration.job_seeker_id == person.id)).scalars())
    awaited = list(session.execute(select(AwaitedDocument).where(AwaitedDocument.job_seeker_id == person.id)).scalars())
    facts = claim_facts(person, claim)
    events = claim_events(claim, declarations, awaited, payments)
    rights, timeline = computed(facts, events, today)
    return PersonFile(person, claim, facts, rights, timeline, {p.period: p for p in payments}, today, events)


def computed(facts: ClaimFacts, events: ClaimEvents, today: date) -> tuple[Rights, Timeline]:
    """The rights and the timeline of a file, computed once for the same facts and day.

    A conversation asks the backend several times about the same file: the rules are
    pure and their results immutable, so the same inputs give the same objects."""
    key = (
        tuple(sorted(events.declarations.items())),
        events.sanctions,
        tuple(sorted(events.held.items())),
    )
    return _computed(facts, key, today)


@lru_cache(maxsize=1024)
def _computed(facts: ClaimFacts, key: tuple, today: date) -> tuple[Rights, Timeline]:
    declarations, sanctions, held = key
    rights = compute_rights(facts)
    return rights, claim_timeline(facts, rights, ClaimEvents(dict(declarations), sanctions, dict(held)), today)


def month_reasons(entry: TimelineMonth, rights: Rights) -> tuple[list[str], list[str]]:
    """Why the payment of a timeline month is blocked, and why it is lower (reason codes)."""
    blocking: list[str] = []
    if entry.status is MonthStatus.NOT_DECLARED:
        blocking.append(PaymentReason.MISSING_DECLARATION.value)
    blocking.extend(entry.held_for)
    if entry.status is MonthStatus.SUSPENDED:
        blocking.append(PaymentReason.SANCTION.value)
    lowering: list[str] = []
    allowance = entry.allowance
    if entry.status is not MonthStatus.SUSPENDED and allowance.suspended_days:
        lowering.append(PaymentReason.SANCTION.value)
    if allowance.reduced_rate_days:
        lowering.append(PaymentReason.DEGRESSIVITY.value)
    if allowance.declared_earnings > 0:
        lowering.append(PaymentReason.WORK_DECLARED.value)
    first_month = month_start(rights.first_paid_day)
    if entry.month < REVISED_MONTHLY_RULE and allowance.days_payable < 30 and entry.month != first_month:
        lowering.append(PaymentReason.SHORT_MONTH.value)
    if entry.month == first_month and rights.first_paid_day > entry.month:
        lowering.append(PaymentReason.WAITING_PERIOD.value)
    return blocking, lowering
