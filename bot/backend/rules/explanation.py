"""Explanation steps: how a figure was obtained, as facts, never as sentences.

Every result of the rules carries a tuple of ``Step``: a ``code`` naming what the
rule did (``"reference_wage"``, ``"waiting_period"``…) and the figures and dates it
used. The backend says them in French in one place, ``bot.backend.wording``, so
that the rules stay pure and the wording can change without touching a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    """One step of a computation: what was done and the facts that justify it."""

    code: str
    facts: Mapping[str, object] = field(default_factory=dict)


Explanation = tuple[Step, ...]


def step(code: str, **facts: object) -> Step:
    """``step("reference_wage", wages=…, divisor=…, amount=…)``."""
    return Step(code, facts)
