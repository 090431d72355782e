"""Handoff tickets: a conversation handed to a counsellor, and its life cycle.

A ticket is cheap to ask for (one message, « /ask_human » or a distress phrase,
makes one, urgent for distress), so creation is limited where a flood would
bury the real ones (issue 17 §2):

* one open ticket per conversation: a repeated handoff updates it (``repeats``
  counts them; an urgent ticket stays urgent);
* at most ``ALLOCBOT_TICKETS_PER_PERSON`` new tickets (5) per identified person
  in ``ALLOCBOT_TICKETS_WINDOW_SECONDS`` (600), over the public channels (web,
  SMS, WhatsApp; REST is for our own tools and needs its token). Tickets of
  several conversations are never merged: each keeps its own transcript, and a
  counsellor answers in the conversation that asked;
* at most ``ALLOCBOT_TICKETS_PER_SOURCE`` new tickets (5) per origin in
  ``ALLOCBOT_TICKETS_WINDOW_SECONDS`` (600): the origin is the channel's keyed
  hash of the client's address (web), else the conversation itself (a phone
  number is one origin);
* at most ``ALLOCBOT_TICKETS_GLOBAL_MAX`` (200) new tickets of unidentified
  people from the web in the same window, all addresses together (a flood from
  many addresses), logged as an alert;
* beyond either limit: 429 ``too_many_tickets`` with a French message (call the
  3949), and a warning in the log. The queue lists urgent tickets first, the
  oldest first, so that a real distress from elsewhere stays at the top.

Conversation ids are kept hashed, the id itself sealed (``conversation_ids``).
"""

from __future__ import annotations

import logging
import os
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.backend.errors import ApiError, not_found
from bot.backend.models import HandoffTicket, TicketPriority, TicketStatus, utc_aware
from bot.backend.services import conversation_ids

log = logging.getLogger(__name__)

# Origins of the open web (the widget's keyed hash of an address): a flood from many addresses comes
# from there; an SMS or WhatsApp number is signed and costs money, REST needs its token.
PUBLIC_ORIGIN = "web:"
TRUSTED_CHANNELS = frozenset({"rest", "cmdline"})  # our own tools: the REST token, a counsellor's shell

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


def new_reference() -> str:
    return "AB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def _limit(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


TOO_MANY = ApiError(
    429,
    "too_many_tickets",
    "Nous avons reçu beaucoup de demandes de mise en relation depuis votre connexion en peu de temps. "
    "Pour parler à un conseiller, appelez le 3949 (service gratuit + prix d'un appel).",
)


def _open_ticket(session: Session, *condition) -> HandoffTicket | None:
    query = select(HandoffTicket).where(*condition, HandoffTicket.status != TicketStatus.CLOSED)
    return session.execute(query.order_by(HandoffTicket.created_at.desc())).scalars().first()


def _check_limits(session: Session, source: str, person: int | None, channel: str, now: datetime) -> None:
    since = now - timedelta(seconds=_limit("ALLOCBOT_TICKETS_WINDOW_SECONDS", 600))
    recent = select(func.count()).select_from(HandoffTicket).where(HandoffTicket.created_at >= since)
    from_source = session.execute(recent.where(HandoffTicket.source == source)).scalar_one()
    if from_source >= _limit("ALLOCBOT_TICKETS_PER_SOURCE", 5):
        log.warning("ticket flood: %d new tickets from one origin (%s) in the window: refused", from_source, source)
        raise TOO_MANY
    if person is not None and channel not in TRUSTED_CHANNELS:
        of_person = session.execute(recent.where(HandoffTicket.job_seeker_id == person)).scalar_one()
        if of_person >= _limit("ALLOCBOT_TICKETS_PER_PERSON", 5):
            log.warning("ticket flood: %d new tickets of one person in the window: refused", of_person)
            raise TOO_MANY
    if person is None and source.startswith(PUBLIC_ORIGIN):
        anonymous = session.execute(
            recent.where(HandoffTicket.job_seeker_id.is_(None), HandoffTicket.source.like(PUBLIC_ORIGIN + "%"))
        ).scalar_one()
        if anonymous >= _limit("ALLOCBOT_TICKETS_GLOBAL_MAX", 200):
            log.error("ticket flood: %d new tickets of unidentified people in the window: refused", anonymous)
            raise TOO_MANY


def create(
    session: Session,
    *,
    secret: str,
    conversation_id: str,
    channel: str,
    reason: str,
    priority: str,
    need: str | None,
    summary: str,
    transcript: list[dict],
    job_seeker_id: int | None,
    source: str | None = None,
) -> HandoffTicket:
    """One open ticket per conversation (a repeated handoff updates it); new ones within the limits."""
    now = datetime.now(timezone.utc)
    hashed = conversation_ids.hashed(secret, conversation_id)
    ticket = _open_ticket(session, HandoffTicket.conversation_id == hashed)
    if ticket is None:
        source = source or hashed
        _check_limits(session, source, job_seeker_id, channel, now)
        ticket = HandoffTicket(
            reference=new_reference(),
            conversation_id=hashed,
            conversation_sealed=conversation_ids.seal(secret, conversation_id),
            created_at=now,
            status=TicketStatus.WAITING,
            source=source,
            repeats=0,
        )
        session.add(ticket)
    else:
        ticket.repeats = (ticket.repeats or 0) + 1
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


def view(ticket: HandoffTicket, secret: str) -> dict:
    """What the console sees: the conversation id unsealed (it must reach the conversation in Rasa)."""

    def iso(value):
        value = utc_aware(value)
        return value.isoformat() if value else None

    return {
        "reference": ticket.reference,
        "conversation_id": conversation_ids.unseal(secret, ticket.conversation_sealed),
        "repeats": ticket.repeats or 0,
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
