"""The job seeker's file as the API shows it: allowance, payments, rights, declarations.

This is the I/O shell around the pure rules: it opens the person's file once
(``claim.open_file``: rights and the month-by-month timeline), reads every figure
and date from that timeline, and returns plain dictionaries ready for JSON (amounts
as strings such as ``"1234.56"``, so that no float ever touches money; dates in ISO
form). The French of explanations and reasons comes from ``bot.backend.wording``.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend import wording
from bot.backend.models import (
    AwaitedDocument,
    Declaration,
    DeclarationStatus,
    JobSeeker,
    Payment,
    PaymentReason,
)
from bot.backend.rules import (
    ClaimEvents,
    DeclaredMonth,
    MonthStatus,
    TimelineMonth,
    claim_timeline,
    daily_net,
    declaration_window,
)
from bot.backend.rules.dates import add_months, month_start, next_month
from bot.backend.services import overpayments as overpayment_views
from bot.backend.services.claim import PersonFile, holds_payment, month_reasons, open_file
from bot.common import clock

BLOCKED_STATUSES = (MonthStatus.HELD, MonthStatus.NOT_DECLARED, MonthStatus.SUSPENDED)


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(Decimal(amount).quantize(Decimal("0.01")))


def period(month: date) -> str:
    return month.strftime("%Y-%m")


def _now() -> str:
    """When the figures are computed: the real time on the backend's day (``ALLOCBOT_TODAY`` pins it)."""
    return clock.now().astimezone(timezone.utc).isoformat()


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def payment_view(payment: Payment) -> dict:
    """A stored payment, as it was made (or blocked)."""
    return {
        "period": period(payment.period),
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


def sanction_until(file: PersonFile, month: date | None = None) -> date | None:
    """The last day of the sanction that touches ``month`` (or that is running or to come)."""
    claim = file.claim
    if claim.sanction_until is None or claim.sanction_from is None:
        return None
    if month is None:
        return claim.sanction_until if claim.sanction_until >= file.today else None
    first = month_start(month)
    return claim.sanction_until if claim.sanction_from < next_month(first) and claim.sanction_until >= first else None


def reason_details(session: Session, file: PersonFile, month: date, codes: list[str]) -> list[dict]:
    """Each reason of a blocked or lower payment in French, with what to do."""
    details = []
    for code in codes:
        facts: dict = {"period": month}
        if code == PaymentReason.MISSING_DECLARATION.value:
            window = declaration_window(month)
            facts.update(closes=window.closes, window_open=file.today <= window.closes)
        elif code == PaymentReason.DOCUMENT_AWAITED.value:
            facts["document"] = _awaited_label(session, file.person, month)
        elif code == PaymentReason.SANCTION.value:
            facts["until"] = sanction_until(file, month)
        elif code == PaymentReason.OVERPAYMENT_WITHHELD.value:
            stored = file.stored(month)
            facts["withheld"] = Decimal(stored.overpayment_withheld) if stored else Decimal(0)
        elif code == PaymentReason.DEGRESSIVITY.value:
            facts["since"] = file.timeline.degressivity.on if file.timeline.degressivity else None
        elif code == PaymentReason.WAITING_PERIOD.value:
            facts["first_paid_day"] = file.rights.first_paid_day
        elif code == PaymentReason.END_OF_RIGHTS.value:
            facts["end_date"] = file.timeline.end_date
        details.append({"code": code, "message": wording.reason_message(code, **facts)})
    return details


def _awaited_label(session: Session, person: JobSeeker, month: date) -> str | None:
    documents = session.execute(
        select(AwaitedDocument).where(AwaitedDocument.job_seeker_id == person.id, AwaitedDocument.received_on.is_(None))
    ).scalars()
    documents = list(documents)
    for document in documents:
        if document.period == month:
            return document.label
    return documents[0].label if documents else None


def monthly_view(entry: TimelineMonth) -> dict:
    computed = entry.allowance
    return {
        "days_payable": computed.days_payable,
        "days_paid": computed.days_paid,
        "full_rate_days": computed.full_rate_days,
        "reduced_rate_days": computed.reduced_rate_days,
        "suspended_days": computed.suspended_days,
        "daily_allowance": money(computed.daily_allowance),
        "reduced_daily_allowance": money(computed.reduced_daily_allowance),
        "reduced_from": computed.reduced_from.isoformat() if computed.reduced_from else None,
        "declared_earnings": money(computed.declared_earnings),
        "gross": money(computed.gross),
        "retirement_contribution": money(computed.retirement_contribution),
        "csg": money(computed.csg),
        "crds": money(computed.crds),
        "alsace_moselle_contribution": money(computed.alsace_moselle_contribution),
        "net": money(computed.net),
        "capped_by_reference_wage": computed.capped_by_reference_wage,
    }


def _no_month() -> dict:
    zero = money(Decimal(0))
    return {
        "days_payable": 0,
        "days_paid": 0,
        "full_rate_days": 0,
        "reduced_rate_days": 0,
        "suspended_days": 0,
        "daily_allowance": zero,
        "reduced_daily_allowance": None,
        "reduced_from": None,
        "declared_earnings": zero,
        "gross": zero,
        "retirement_contribution": zero,
        "csg": zero,
        "crds": zero,
        "alsace_moselle_contribution": zero,
        "net": zero,
        "capped_by_reference_wage": False,
    }


def month_view(file: PersonFile, month: date) -> dict:
    """One month of the timeline (or why there is none): the one place a month is said from."""
    rights, timeline = file.rights, file.timeline
    entry = timeline.month(month)
    view: dict = {
        "month": period(month),
        "reference_wage": money(rights.reference_wage),
        "first_paid_day": rights.first_paid_day.isoformat(),
        "end_of_rights": timeline.end_date.isoformat(),
        "rights_ended": timeline.end_date < file.today,
        "degressivity_applies": timeline.degressivity is not None,
        "computed_at": _now(),
        "source": "estimate",
    }
    if entry is None:
        before = not rights.eligible or month < month_start(rights.first_paid_day)
        view.update(
            status="before_start" if before and rights.eligible else ("no_rights" if before else "after_end"),
            daily={"gross": money(Decimal(0)), "net": money(Decimal(0))},
            monthly=_no_month(),
            explanation=wording.explanation(rights.explanation + timeline.explanation),
        )
        return view
    computed = entry.allowance
    view["status"] = entry.status.value
    if computed.days_payable:
        rate = computed.applied_daily_allowance
        view["daily"] = {"gross": money(rate), "net": money(daily_net(file.facts, rights, rate, month).net)}
    else:
        view["daily"] = {"gross": money(Decimal(0)), "net": money(Decimal(0))}
    view["monthly"] = monthly_view(entry)
    until = sanction_until(file, month)
    if until is not None:
        view["sanction_until"] = until.isoformat()
    if entry.payment is not None:
        view["payment_date"] = entry.payment.expected.isoformat()
    blocking, lowering = month_reasons(entry, rights)
    view["reasons"] = blocking + lowering
    view["explanation"] = wording.explanation(rights.explanation + computed.explanation)
    return view


def allowance(session: Session, person: JobSeeker, month: date, today: date) -> dict:
    """What the allowance is (paid), will be (estimated) or why there is none, for ``month``."""
    file = open_file(session, person, today)
    view = month_view(file, month)
    stored = file.stored(month)
    if stored is not None:
        view["source"] = "payment"
        view["payment"] = payment_view(stored)
        view["computed_at"] = view["payment"]["computed_at"]
    elif view["status"] == MonthStatus.ESTIMATED.value and month >= month_start(today):
        view["assumption"] = wording.ESTIMATE_ASSUMPTION
    return view


def rights(session: Session, person: JobSeeker, today: date) -> dict:
    return rights_view(open_file(session, person, today))


def rights_view(file: PersonFile) -> dict:
    """End of rights, days left and dégressivité, all read from the timeline."""
    rights, timeline, today = file.rights, file.timeline, file.today
    work, suspended, undeclared = timeline.unpaid_days()
    start = timeline.degressivity
    reduced = start.reduced if start else None
    if start is not None and start.on <= today:
        current = timeline.month(today)
        if current is not None and current.allowance.reduced_daily_allowance is not None:
            reduced = current.allowance.reduced_daily_allowance
    until = sanction_until(file)
    return {
        "eligible": rights.eligible,
        "reference_wage": money(rights.reference_wage),
        "daily_allowance": money(rights.daily_allowance),
        "reduced_daily_allowance": money(reduced),
        "duration_days": rights.duration_days,
        "first_paid_day": rights.first_paid_day.isoformat(),
        "end_date": timeline.end_date.isoformat(),
        "ended": timeline.end_date < today,
        "days_pushed_back": work + suspended + undeclared,
        "unpaid_for_work": work,
        "suspended_days": suspended,
        "not_declared_days": undeclared,
        "days_left": timeline.days_left(today),
        "indemnified_days": timeline.days_used_before(today),
        "degressivity_applies": start is not None,
        "degressivity_date": start.on.isoformat() if start else None,
        "degressivity_threshold": money(start.threshold) if start else None,
        "sanction": (
            {"from": file.claim.sanction_from.isoformat(), "until": until.isoformat()} if until is not None else None
        ),
        # The end of rights and the dégressivité first: "pourquoi ?" after this answer reads the first steps.
        "explanation": wording.explanation(timeline.explanation + _duration_first(rights.explanation)),
    }


def _duration_first(steps: tuple) -> tuple:
    durations = tuple(s for s in steps if s.code.startswith("duration"))
    return durations + tuple(s for s in steps if not s.code.startswith("duration"))


def payment_history(session: Session, person: JobSeeker, limit: int, today: date) -> list[dict]:
    """The latest payments first, each with its reasons said in French."""
    file = open_file(session, person, today)
    views = []
    for payment in reversed(list(file.payments.values())[-limit:]):
        view = payment_view(payment)
        view["reason_details"] = reason_details(session, file, payment.period, list(payment.reasons or []))
        views.append(view)
    return views


def _expected_view(session: Session, file: PersonFile, entry: TimelineMonth, withholding: dict) -> dict:
    """A payment to come: its date and amount from the timeline, less any overpayment withheld."""
    computed, payment = entry.allowance, entry.payment
    assert payment is not None
    blocking, lowering = month_reasons(entry, file.rights)
    withheld = withholding.get(month_start(payment.expected), Decimal(0))
    if withheld:
        lowering.append(PaymentReason.OVERPAYMENT_WITHHELD.value)
    window = declaration_window(entry.month)
    reasons = blocking + lowering
    # Said with the date: why the first payment waits. The withholding has its own figures below.
    details = reason_details(session, file, entry.month, [r for r in reasons if r == "waiting_period"])
    return {
        "status": "expected" if entry.estimated else "scheduled",
        "period": period(entry.month),
        "reasons": reasons,
        "reason_details": details,
        "payment_date": payment.expected.isoformat(),
        "latest_payment_date": payment.latest.isoformat(),
        "declaration_opens_on": window.opens.isoformat(),
        "declared_on": entry.declared_on.isoformat() if entry.declared_on and not entry.estimated else None,
        "days_paid": computed.days_paid,
        "daily_allowance": money(computed.applied_daily_allowance),
        "gross": money(computed.gross),
        "overpayment_withheld": money(withheld),
        "net_before_withholding": money(computed.net),
        "net": money(computed.net - withheld),
        "estimate": entry.estimated,
        "computed_at": _now(),
        "explanation": wording.explanation(computed.explanation + payment.explanation),
    }


def _blocked_view(session: Session, file: PersonFile, entry: TimelineMonth, run: list[TimelineMonth]) -> dict:
    stored = file.stored(entry.month)
    blocking, lowering = month_reasons(entry, file.rights)
    codes = list(stored.reasons) if stored is not None and stored.reasons else blocking + lowering
    suspended = entry.status is MonthStatus.SUSPENDED
    view = payment_view(stored) if stored is not None else {"period": period(entry.month), "payment_date": None}
    view.update(
        status="suspended" if suspended else "blocked",
        reasons=codes,
        reason_details=reason_details(session, file, entry.month, codes),
        months=[period(m.month) for m in run],
    )
    if suspended:
        # Nothing is due for a suspended month: no amount is said for it.
        until = sanction_until(file, entry.month)
        view.update(net=None, gross=None, days_paid=0, sanction_until=until.isoformat() if until else None)
    elif stored is None:
        view.update(
            net=money(entry.allowance.net), gross=money(entry.allowance.gross), days_paid=entry.allowance.days_paid
        )
    return view


def next_payment(session: Session, person: JobSeeker, today: date) -> dict:
    return next_payment_view(session, open_file(session, person, today))


def next_payment_view(session: Session, file: PersonFile) -> dict:
    """The next payment, or why there is none, with what the person can do."""
    pending = [m for m in file.timeline.months if m.status is not MonthStatus.PAID]
    withholding = overpayment_views.planned_withholding(session, file)
    if not pending:
        reasons = [PaymentReason.END_OF_RIGHTS.value]
        return {
            "status": "none",
            "period": None,
            "reasons": reasons,
            "reason_details": reason_details(session, file, file.timeline.end_date, reasons),
            "end_of_rights": file.timeline.end_date.isoformat(),
        }
    first = pending[0]
    if first.status not in BLOCKED_STATUSES:
        return _expected_view(session, file, first, withholding)
    run = [first]
    for entry in pending[1:]:
        if entry.status is not first.status:
            break
        run.append(entry)
    view = _blocked_view(session, file, first, run)
    after = next((m for m in pending if m.status in (MonthStatus.SCHEDULED, MonthStatus.ESTIMATED)), None)
    if after is not None and first.status in (MonthStatus.SUSPENDED, MonthStatus.HELD):
        view["then"] = _expected_view(session, file, after, withholding)
    view["computed_at"] = _now()  # the answer is read from the file now, the stored figures with it
    return view


def _window_view(window) -> dict:
    return {
        "month": period(window.month),
        "opens_on": window.opens.isoformat(),
        "closes_on": window.closes.isoformat(),
    }


def _is_open(window, day: date) -> bool:
    return window.opens <= day <= window.closes


def _due_month(today: date) -> date:
    """The latest month whose declaration window has opened."""
    this_month = month_start(today)
    return this_month if declaration_window(this_month).opens <= today else add_months(this_month, -1)


def declaration_calendar(today: date) -> dict:
    """The window open today, if any, and the next one (the same for every job seeker)."""
    due = declaration_window(_due_month(today))
    return {
        "today": today.isoformat(),
        "window_open": _is_open(due, today),
        "open_window": _window_view(due) if _is_open(due, today) else None,
        "next_window": _window_view(declaration_window(add_months(due.month, 1))),
    }


def _declaration(session: Session, person: JobSeeker, month: date) -> Declaration | None:
    return session.execute(
        select(Declaration).where(Declaration.job_seeker_id == person.id, Declaration.month == month)
    ).scalar_one_or_none()


def declaration_status(session: Session, person: JobSeeker, today: date) -> dict:
    """The latest declaration due (its window has opened) and the next window."""
    due_month = _due_month(today)
    due_window = declaration_window(due_month)
    declaration = _declaration(session, person, due_month)
    if declaration is not None:
        status = declaration.status.value
    elif _is_open(due_window, today):
        status = "open"
    else:
        status = DeclarationStatus.MISSING.value
    next_window = declaration_window(add_months(due_month, 1))
    return {
        "today": today.isoformat(),
        "window_open": _is_open(due_window, today),
        "last_due": {
            "month": period(due_month),
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
    return overpayment_views.overpayments(session, open_file(session, person, today))


def awaited_documents(session: Session, person: JobSeeker) -> dict:
    """The documents the file still awaits (not received), the oldest request first: what each one is, the
    month it concerns, when it was asked for, the payment it holds, and where to send it, in French."""
    documents = session.execute(
        select(AwaitedDocument)
        .where(AwaitedDocument.job_seeker_id == person.id, AwaitedDocument.received_on.is_(None))
        .order_by(AwaitedDocument.requested_on, AwaitedDocument.id)
    ).scalars()
    listed = []
    for document in documents:
        held = document.period if holds_payment(document) else None
        listed.append(
            {
                "kind": document.kind,
                "label": document.label,
                "period": period(document.period) if document.period else None,
                "requested_on": document.requested_on.isoformat(),
                "blocks_payment": held is not None,
                "held_payment": period(held) if held else None,
                "message": wording.awaited_document(document.label, document.requested_on, held),
            }
        )
    return {
        "documents": listed,
        "summary": wording.awaited_summary(len(listed)),
        "how_to_send": wording.SEND_DOCUMENT if listed else None,
        "computed_at": _now(),
    }


def simulate_earnings(session: Session, person: JobSeeker, month: date, earnings: Decimal, today: date) -> dict:
    """ "What if I earn X in that month": the timeline again, with that month declared so."""
    file = open_file(session, person, today)
    events = file.events
    declared = dict(events.declarations)
    declared[month] = DeclaredMonth(max(declaration_window(month).opens, today), earnings)
    timeline = claim_timeline(file.facts, file.rights, ClaimEvents(declared, events.sanctions, events.held), today)
    simulated = PersonFile(file.person, file.claim, file.facts, file.rights, timeline, file.payments, today, events)
    view = month_view(simulated, month)
    view["total_gross_income"] = money(Decimal(view["monthly"]["gross"]) + earnings)
    view["days_pushed_back"] = view["monthly"]["days_payable"] - view["monthly"]["days_paid"]
    return view


def summary(session: Session, person: JobSeeker, today: date) -> dict:
    """A counsellor's one-screen view of the file (no identifiers beyond the name)."""
    file = open_file(session, person, today)
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "department": person.department,
        "contact_preference": person.contact_preference.value,
        "rights": rights_view(file),
        "next_payment": next_payment_view(session, file),
        "declaration": declaration_status(session, person, today),
        "overpayments": overpayment_views.overpayments(session, file),
    }
