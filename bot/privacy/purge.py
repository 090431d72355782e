"""Retention: delete conversations and closed tickets older than the retention period.

``python -m bot.privacy.purge [--days 90] [--dry-run]`` removes from the tracker
store every conversation whose last event is older than ``--days`` (default
``ALLOCBOT_RETENTION_DAYS``, else 90), from the backend every handoff ticket
closed before that, and every access-log entry older than
``ALLOCBOT_ACCESS_LOG_RETENTION_DAYS`` (365: long enough for a person to ask who
read their file, short enough not to keep a history of their contacts); it
prints what it removed. Idempotent: run it daily (cron or
a systemd timer, see docs/privacy.md). Open tickets are never purged: a person
is waiting for an answer.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from bot.config import PROJECT_ROOT
from bot.privacy.tracker_db import EVENTS, create_tracker_engine, tracker_db_url

DEFAULT_DAYS = 90
DEFAULT_ACCESS_LOG_DAYS = 365


@dataclass
class PurgeResult:
    conversations: int
    events: int
    tickets: int
    access_log: int = 0


def retention_days() -> int:
    return int(os.environ.get("ALLOCBOT_RETENTION_DAYS") or DEFAULT_DAYS)


def access_log_retention_days() -> int:
    return int(os.environ.get("ALLOCBOT_ACCESS_LOG_RETENTION_DAYS") or DEFAULT_ACCESS_LOG_DAYS)


def backend_db_url() -> str:
    return os.environ.get("ALLOCBOT_DATABASE_URL") or f"sqlite:///{PROJECT_ROOT / 'var' / 'backend.db'}"


def purge_conversations(engine: sa.engine.Engine, before_epoch: float, dry_run: bool = False) -> tuple[int, int]:
    """Conversations whose newest event is older than ``before_epoch``: (conversations, events) removed."""
    EVENTS.metadata.create_all(engine, tables=[EVENTS])
    with engine.begin() as connection:
        last = sa.func.max(EVENTS.c.timestamp)
        old = [
            row.sender_id
            for row in connection.execute(
                sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(last < before_epoch)
            )
        ]
        events = 0
        for start in range(0, len(old), 500):
            chunk = old[start : start + 500]
            if dry_run:
                events += connection.execute(
                    sa.select(sa.func.count()).select_from(EVENTS).where(EVENTS.c.sender_id.in_(chunk))
                ).scalar()
            else:
                events += connection.execute(EVENTS.delete().where(EVENTS.c.sender_id.in_(chunk))).rowcount
        return len(old), events


def purge_tickets(
    database_url: str, before: datetime, dry_run: bool = False, log_before: datetime | None = None
) -> tuple[int, int]:
    """Closed tickets before ``before`` and access-log entries before ``log_before``: (tickets, entries)."""
    from bot.backend.db import session_scope
    from bot.backend.services.privacy import purge_access_log, purge_closed_tickets

    with session_scope(database_url) as session:
        removed = purge_closed_tickets(session, before)
        entries = purge_access_log(session, log_before) if log_before else 0
        if dry_run:
            session.rollback()
        else:
            session.commit()
        return removed, entries


def purge(
    days: int,
    dry_run: bool = False,
    tracker_url: str | None = None,
    database_url: str | None = None,
    now: float | None = None,
    access_log_days: int | None = None,
) -> PurgeResult:
    now = time.time() if now is None else now
    cutoff = now - days * 86_400
    log_cutoff = now - (access_log_days or access_log_retention_days()) * 86_400
    engine = create_tracker_engine(tracker_url or tracker_db_url())
    try:
        conversations, events = purge_conversations(engine, cutoff, dry_run)
    finally:
        engine.dispose()
    tickets, entries = purge_tickets(
        database_url or backend_db_url(),
        datetime.fromtimestamp(cutoff, timezone.utc),
        dry_run,
        datetime.fromtimestamp(log_cutoff, timezone.utc),
    )
    return PurgeResult(conversations, events, tickets, entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Efface les conversations et les tickets clos plus anciens que la durée de conservation."
    )
    parser.add_argument(
        "--days",
        type=int,
        default=None,
        help=f"durée de conservation en jours (défaut : ALLOCBOT_RETENTION_DAYS ou {DEFAULT_DAYS})",
    )
    parser.add_argument("--dry-run", action="store_true", help="compte sans rien effacer")
    args = parser.parse_args(argv)
    days = retention_days() if args.days is None else args.days
    if days < 1:
        parser.error("--days doit être au moins 1")
    result = purge(days, args.dry_run)
    print(f"Conservation : {days} jours.")
    print(
        f"Conversations {'à effacer' if args.dry_run else 'effacées'} : {result.conversations} "
        f"({result.events} événements)."
    )
    print(f"Tickets clos {'à effacer' if args.dry_run else 'effacés'} : {result.tickets}.")
    print(
        f"Journal des accès ({access_log_retention_days()} jours) : "
        f"{result.access_log} entrée(s) {'à effacer' if args.dry_run else 'effacée(s)'}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
