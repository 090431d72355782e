"""The job seeker's file as the API shows it: allowance, payments, rights, declarations.

This is the I/O shell around the pure rules of ``bot.backend.rules``: it reads
the stored facts, asks the rules, and returns plain dictionaries ready for JSON
(amounts as strings such as ``"1234.56"``, so that no float ever touches money).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend.calendar import add_months, add_working_days, declaration_window, first_of_month, is_open
from bot.backend.errors import ApiError
from bot.backend.models import (
    AwaitedDocument,
    Claim,
    Declaration,
    DeclarationStatus,
    JobSeeker,
    Overpayment,
    OverpaymentStatus,
    Payment,
    PaymentReason,
    PaymentStatus,
)
from bot.backend.rules import (
    ClaimFacts,
    Contract,
    CsgRate,
    MonthlyAllowance,
    MonthlyWage,
    Rights,
    compute_rights,
    daily_net,
    monthly_allowance,
    overpayment_recovery,
)
from bot.formatting import format_date_fr, format_eur, format_month_fr, format_of_month_fr

NO_CLAIM = ApiError(404, "no_claim", "Aucun droit à l'allocation n'est ouvert dans ce dossier.")
PAYMENT_DELAY_WORKING_DAYS = 3


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(Decimal(amount).quantize(Decimal("0.01")))


def steps(explanation) -> list[dict[str, str]]:
    return [{"label": step.label, "detail": step.detail} for step in explanation]


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


def current_claim(person: JobSeeker) -> Claim:
    claim = person.current_claim
    if claim is None:
        raise NO_CLAIM
    return claim


def rights_of(person: JobSeeker) -> tuple[ClaimFacts, Rights]:
    facts = claim_facts(person, current_claim(person))
    return facts, compute_rights(facts)


def payments_of(session: Session, person: JobSeeker) -> list[Payment]:
    return list(
        session.execute(select(Payment).where(Payment.job_seeker_id == person.id).order_by(Payment.period)).scalars()
    )


def indemnified_days_before(payments: list[Payment], month: date) -> int:
    """Paid days consumed before ``month``: they count toward day 183 (dégressivité)."""
    return sum(p.days_paid for p in payments if p.period < month and p.status != PaymentStatus.BLOCKED)


def end_of_rights(rights: Rights, payments: list[Payment]) -> date:
    """The last day of rights, pushed back by the days not paid because the person worked."""
    return rights.end_date + timedelta(days=sum(p.unpaid_days for p in payments))


def payment_view(payment: Payment) -> dict:
    return {
        "period": payment.period.strftime("%Y-%m"),
        "status": payment.status.value,
        "reasons": list(payment.reasons or []),
        "payment_date": payment.payment_date.isoformat() if payment.payment_date else None,
        "daily_allowance": money(payment.daily_allowance),
        "days_paid": payment.days_paid,
        "gross": money(payment.gross),
        "retirement_contribution": money(payment.retirement_contribution),
        "csg": money(payment.csg),
        "crds": money(payment.crds),
        "alsace_moselle_contribution": money(payment.alsace_moselle_contribution),
        "overpayment_withheld": money(payment.overpayment_withheld),
        "net": money(payment.net),
        "computed_at": _iso(payment.computed_at),
        "explanation": list(payment.explanation or []),
    }


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def applied_daily_allowance(computed: MonthlyAllowance) -> Decimal:
    """The daily rate paid this month: the reduced one once the whole month is past day 183."""
    if computed.reduced_daily_allowance is not None and computed.reduced_rate_days and not computed.full_rate_days:
        return computed.reduced_daily_allowance
    return computed.daily_allowance


def allowance_view(facts: ClaimFacts, rights: Rights, computed: MonthlyAllowance) -> dict:
    rate = applied_daily_allowance(computed)
    per_day = daily_net(facts, rights, rate, computed.month)
    return {
        "month": computed.month.strftime("%Y-%m"),
        "reference_wage": money(rights.reference_wage),
        "daily": {"gross": money(rate), "net": money(per_day.net)},
        "monthly": {
            "days_payable": computed.days_payable,
            "days_paid": computed.days_paid,
            "full_rate_days": computed.full_rate_days,
            "reduced_rate_days": computed.reduced_rate_days,
            "daily_allowance": money(computed.daily_allowance),
            "reduced_daily_allowance": money(computed.reduced_daily_allowance),
            "declared_earnings": money(computed.declared_earnings),
            "gross": money(computed.gross),
            "retirement_contribution": money(computed.retirement_contribution),
            "csg": money(computed.csg),
            "crds": money(computed.crds),
            "alsace_moselle_contribution": money(computed.alsace_moselle_contribution),
            "net": money(computed.net),
            "capped_by_reference_wage": computed.capped_by_reference_wage,
        },
        "degressivity_applies": rights.degressivity_applies,
        "explanation": steps(rights.explanation) + steps(computed.explanation),
    }


def allowance(session: Session, person: JobSeeker, month: date, today: date) -> dict:
    """What the allowance is (paid) or will be (estimated) for ``month``."""
    facts, rights = rights_of(person)
    payments = payments_of(session, person)
    stored = next((p for p in payments if p.period == month), None)
    declaration = _declaration(session, person, month)
    earnings = Decimal(declaration.gross_earnings) if declaration else Decimal(0)
    computed = monthly_allowance(facts, rights, month, earnings, indemnified_days_before(payments, month))
    view = allowance_view(facts, rights, computed)
    view["first_paid_day"] = rights.first_paid_day.isoformat()
    view["end_of_rights"] = end_of_rights(rights, payments).isoformat()
    view["computed_at"] = datetime.now(timezone.utc).isoformat()
    view["source"] = "estimate"
    if stored is not None:
        view["source"] = "payment"
        view["payment"] = payment_view(stored)
        view["computed_at"] = view["payment"]["computed_at"]
    elif declaration is None and month >= first_of_month(today):
        view["assumption"] = "Estimation sans revenu d'activité déclaré pour ce mois."
    return view


def _declaration(session: Session, person: JobSeeker, month: date) -> Declaration | None:
    return session.execute(
        select(Declaration).where(Declaration.job_seeker_id == person.id, Declaration.month == month)
    ).scalar_one_or_none()


def rights(session: Session, person: JobSeeker, today: date) -> dict:
    facts, computed = rights_of(person)
    payments = payments_of(session, person)
    end_date = end_of_rights(computed, payments)
    unpaid = (end_date - computed.end_date).days
    consumed = indemnified_days_before(payments, add_months(first_of_month(today), 1))
    degressivity_date = None
    if computed.degressivity_applies:
        degressivity_date = computed.first_paid_day + timedelta(days=182 + unpaid)
    return {
        "eligible": computed.eligible,
        "reference_wage": money(computed.reference_wage),
        "daily_allowance": money(computed.daily_allowance),
        "reduced_daily_allowance": money(computed.reduced_daily_allowance),
        "duration_days": computed.duration_days,
        "first_paid_day": computed.first_paid_day.isoformat(),
        "end_date": end_date.isoformat(),
        "days_pushed_back": unpaid,
        "days_left": max(0, (end_date - max(today, computed.first_paid_day)).days + 1),
        "indemnified_days": consumed,
        "degressivity_applies": computed.degressivity_applies,
        "degressivity_date": degressivity_date.isoformat() if degressivity_date else None,
        "explanation": steps(computed.explanation),
    }


def payment_history(session: Session, person: JobSeeker, limit: int, today: date) -> list[dict]:
    """The latest payments first, each with its reasons said in French."""
    views = []
    for payment in reversed(payments_of(session, person)[-limit:]):
        view = payment_view(payment)
        view["reason_details"] = reason_details(session, person, payment, today)
        views.append(view)
    return views


def next_payment(session: Session, person: JobSeeker, today: date) -> dict:
    """The next payment, or why there is none, with what the person can do."""
    facts, computed = rights_of(person)
    payments = payments_of(session, person)
    pending = [p for p in payments if p.status != PaymentStatus.PAID]
    if pending:
        payment = pending[0]
        view = payment_view(payment)
        view["reason_details"] = reason_details(session, person, payment, today)
        return view

    last_period = payments[-1].period if payments else None
    month = add_months(last_period, 1) if last_period else first_of_month(max(computed.first_paid_day, today))
    end = end_of_rights(computed, payments)
    if month > end:
        return {
            "status": "none",
            "period": None,
            "reasons": [PaymentReason.END_OF_RIGHTS.value],
            "reason_details": [
                {
                    "code": PaymentReason.END_OF_RIGHTS.value,
                    "message": f"Vos droits ont pris fin le {format_date_fr(end)}.",
                }
            ],
        }
    estimate = monthly_allowance(facts, computed, month, Decimal(0), indemnified_days_before(payments, month))
    window = declaration_window(month)
    earliest = max(window.opens, today)
    expected = add_working_days(earliest, PAYMENT_DELAY_WORKING_DAYS)
    reasons, details = [], []
    if computed.first_paid_day > today:
        reasons.append(PaymentReason.WAITING_PERIOD.value)
        details.append(
            {
                "code": PaymentReason.WAITING_PERIOD.value,
                "message": (
                    "Votre indemnisation commence le "
                    f"{format_date_fr(computed.first_paid_day)}, après les délais de carence et d'attente."
                ),
            }
        )
    return {
        "status": "expected",
        "period": month.strftime("%Y-%m"),
        "reasons": reasons,
        "reason_details": details,
        "payment_date": expected.isoformat(),
        "declaration_opens_on": window.opens.isoformat(),
        "days_paid": estimate.days_paid,
        "daily_allowance": money(estimate.daily_allowance),
        "gross": money(estimate.gross),
        "net": money(estimate.net),
        "estimate": True,
        "computed_at": datetime.now(timezone.utc).isoformat(),
        "explanation": steps(estimate.explanation)
        + [
            {
                "label": "Date de paiement",
                "detail": (
                    f"après votre actualisation de {format_month_fr(month)} (à partir du "
                    f"{format_date_fr(window.opens)}), le paiement part en général "
                    f"{PAYMENT_DELAY_WORKING_DAYS} jours ouvrés plus tard."
                ),
            }
        ],
    }


def reason_details(session: Session, person: JobSeeker, payment: Payment, today: date) -> list[dict]:
    """Each reason of a blocked or lower payment in French, with what to do."""
    details = []
    for code in payment.reasons or []:
        details.append({"code": code, "message": _reason_message(session, person, payment, code, today)})
    return details


def _reason_message(session: Session, person: JobSeeker, payment: Payment, code: str, today: date) -> str:
    month = format_month_fr(payment.period)
    of_month = format_of_month_fr(payment.period)
    window = declaration_window(payment.period)
    if code == PaymentReason.MISSING_DECLARATION.value:
        if today <= window.closes:
            return (
                f"Votre actualisation {of_month} n'a pas encore été faite. Faites-la avant le "
                f"{format_date_fr(window.closes)} minuit pour être payé."
            )
        return (
            f"Votre actualisation {of_month} n'a pas été faite avant le "
            f"{format_date_fr(window.closes)} : votre inscription a pris fin et les paiements "
            "sont arrêtés. Réinscrivez-vous pour les reprendre."
        )
    if code == PaymentReason.LATE_DECLARATION.value:
        return f"Votre actualisation {of_month} a été faite en retard : le paiement est décalé."
    if code == PaymentReason.DOCUMENT_AWAITED.value:
        document = (
            session.execute(
                select(AwaitedDocument).where(
                    AwaitedDocument.job_seeker_id == person.id, AwaitedDocument.received_on.is_(None)
                )
            )
            .scalars()
            .first()
        )
        label = document.label if document else "un justificatif"
        return f"Nous attendons {label} pour calculer votre paiement {of_month}. Envoyez-le depuis votre espace."
    if code == PaymentReason.SANCTION.value:
        claim = current_claim(person)
        until = f" jusqu'au {format_date_fr(claim.sanction_until)}" if claim.sanction_until else ""
        return f"Votre allocation est suspendue{until} à la suite d'une décision de sanction."
    if code == PaymentReason.IBAN_REJECTED.value:
        return (
            "Votre banque a refusé le virement : vos coordonnées bancaires (RIB) sont à mettre à jour "
            "dans votre espace personnel."
        )
    if code == PaymentReason.OVERPAYMENT_WITHHELD.value:
        return (
            f"{format_eur(Decimal(payment.overpayment_withheld))} ont été retenus sur ce paiement "
            "pour rembourser un trop-perçu."
        )
    if code == PaymentReason.DEGRESSIVITY.value:
        return "Votre allocation journalière est réduite depuis votre 183e jour indemnisé (dégressivité)."
    if code == PaymentReason.WORK_DECLARED.value:
        return f"Vous avez déclaré une activité en {month} : une partie des jours n'est pas payée ce mois-ci."
    if code == PaymentReason.SHORT_MONTH.value:
        return (
            f"{month.capitalize()} compte moins de jours : avant avril 2025, l'allocation était payée "
            "au nombre de jours du mois."
        )
    if code == PaymentReason.WAITING_PERIOD.value:
        return "Les délais de carence et d'attente s'appliquent avant votre premier jour indemnisé."
    if code == PaymentReason.END_OF_RIGHTS.value:
        return "Vos droits à l'allocation ont pris fin."
    return "Un conseiller peut vous donner le détail de ce paiement."


def _window_view(window) -> dict:
    return {
        "month": window.month.strftime("%Y-%m"),
        "opens_on": window.opens.isoformat(),
        "closes_on": window.closes.isoformat(),
    }


def _due_month(today: date) -> date:
    """The latest month whose declaration window has opened."""
    this_month = first_of_month(today)
    return this_month if declaration_window(this_month).opens <= today else add_months(this_month, -1)


def declaration_calendar(today: date) -> dict:
    """The window open today, if any, and the next one (the same for every job seeker)."""
    due = declaration_window(_due_month(today))
    return {
        "today": today.isoformat(),
        "window_open": is_open(due, today),
        "open_window": _window_view(due) if is_open(due, today) else None,
        "next_window": _window_view(declaration_window(add_months(due.month, 1))),
    }


def declaration_status(session: Session, person: JobSeeker, today: date) -> dict:
    """The latest declaration due (its window has opened) and the next window."""
    due_month = _due_month(today)
    due_window = declaration_window(due_month)
    declaration = _declaration(session, person, due_month)
    if declaration is not None:
        status = declaration.status.value
    elif is_open(due_window, today):
        status = "open"
    else:
        status = DeclarationStatus.MISSING.value
    next_window = declaration_window(add_months(due_month, 1))
    return {
        "today": today.isoformat(),
        "window_open": is_open(due_window, today),
        "last_due": {
            "month": due_month.strftime("%Y-%m"),
            "opens_on": due_window.opens.isoformat(),
            "closes_on": due_window.closes.isoformat(),
            "status": status,
            "submitted_at": _iso(declaration.submitted_at) if declaration and declaration.submitted_at else None,
            "worked": bool(declaration and declaration.worked),
            "hours_worked": declaration.hours_worked if declaration else 0,
            "gross_earnings": money(declaration.gross_earnings) if declaration else "0.00",
        },
        "next_window": _window_view(next_window),
    }


def overpayments(session: Session, person: JobSeeker, today: date) -> list[dict]:
    rows = session.execute(
        select(Overpayment).where(Overpayment.job_seeker_id == person.id).order_by(Overpayment.notified_on)
    ).scalars()
    views = []
    payments = payments_of(session, person)
    monthly_net = Decimal(payments[-1].net + payments[-1].overpayment_withheld) if payments else Decimal(0)
    for row in rows:
        schedule = overpayment_recovery(Decimal(row.remaining), row.notified_on, monthly_net, fraud=row.fraud)
        views.append(
            {
                "reference": row.reference,
                "cause": row.cause,
                "amount": money(row.amount),
                "remaining": money(row.remaining),
                "monthly_withholding": money(row.monthly_withholding),
                "notified_on": row.notified_on.isoformat(),
                "period_start": row.period_start.isoformat(),
                "period_end": row.period_end.isoformat(),
                "status": row.status.value,
                "contest_deadline": schedule.contest_deadline.isoformat(),
                "can_contest": today <= schedule.contest_deadline and row.status == OverpaymentStatus.NOTIFIED,
                "recoverable": schedule.recoverable,
                "explanation": steps(schedule.explanation),
            }
        )
    return views


def simulate_earnings(session: Session, person: JobSeeker, month: date, earnings: Decimal) -> dict:
    facts, computed = rights_of(person)
    payments = payments_of(session, person)
    result = monthly_allowance(facts, computed, month, earnings, indemnified_days_before(payments, month))
    view = allowance_view(facts, computed, result)
    view["computed_at"] = datetime.now(timezone.utc).isoformat()
    view["total_gross_income"] = money(result.gross + earnings)
    view["days_pushed_back"] = result.unpaid_days
    return view


def summary(session: Session, person: JobSeeker, today: date) -> dict:
    """A counsellor's one-screen view of the file (no identifiers beyond the name)."""
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "department": person.department,
        "contact_preference": person.contact_preference.value,
        "rights": rights(session, person, today),
        "next_payment": next_payment(session, person, today),
        "declaration": declaration_status(session, person, today),
        "overpayments": overpayments(session, person, today),
    }
