"""Record every read of a person's file: who, for which conversation, what and why.

The conversation is named by its keyed hash (``conversation_ids.hashed``), never in
clear; entries are kept ``ALLOCBOT_ACCESS_LOG_RETENTION_DAYS`` (365) days, then
deleted by ``python -m bot.privacy.purge``.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from bot.backend.models import AccessLogEntry


def record(
    session: Session, job_seeker_id: int, actor: str, resource: str, purpose: str, conversation_hash: str | None = None
) -> None:
    session.add(
        AccessLogEntry(
            at=datetime.now(timezone.utc),
            actor=actor,
            conversation_id=conversation_hash,
            job_seeker_id=job_seeker_id,
            resource=resource,
            purpose=purpose,
        )
    )
