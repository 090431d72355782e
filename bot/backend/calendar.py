"""The monthly cycle as the backend's services use it.

The dates themselves come from the rules, which hold every parameter in one
table: declaration windows (28th, 26th in February, to the 15th) from
``rules.monthly``, French working days from ``rules.dates``. This module only
adds what the services need on top: whether a window is open on a day, and
reading a ``YYYY-MM`` month.
"""

from __future__ import annotations

from datetime import date

from bot.backend.rules.dates import add_months, add_working_days
from bot.backend.rules.dates import month_start as first_of_month
from bot.backend.rules.monthly import DeclarationWindow, declaration_window


def is_open(window: DeclarationWindow, day: date) -> bool:
    return window.opens <= day <= window.closes


def month_of(text: str) -> date:
    """``'2026-11'`` -> ``date(2026, 11, 1)``; raises ValueError on anything else."""
    year, month = text.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


__all__ = [
    "DeclarationWindow",
    "add_months",
    "add_working_days",
    "declaration_window",
    "first_of_month",
    "is_open",
    "month_of",
]
