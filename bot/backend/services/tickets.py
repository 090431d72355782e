"""Handoff tickets: a conversation handed to a counsellor, and its life cycle."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from bot.backend.errors import ApiError, not_found
from bot.backend.models import HandoffTicket, TicketPriority, TicketStatus, utc_aware

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


def new_reference() -> str:
    return "AB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def create(
    session: Session,
    *,
    conversation_id: str,
    channel: str,
    reason: str,
    priority: str,
    need: str | None,
    summary: str,
    transcript: list[dict],
    job_seeker_id: int | None,
) -> HandoffTicket:
    """One open ticket per conversation: a second handoff updates the open one."""
    ticket = (
        session.execute(
            select(HandoffTicket).where(
                HandoffTicket.conversation_id == conversation_id, HandoffTicket.status != TicketStatus.CLOSED
            )
        )
        .scalars()
        .first()
    )
    if ticket is None:
        ticket = HandoffTicket(
            reference=new_reference(),
            conversation_id=conversation_id,
            created_at=datetime.now(timezone.utc),
            status=TicketStatus.WAITING,
        )
        session.add(ticket)
    ticket.channel = channel
    ticket.reason = reason
    if ticket.priority != TicketPriority.URGENT:
        ticket.priority = TicketPriority(priority)
    ticket.need = need
    ticket.summary = summary
    ticket.transcript = transcript
    ticket.job_seeker_id = job_seeker_id or ticket.job_seeker_id
    session.flush()
    return ticket


def listing(session: Session, status: TicketStatus | None) -> list[HandoffTicket]:
    query = select(HandoffTicket)
    if status is not None:
        query = query.where(HandoffTicket.status == status)
    urgent_first = case((HandoffTicket.priority == TicketPriority.URGENT, 0), else_=1)
    return list(session.execute(query.order_by(urgent_first, HandoffTicket.created_at)).scalars())


def get(session: Session, reference: str) -> HandoffTicket:
    ticket = session.execute(select(HandoffTicket).where(HandoffTicket.reference == reference)).scalar_one_or_none()
    if ticket is None:
        raise not_found("Ce ticket n'existe pas.")
    return ticket


def take(session: Session, reference: str, counsellor: str) -> HandoffTicket:
    ticket = get(session, reference)
    if ticket.status == TicketStatus.CLOSED:
        raise ApiError(409, "ticket_closed", "Ce ticket est déjà clos.")
    if ticket.status == TicketStatus.TAKEN and ticket.counsellor != counsellor:
        raise ApiError(409, "ticket_taken", "Ce ticket est déjà pris par un autre conseiller.")
    ticket.status = TicketStatus.TAKEN
    ticket.counsellor = counsellor
    ticket.taken_at = ticket.taken_at or datetime.now(timezone.utc)
    return ticket


def held_by(session: Session, job_seeker_id: int, counsellor: str) -> HandoffTicket | None:
    """The open ticket of this person that this counsellor has taken, if any: the only
    reason a counsellor may read the file."""
    return (
        session.execute(
            select(HandoffTicket)
            .where(
                HandoffTicket.job_seeker_id == job_seeker_id,
                HandoffTicket.status == TicketStatus.TAKEN,
                HandoffTicket.counsellor == counsellor,
            )
            .order_by(HandoffTicket.taken_at.desc())
        )
        .scalars()
        .first()
    )


def release(session: Session, reference: str, counsellor: str) -> HandoffTicket:
    ticket = get(session, reference)
    if ticket.status != TicketStatus.TAKEN or ticket.counsellor != counsellor:
        raise ApiError(409, "not_your_ticket", "Vous ne pouvez rendre qu'un ticket que vous avez pris.")
    ticket.status = TicketStatus.WAITING
    ticket.counsellor = None
    ticket.taken_at = None
    return ticket


def close(session: Session, reference: str, counsellor: str) -> HandoffTicket:
    ticket = get(session, reference)
    if ticket.status == TicketStatus.CLOSED:
        raise ApiError(409, "ticket_closed", "Ce ticket est déjà clos.")
    ticket.status = TicketStatus.CLOSED
    ticket.counsellor = ticket.counsellor or counsellor
    ticket.closed_at = datetime.now(timezone.utc)
    return ticket


def view(ticket: HandoffTicket) -> dict:
    def iso(value):
        value = utc_aware(value)
        return value.isoformat() if value else None

    return {
        "reference": ticket.reference,
        "conversation_id": ticket.conversation_id,
        "channel": ticket.channel,
        "job_seeker_id": ticket.job_seeker_id,
        "reason": ticket.reason,
        "priority": ticket.priority.value,
        "need": ticket.need,
        "summary": ticket.summary,
        "transcript": ticket.transcript,
        "status": ticket.status.value,
        "counsellor": ticket.counsellor,
        "created_at": iso(ticket.created_at),
        "taken_at": iso(ticket.taken_at),
        "closed_at": iso(ticket.closed_at),
    }
