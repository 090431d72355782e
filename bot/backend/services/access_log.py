"""Record every read of a person's file: who, for which conversation, what and why."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from bot.backend.models import AccessLogEntry


def record(
    session: Session, job_seeker_id: int, actor: str, resource: str, purpose: str, conversation_id: str | None = None
) -> None:
    session.add(
        AccessLogEntry(
            at=datetime.now(timezone.utc),
            actor=actor,
            conversation_id=conversation_id,
            job_seeker_id=job_seeker_id,
            resource=resource,
            purpose=purpose,
        )
    )
