"""Explanation steps: how a figure was obtained, in plain French a bot can read out.

Every result of the rules carries a tuple of ``Step``. Labels are short titles;
details give the arithmetic with French amounts (``1 234,56 €``) and dates, and
address the person with "vous".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from bot.formatting import format_eur, format_number, format_percent


@dataclass(frozen=True)
class Step:
    """One step of an explanation: a short label and the detail that justifies it."""

    label: str
    detail: str


Explanation = tuple[Step, ...]


def as_text(steps: Iterable[Step]) -> str:
    """The explanation as lines ``label : detail``, for logs and the shell."""
    return "\n".join(f"{step.label} : {step.detail}" for step in steps)


def eur(amount: Decimal) -> str:
    """A money amount in French, rounded to the cent: ``1 234,56 €``."""
    return format_eur(amount)


def pct(rate: Decimal) -> str:
    """A rate in French: ``40,4 %``."""
    return format_percent(rate)


def num(value: Decimal | int) -> str:
    """A plain French number: ``0,7``, ``30,42``, ``1 234``."""
    return format_number(value)


def days_fr(count: int) -> str:
    """``1 jour``, ``2 jours``, ``0 jour`` (French singular below 2)."""
    return f"{format_number(count)} jour" + ("s" if abs(count) >= 2 else "")
