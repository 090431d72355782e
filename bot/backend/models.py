"""SQLAlchemy models of the simulated France Travail file.

Names follow what a counsellor says: job seeker, claim, declaration, payment,
overpayment, awaited document, handoff ticket. Amounts are ``Numeric(12, 2)``
read back as ``Decimal``. The schema itself is created by Alembic migrations
(``bot/backend/migrations``), never by ``create_all`` in production code.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

Money = Numeric(12, 2, asdecimal=True)

ALSACE_MOSELLE_DEPARTMENTS = frozenset({"57", "67", "68"})


class ContactPreference(str, enum.Enum):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    PHONE = "phone"
    WEB = "web"


class PaymentStatus(str, enum.Enum):
    PAID = "paid"
    SCHEDULED = "scheduled"
    BLOCKED = "blocked"


class PaymentReason(str, enum.Enum):
    """Why a payment is missing or lower (docs/are-rules.md §10), as the backend states it."""

    MISSING_DECLARATION = "missing_declaration"
    LATE_DECLARATION = "late_declaration"
    WAITING_PERIOD = "waiting_period"
    DOCUMENT_AWAITED = "document_awaited"
    SANCTION = "sanction"
    END_OF_RIGHTS = "end_of_rights"
    IBAN_REJECTED = "iban_rejected"
    OVERPAYMENT_WITHHELD = "overpayment_withheld"
    DEGRESSIVITY = "degressivity"
    WORK_DECLARED = "work_declared"
    SHORT_MONTH = "short_month"


class DeclarationStatus(str, enum.Enum):
    SUBMITTED = "submitted"
    LATE = "late"
    MISSING = "missing"


class OverpaymentStatus(str, enum.Enum):
    NOTIFIED = "notified"
    CONTESTED = "contested"
    RECOVERING = "recovering"
    REPAID = "repaid"
    NOT_RECOVERED = "not_recovered"


class TicketStatus(str, enum.Enum):
    WAITING = "waiting"
    TAKEN = "taken"
    CLOSED = "closed"


class TicketPriority(str, enum.Enum):
    NORMAL = "normal"
    URGENT = "urgent"


class JobSeeker(Base):
    __tablename__ = "job_seekers"

    id = Column(Integer, primary_key=True)
    identifier = Column(String(8), nullable=False, unique=True, index=True)  # identifiant France Travail
    first_name = Column(String(80), nullable=False)
    last_name = Column(String(80), nullable=False)
    birth_date = Column(Date, nullable=False)
    social_security_number = Column(String(15), nullable=True)
    phone = Column(String(20), nullable=True, unique=True, index=True)  # E.164
    email = Column(String(200), nullable=True)
    department = Column(String(3), nullable=False)
    contact_preference = Column(Enum(ContactPreference), nullable=False, default=ContactPreference.WEB)
    iban = Column(String(34), nullable=True)
    iban_rejected = Column(Boolean, nullable=False, default=False)
    persona = Column(String(40), nullable=True, index=True)  # demo persona key, null for synthetic people

    claims = relationship("Claim", back_populates="job_seeker", order_by="Claim.registration_date")

    @property
    def alsace_moselle(self) -> bool:
        return self.department in ALSACE_MOSELLE_DEPARTMENTS

    @property
    def current_claim(self) -> Claim | None:
        return self.claims[-1] if self.claims else None


class Claim(Base):
    """An ARE claim (ouverture de droits) and the facts its rights are computed from."""

    __tablename__ = "claims"

    id = Column(Integer, primary_key=True)
    job_seeker_id = Column(Integer, ForeignKey("job_seekers.id", ondelete="CASCADE"), nullable=False, index=True)
    registration_date = Column(Date, nullable=False)
    seasonal_worker = Column(Boolean, nullable=False, default=False)
    economic_dismissal = Column(Boolean, nullable=False, default=False)
    supra_legal_severance = Column(Money, nullable=False, default=Decimal(0))
    paid_leave_compensation = Column(Money, nullable=False, default=Decimal(0))
    previous_waiting_period_on = Column(Date, nullable=True)
    in_training = Column(Boolean, nullable=False, default=False)
    csg_rate = Column(String(10), nullable=False, default="normal")  # normal / reduced / exempt
    sanction_from = Column(Date, nullable=True)  # suspension decided by the agency
    sanction_until = Column(Date, nullable=True)

    job_seeker = relationship("JobSeeker", back_populates="claims")
    contracts = relationship(
        "EmploymentContract",
        back_populates="claim",
        order_by="EmploymentContract.start",
        cascade="all, delete-orphan",
    )


class EmploymentContract(Base):
    __tablename__ = "employment_contracts"

    id = Column(Integer, primary_key=True)
    claim_id = Column(Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True)
    employer = Column(String(120), nullable=False)
    start = Column(Date, nullable=False)
    end = Column(Date, nullable=False)
    working_time_ratio = Column(Numeric(5, 4), nullable=False, default=Decimal(1))
    hours_worked = Column(Integer, nullable=True)

    claim = relationship("Claim", back_populates="contracts")
    wages = relationship(
        "MonthlyWageRecord",
        back_populates="contract",
        order_by="MonthlyWageRecord.month",
        cascade="all, delete-orphan",
    )


class MonthlyWageRecord(Base):
    __tablename__ = "monthly_wages"

    id = Column(Integer, primary_key=True)
    contract_id = Column(Integer, ForeignKey("employment_contracts.id", ondelete="CASCADE"), nullable=False, index=True)
    month = Column(Date, nullable=False)  # first day of the month
    gross = Column(Money, nullable=False)

    contract = relationship("EmploymentContract", back_populates="wages")


class Declaration(Base):
    """Monthly declaration (actualisation) for one month of the claim."""

    __tablename__ = "declarations"
    __table_args__ = (UniqueConstraint("job_seeker_id", "month"),)

    id = Column(Integer, primary_key=True)
    job_seeker_id = Column(Integer, ForeignKey("job_seekers.id", ondelete="CASCADE"), nullable=False, index=True)
    month = Column(Date, nullable=False)
    status = Column(Enum(DeclarationStatus), nullable=False)
    submitted_at = Column(DateTime(timezone=True), nullable=True)
    worked = Column(Boolean, nullable=False, default=False)
    hours_worked = Column(Integer, nullable=False, default=0)
    gross_earnings = Column(Money, nullable=False, default=Decimal(0))


class Payment(Base):
    """One monthly payment of the allowance, with what it is made of."""

    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("job_seeker_id", "period"),)

    id = Column(Integer, primary_key=True)
    job_seeker_id = Column(Integer, ForeignKey("job_seekers.id", ondelete="CASCADE"), nullable=False, index=True)
    claim_id = Column(Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False)
    period = Column(Date, nullable=False)  # month the allowance is for (first day)
    daily_allowance = Column(Money, nullable=False)
    days_paid = Column(Integer, nullable=False)
    unpaid_days = Column(Integer, nullable=False, default=0)  # not paid because of work: push back the end date
    gross = Column(Money, nullable=False)
    retirement_contribution = Column(Money, nullable=False, default=Decimal(0))
    csg = Column(Money, nullable=False, default=Decimal(0))
    crds = Column(Money, nullable=False, default=Decimal(0))
    alsace_moselle_contribution = Column(Money, nullable=False, default=Decimal(0))
    overpayment_withheld = Column(Money, nullable=False, default=Decimal(0))
    net = Column(Money, nullable=False)  # what reaches the bank account, after any withholding
    status = Column(Enum(PaymentStatus), nullable=False)
    reasons = Column(JSON, nullable=False, default=list)  # PaymentReason values, most important first
    payment_date = Column(Date, nullable=True)  # paid on, or expected on
    computed_at = Column(DateTime(timezone=True), nullable=False)
    explanation = Column(JSON, nullable=False, default=list)  # [{"label", "detail"}]


class Overpayment(Base):
    """Trop-perçu notified to the person, and how it is being recovered."""

    __tablename__ = "overpayments"

    id = Column(Integer, primary_key=True)
    job_seeker_id = Column(Integer, ForeignKey("job_seekers.id", ondelete="CASCADE"), nullable=False, index=True)
    reference = Column(String(20), nullable=False, unique=True)
    cause = Column(Text, nullable=False)
    amount = Column(Money, nullable=False)
    remaining = Column(Money, nullable=False)
    monthly_withholding = Column(Money, nullable=False, default=Decimal(0))
    notified_on = Column(Date, nullable=False)
    period_start = Column(Date, nullable=False)
    period_end = Column(Date, nullable=False)
    fraud = Column(Boolean, nullable=False, default=False)
    status = Column(Enum(OverpaymentStatus), nullable=False)


class AwaitedDocument(Base):
    __tablename__ = "awaited_documents"

    id = Column(Integer, primary_key=True)
    job_seeker_id = Column(Integer, ForeignKey("job_seekers.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(40), nullable=False)  # payslip, employer_certificate, ...
    label = Column(String(200), nullable=False)  # French, as said to the person
    period = Column(Date, nullable=True)
    requested_on = Column(Date, nullable=False)
    received_on = Column(Date, nullable=True)
    blocks_payment = Column(Boolean, nullable=False, default=True)


class HandoffTicket(Base):
    """A conversation handed over to a counsellor, with why and what was said (redacted)."""

    __tablename__ = "handoff_tickets"

    id = Column(Integer, primary_key=True)
    reference = Column(String(20), nullable=False, unique=True, index=True)
    job_seeker_id = Column(Integer, ForeignKey("job_seekers.id", ondelete="SET NULL"), nullable=True)
    # Keyed hash of the conversation id (services/conversation_ids.py), never the id in clear; the id
    # itself is sealed beside it for the console, which must reach the conversation in Rasa.
    conversation_id = Column(String(200), nullable=False, index=True)
    conversation_sealed = Column(Text, nullable=True)
    source = Column(String(80), nullable=True, index=True)  # keyed hash of the origin (channel's), for throttles
    repeats = Column(Integer, nullable=False, default=0)  # handoffs merged into this ticket
    channel = Column(String(20), nullable=False)
    reason = Column(String(40), nullable=False)
    priority = Column(Enum(TicketPriority), nullable=False, default=TicketPriority.NORMAL)
    need = Column(String(60), nullable=True)
    summary = Column(Text, nullable=False, default="")
    transcript = Column(JSON, nullable=False, default=list)  # [{"sender", "text", "at"}], redacted
    status = Column(Enum(TicketStatus), nullable=False, default=TicketStatus.WAITING, index=True)
    counsellor = Column(String(80), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False)
    taken_at = Column(DateTime(timezone=True), nullable=True)
    closed_at = Column(DateTime(timezone=True), nullable=True)


class AccessLogEntry(Base):
    """Every read of a person's file: who, for which conversation, what, when, why."""

    __tablename__ = "access_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, index=True)
    actor = Column(String(80), nullable=False)  # "bot" or "counsellor:<login>"
    conversation_id = Column(String(200), nullable=True)  # keyed hash (services/conversation_ids.py)
    job_seeker_id = Column(Integer, ForeignKey("job_seekers.id", ondelete="CASCADE"), nullable=False, index=True)
    resource = Column(String(60), nullable=False)
    purpose = Column(String(120), nullable=False)


