"""What privacy does to the backend's records: erasure, retention of tickets, access-log export.

Pure database functions over a SQLAlchemy session (the caller commits), used by
the backend route ``DELETE /v1/conversations/{id}`` and by the commands
``bot.privacy.purge`` and ``bot.privacy.access_log_export``.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.backend.models import AccessLogEntry, HandoffTicket, JobSeeker, TicketStatus

ERASURE_RESOURCE = "conversation"
ERASURE_PURPOSE = "effacement de la conversation à la demande de la personne"


def erase_conversation(session: Session, conversation_id: str, actor: str = "bot") -> dict:
    """Delete the conversation's tickets (transcripts included); log the erasure, without content.

    ``conversation_id`` is the conversation's keyed hash, as the backend stores it.
    The person is found through the tickets and the access log of that
    conversation; the earlier entries keep who read what and when, but no longer
    name the conversation; the erasure entry is the only one that does, so that
    the person and the DPO can check it happened.
    """
    tickets = session.execute(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id)).scalars()
    tickets = list(tickets)
    people = {ticket.job_seeker_id for ticket in tickets if ticket.job_seeker_id is not None}
    people |= set(
        session.execute(
            select(AccessLogEntry.job_seeker_id).where(AccessLogEntry.conversation_id == conversation_id)
        ).scalars()
    )
    for ticket in tickets:
        session.delete(ticket)
    session.execute(
        update(AccessLogEntry).where(AccessLogEntry.conversation_id == conversation_id).values(conversation_id=None)
    )
    now = datetime.now(timezone.utc)
    for job_seeker_id in sorted(people):
        session.add(
            AccessLogEntry(
                at=now,
                actor=actor,
                conversation_id=conversation_id,
                job_seeker_id=job_seeker_id,
                resource=ERASURE_RESOURCE,
                purpose=ERASURE_PURPOSE,
            )
        )
    return {"conversation_id": conversation_id, "tickets_deleted": len(tickets), "erasure_logged": len(people)}


def purge_closed_tickets(session: Session, before: datetime) -> int:
    """Delete tickets closed before ``before``; returns how many."""
    result = session.execute(
        delete(HandoffTicket).where(
            HandoffTicket.status == TicketStatus.CLOSED,
            HandoffTicket.closed_at.is_not(None),
            HandoffTicket.closed_at < before,
        )
    )
    return result.rowcount or 0


def purge_access_log(session: Session, before: datetime) -> int:
    """Delete access-log entries older than ``before``; returns how many."""
    return session.execute(delete(AccessLogEntry).where(AccessLogEntry.at < before)).rowcount or 0


def access_log_of(session: Session, identifier: str) -> list[dict] | None:
    """Every logged read of one person's file, oldest first; None if no such person."""
    person = session.execute(select(JobSeeker).where(JobSeeker.identifier == identifier.strip().upper())).scalar()
    if person is None:
        return None
    entries = session.execute(
        select(AccessLogEntry)
        .where(AccessLogEntry.job_seeker_id == person.id)
        .order_by(AccessLogEntry.at, AccessLogEntry.id)
    ).scalars()
    return [
        {
            "at": _iso(entry.at),
            "actor": entry.actor,
            "conversation_id": entry.conversation_id,
            "resource": entry.resource,
            "purpose": entry.purpose,
        }
        for entry in entries
    ]


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")
