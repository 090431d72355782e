"""Overpayments as the API shows them: notified, withheld so far, left, and what comes next.

What was withheld is read from the stored payments (oldest overpayment first when
there are several); what will be withheld is projected on the payments still to come
in the person's timeline, with the withholding the file records. A notification the
rules have no parameters for gets a clear answer instead of an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend import wording
from bot.backend.models import Overpayment, OverpaymentStatus
from bot.backend.rules import Instalment, MonthStatus, ParameterNotFound, overpayment_status, step
from bot.backend.rules import OverpaymentStatus as Status
from bot.backend.rules.dates import month_start
from bot.backend.services.claim import PersonFile

ZERO = Decimal(0)


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(Decimal(amount).quantize(Decimal("0.01")))


@dataclass(frozen=True)
class Recovery:
    row: Overpayment
    status: Status | None  # None: no rule is known for its notification date


def _withheld_so_far(file: PersonFile) -> list[Instalment]:
    return [
        Instalment(month_start(p.payment_date or p.period), Decimal(p.overpayment_withheld))
        for p in file.payments.values()
        if Decimal(p.overpayment_withheld) > 0
    ]


def _upcoming(file: PersonFile) -> dict[date, Decimal]:
    """The nets still to be paid, by payment date (months already stored are past withholding)."""
    return {
        m.payment.expected: m.allowance.net
        for m in file.timeline.months
        if m.status in (MonthStatus.SCHEDULED, MonthStatus.ESTIMATED)
        and m.payment is not None
        and file.stored(m.month) is None
    }


def recoveries(session: Session, file: PersonFile) -> list[Recovery]:
    """Each overpayment of the person, oldest first, with where its recovery stands."""
    rows = session.execute(
        select(Overpayment).where(Overpayment.job_seeker_id == file.person.id).order_by(Overpayment.notified_on)
    ).scalars()
    pool = _withheld_so_far(file)
    upcoming = _upcoming(file)
    results = []
    for row in rows:
        amount = Decimal(row.amount)
        taken: list[Instalment] = []
        while pool and sum((t.amount for t in taken), ZERO) < amount:
            head = pool.pop(0)
            room = amount - sum((t.amount for t in taken), ZERO)
            if head.amount > room:
                pool.insert(0, Instalment(head.month, head.amount - room))
                head = Instalment(head.month, room)
            taken.append(head)
        withholding = Decimal(row.monthly_withholding) if Decimal(row.monthly_withholding) > 0 else None
        try:
            status = overpayment_status(
                amount,
                row.notified_on,
                file.today,
                withheld=taken,
                upcoming=[Instalment(day, net) for day, net in sorted(upcoming.items())],
                monthly_withholding=withholding,
                fraud=row.fraud,
                paid_on=row.period_end,
            )
        except ParameterNotFound:
            status = None
        if status is not None:
            for instalment in status.instalments:
                for day in upcoming:
                    if month_start(day) == instalment.month:
                        upcoming[day] -= instalment.amount
        results.append(Recovery(row, status))
    return results


def planned_withholding(session: Session, file: PersonFile) -> dict[date, Decimal]:
    """What will be withheld from each payment to come, by month of the payment."""
    planned: dict[date, Decimal] = {}
    for recovery in recoveries(session, file):
        for instalment in recovery.status.instalments if recovery.status else ():
            planned[instalment.month] = planned.get(instalment.month, ZERO) + instalment.amount
    return planned


def _status_code(row: Overpayment, status: Status) -> str:
    if not status.recoverable:
        return OverpaymentStatus.NOT_RECOVERED.value
    if status.remaining == 0:
        return OverpaymentStatus.REPAID.value
    if status.withheld > 0:
        return OverpaymentStatus.RECOVERING.value
    return row.status.value


def overpayments(session: Session, file: PersonFile) -> list[dict]:
    views = []
    for recovery in recoveries(session, file):
        row, status = recovery.row, recovery.status
        view = {
            "reference": row.reference,
            "cause": row.cause,
            "amount": money(row.amount),
            "notified_on": row.notified_on.isoformat(),
            "period_start": row.period_start.isoformat(),
            "period_end": row.period_end.isoformat(),
        }
        if status is None:
            view.update(
                rules_known=False,
                status=row.status.value,
                remaining=money(row.remaining),
                monthly_withholding=money(row.monthly_withholding),
                explanation=wording.explanation((step("overpayment_rules_unknown"),)),
            )
            views.append(view)
            continue
        last = status.last_instalment
        view.update(
            rules_known=True,
            status=_status_code(row, status),
            remaining=money(status.remaining),
            withheld=money(status.withheld),
            monthly_withholding=money(status.monthly_withholding),
            withholding_applied=status.withholding_applied,
            recoverable=status.recoverable,
            not_recovered_because=status.not_recovered_because,
            contest_deadline=status.contest_deadline.isoformat(),
            can_contest=status.can_contest,
            limitation_date=status.limitation_date.isoformat(),
            plan=[{"month": i.month.strftime("%Y-%m"), "amount": money(i.amount)} for i in status.instalments],
            withholdings_left=len(status.instalments),
            last_withholding=(
                {"month": last.month.strftime("%Y-%m"), "amount": money(last.amount)} if last is not None else None
            ),
            balance_after_plan=money(status.balance_after_plan),
            explanation=wording.explanation(status.explanation),
        )
        views.append(view)
    return views