class IdentificationLock(Base):
    """Failed identification attempts per key (identifier, phone, conversation, file, source, birth date, all)."""

    __tablename__ = "identification_locks"

    key = Column(String(120), primary_key=True)  # hashed, never the identifier in clear
    failures = Column(Integer, nullable=False, default=0)
    last_failure_at = Column(DateTime(timezone=True), nullable=True)
    locked_until = Column(DateTime(timezone=True), nullable=True)


class BackendMeta(Base):
    """Small key/value facts about the database itself, e.g. the day the demo seed was made for."""

    __tablename__ = "backend_meta"

    key = Column(String(40), primary_key=True)
    value = Column(String(200), nullable=False)


def utc_aware(value: datetime | None) -> datetime | None:
    """SQLite drops tzinfo on the way back; our timestamps are always stored in UTC."""
    from datetime import timezone

    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


__all__ = [
    "ALSACE_MOSELLE_DEPARTMENTS",
    "AccessLogEntry",
    "AwaitedDocument",
    "BackendMeta",
    "Base",
    "Claim",
    "ContactPreference",
    "Declaration",
    "DeclarationStatus",
    "EmploymentContract",
    "HandoffTicket",
    "IdentificationLock",
    "JobSeeker",
    "MonthlyWageRecord",
    "Overpayment",
    "OverpaymentStatus",
    "Payment",
    "PaymentReason",
    "PaymentStatus",
    "TicketPriority",
    "TicketStatus",
    "utc_aware",
]
