"""The indicators of docs/analytics.md, computed from conversation facts (pure functions, marker ``unit``).

Every rate says what it is a share of (``Rate.of``) so that a reader knows how
many conversations it rests on; every slice (need, channel, day, hour) says which
share of the period's conversations it covers.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.common import needs

Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Conversation:
    """One conversation as the indicators read it (a row of the store with its needs)."""

    hour_start: datetime
    channel: str
    messages: int
    needs: tuple[str, ...]
    answered: frozenset[str] = frozenset()
    repeated: frozenset[str] = frozenset()
    clarifications: int = 0
    fallbacks: int = 0
    handover_reason: str | None = None
    counsellor_seconds: float | None = None
    abandoned: bool = False
    satisfaction_asked: bool = False
    satisfaction: str | None = None
    linkable: bool = False
    """A person pseudonym existed for 24 h (identified, or a phone channel): repeat contacts could be seen."""

    @property
    def handed_over(self) -> bool:
        return self.handover_reason is not None

    def contained(self, need: str | None = None) -> bool:
        """No handover, and no repeat contact on the same need (or on ``need``) within 24 h; not abandoned.

        Abandoned conversations are not counted contained: a person who left in the middle of the
        identification was not served, and counting them would be the favourable assumption the
        Cour des comptes warned against (docs/analytics.md §1)."""
        if self.handed_over or not self.needs or self.abandoned:
            return False
        return need not in self.repeated if need else not self.repeated


@dataclass(frozen=True)
class Rate:
    hits: int
    of: int

    @property
    def value(self) -> float | None:
        return self.hits / self.of if self.of else None

    def percent(self) -> str:
        return "–" if self.value is None else f"{self.value * 100:.1f} %".replace(".", ",")


def wilson(hits: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval of a proportion (95 % by default); None without observations."""
    if total <= 0:
        return None
    p = hits / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Slice:
    """The indicators of a set of conversations (all of them, one need, one channel, one day, one hour)."""

    label: str
    conversations: int
    share: Rate
    containment: Rate
    handover: Rate
    fallback: Rate
    clarification: Rate
    abandonment: Rate
    satisfaction: Rate
    satisfaction_answered: Rate
    answered: Rate
    median_counsellor_seconds: float | None


def compute_slice(label: str, rows: list[Conversation], total: int, need: str | None = None) -> Slice:
    with_need = [row for row in rows if row.needs]
    asked = [row for row in rows if row.satisfaction_asked]
    rated = [row for row in asked if row.satisfaction in ("yes", "no")]
    waits = [row.counsellor_seconds for row in rows if row.counsellor_seconds is not None]
    if need:
        answered = Rate(sum(need in row.answered for row in rows), len(rows))
    else:
        answered = Rate(sum(bool(set(row.needs) & row.answered) for row in with_need), len(with_need))
    return Slice(
        label=label,
        conversations=len(rows),
        share=Rate(len(rows), total),
        containment=Rate(sum(row.contained(need) for row in with_need), len(with_need)),
        handover=Rate(sum(row.handed_over for row in rows), len(rows)),
        fallback=Rate(sum(row.fallbacks > 0 for row in rows), len(rows)),
        clarification=Rate(sum(row.clarifications > 0 for row in rows), len(rows)),
        abandonment=Rate(sum(row.abandoned for row in rows), len(rows)),
        satisfaction=Rate(sum(row.satisfaction == "yes" for row in rated), len(rated)),
        satisfaction_answered=Rate(len(rated), len(asked)),
        answered=answered,
        median_counsellor_seconds=statistics.median(waits) if waits else None,
    )


def _grouped(
    rows: list[Conversation], keys: Callable[[Conversation], Iterable[str]], total: int, by_need: bool = False
) -> list[Slice]:
    groups: dict[str, list[Conversation]] = defaultdict(list)
    for row in rows:
        for key in keys(row):
            groups[key].append(row)
    return [
        compute_slice(key, members, total, need=key if by_need else None) for key, members in sorted(groups.items())
    ]


CHANNEL_LABELS = {
    "socketio": "site web",
    "twilio_sms": "SMS",
    "whatsapp": "WhatsApp",
    "rest": "API REST",
    "cmdline": "terminal",
    "twilio_voice": "téléphone",
}


@dataclass(frozen=True)
class EscalationReason:
    reason: str
    count: int
    rate: Rate
    median_counsellor_seconds: float | None


@dataclass(frozen=True)
class Indicators:
    start: date
    end: date
    overall: Slice
    by_need: list[Slice]
    by_channel: list[Slice]
    by_day: list[Slice]
    by_hour: list[Slice]
    escalations: list[EscalationReason]
    repeat_contacts: Rate
    """Conversations that repeat one of the same person's needs of the 24 h before, among linkable ones."""
    linkable: Rate
    """The share of conversations where a repeat contact could be seen at all."""
    messages: int
    contained_allowance: int
    """Contained conversations with an allowance need (the calls and emails avoided, docs/analytics.md §3)."""
    notes: list[str] = field(default_factory=list)


def need_label(intent: str) -> str:
    return needs.LABELS.get(intent, intent)


def compute(rows: list[Conversation], start: date, end: date, repeats: int = 0) -> Indicators:
    total = len(rows)
    overall = compute_slice("Toutes les conversations", rows, total)
    reasons = Counter(row.handover_reason for row in rows if row.handover_reason)
    escalations = []
    for reason, count in reasons.most_common():
        waits = [r.counsellor_seconds for r in rows if r.handover_reason == reason and r.counsellor_seconds is not None]
        escalations.append(
            EscalationReason(reason, count, Rate(count, total), statistics.median(waits) if waits else None)
        )
    linkable = [row for row in rows if row.linkable]
    contained_allowance = sum(
        row.contained() and any(need in needs.ALLOWANCE_INTENTS for need in row.needs) for row in rows
    )
    return Indicators(
        start=start,
        end=end,
        overall=overall,
        by_need=_grouped(rows, lambda row: dict.fromkeys(row.needs), total, by_need=True),
        by_channel=_grouped(rows, lambda row: [CHANNEL_LABELS.get(row.channel, row.channel or "inconnu")], total),
        by_day=_grouped(rows, lambda row: [row.hour_start.date().isoformat()], total),
        by_hour=_grouped(rows, lambda row: [f"{row.hour_start.hour:02d} h"], total),
        escalations=escalations,
        repeat_contacts=Rate(repeats, len(linkable)),
        linkable=Rate(len(linkable), total),
        messages=sum(row.messages for row in rows),
        contained_allowance=contained_allowance,
    )


@dataclass(frozen=True)
class Quality:
    need: str
    right: int
    reviewed: int
    interval: tuple[float, float] | None
    reasons: dict[str, int]


def answer_quality(reviews: Iterable[tuple[str, str, str]]) -> list[Quality]:
    """Reviews (need, verdict, reason) → the share of right answers per need with its Wilson 95 % interval."""
    by_need: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for need, verdict, reason in reviews:
        by_need[need].append((verdict, reason))
    result = []
    for need, marks in sorted(by_need.items()):
        right = sum(verdict == "right" for verdict, _ in marks)
        reasons = Counter(reason for verdict, reason in marks if verdict == "wrong")
        result.append(Quality(need, right, len(marks), wilson(right, len(marks)), dict(reasons)))
    return result
