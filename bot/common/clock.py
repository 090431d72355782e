"""The one place that reads the clock, in Europe/Paris.

``ALLOCBOT_TODAY=2026-11-22`` pins "today" so that demos, seeds and tests give the
same answers whatever day they run; the time of day stays real.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """Aware current time in Paris (the date part follows ``ALLOCBOT_TODAY``)."""
    current = datetime.now(PARIS)
    pinned = os.environ.get("ALLOCBOT_TODAY")
    if pinned:
        day = date.fromisoformat(pinned)
        current = current.replace(year=day.year, month=day.month, day=day.day)
    return current


def today() -> date:
    return now().date()
