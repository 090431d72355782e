"""When counsellors answer live: weekly hours in Europe/Paris, minus French public holidays.

The schedule comes from ``ALLOCBOT_COUNSELLOR_HOURS`` so that each agency can set
its own, e.g. ``lun-ven 08:30-12:30,13:30-17:00; sam 09:00-12:00``. Public
holidays come from the ``holidays`` package (metropolitan France), not from a
hand-kept list. Outside these hours the bot promises a callback, never a live
counsellor.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.common.calendar import is_public_holiday
from bot.common.clock import PARIS

DEFAULT_HOURS = "lun-ven 08:30-17:00"
DAYS = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]
_PART = re.compile(r"^\s*(?P<days>[a-zé]{3}(?:\s*-\s*[a-zé]{3})?)\s+(?P<ranges>[\d:,\s-]+)\s*$")
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class InvalidSchedule(ValueError):
    """The configured hours cannot be read: better to refuse at start than to promise wrong hours."""


@dataclass(frozen=True)
class Schedule:
    """Opening ranges per weekday (0 = Monday), e.g. {0: ((08:30, 17:00),), ...}."""

    ranges: dict[int, tuple[tuple[time, time], ...]]

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(PARIS)
        if is_public_holiday(local.date()):
            return False
        moment = local.time()
        return any(start <= moment < end for start, end in self.ranges.get(local.weekday(), ()))

    def next_opening(self, at: datetime) -> datetime | None:
        """The start of the next opening range after ``at`` (within 3 weeks), in Paris time."""
        local = at.astimezone(PARIS)
        for offset in range(22):
            day = local.date() + timedelta(days=offset)
            if is_public_holiday(day):
                continue
            for start, _end in self.ranges.get(day.weekday(), ()):
                opening = datetime.combine(day, start, tzinfo=PARIS)
                if opening > local:
                    return opening
        return None

    def describe(self) -> str:
        """« du lundi au vendredi de 8 h 30 à 17 h » for the usual case; a list otherwise."""
        full = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
        groups: list[tuple[list[int], tuple]] = []
        for weekday in range(7):
            ranges = self.ranges.get(weekday, ())
            if not ranges:
                continue
            if groups and groups[-1][1] == ranges and groups[-1][0][-1] == weekday - 1:
                groups[-1][0].append(weekday)
            else:
                groups.append(([weekday], ranges))
        parts = []
        for days, ranges in groups:
            when = f"du {full[days[0]]} au {full[days[-1]]}" if len(days) > 1 else f"le {full[days[0]]}"
            hours = " et ".join(f"de {_hour(start)} à {_hour(end)}" for start, end in ranges)
            parts.append(f"{when} {hours}")
        return ", ".join(parts) + " (sauf jours fériés)" if parts else "sur rendez-vous"


def _hour(value: time) -> str:
    return f"{value.hour} h" + (f" {value.minute:02d}" if value.minute else "")


def parse(text: str) -> Schedule:
    ranges: dict[int, list[tuple[time, time]]] = {}
    for part in filter(str.strip, text.lower().split(";")):
        match = _PART.match(part)
        if not match:
            raise InvalidSchedule(f"Horaires illisibles : « {part.strip()} » (exemple : {DEFAULT_HOURS})")
        bounds = [d.strip() for d in match.group("days").split("-")]
        if any(d not in DAYS for d in bounds):
            raise InvalidSchedule(f"Jour inconnu dans « {part.strip()} » (jours : {', '.join(DAYS)})")
        first, last = DAYS.index(bounds[0]), DAYS.index(bounds[-1])
        if last < first:
            raise InvalidSchedule(f"Plage de jours à l'envers : « {part.strip()} »")
        for chunk in match.group("ranges").split(","):
            found = _RANGE.match(chunk)
            if not found:
                raise InvalidSchedule(f"Plage horaire illisible : « {chunk.strip()} »")
            h1, m1, h2, m2 = map(int, found.groups())
            start = time(h1, m1)
            end = time(23, 59, 59) if (h2, m2) == (24, 0) else time(h2, m2)
            if end <= start:
                raise InvalidSchedule(f"Plage horaire vide : « {chunk.strip()} »")
            for weekday in range(first, last + 1):
                ranges.setdefault(weekday, []).append((start, end))
    return Schedule({day: tuple(sorted(values)) for day, values in ranges.items()})


def configured_schedule() -> Schedule:
    return parse(os.environ.get("ALLOCBOT_COUNSELLOR_HOURS") or DEFAULT_HOURS)
