"""Kept so that code not yet moved keeps working: French formatting lives in ``bot.common.formatting``."""

from bot.common.formatting import (
    CENT,
    LOCALE,
    format_date_fr,
    format_eur,
    format_month_fr,
    format_number,
    format_of_month_fr,
    format_percent,
    to_cents,
)

__all__ = [
    "CENT",
    "LOCALE",
    "format_date_fr",
    "format_eur",
    "format_month_fr",
    "format_number",
    "format_of_month_fr",
    "format_percent",
    "to_cents",
]
