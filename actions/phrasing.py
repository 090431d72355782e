"""French phrasing of the backend's values: money, days, months, and the date of the data.

The backend sends amounts as strings ("1234.56") and dates in ISO form; the
actions only turn them into ``1 234,56 €`` and ``lundi 3 mars 2025``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from bot.common.clock import PARIS
from bot.common.formatting import format_date_fr, format_eur, format_month_fr, format_of_month_fr


def amount(value: str | None) -> Decimal:
    return Decimal(value or "0")


def eur(value: str | None) -> str:
    return format_eur(amount(value))


DEDUCTIONS = (
    ("cotisation retraite", "retirement_contribution"),
    ("CSG", "csg"),
    ("CRDS", "crds"),
    ("cotisation Alsace-Moselle", "alsace_moselle_contribution"),
)


def deductions_taken(figures: dict) -> list[str]:
    """``['cotisation retraite 70,92 €', ...]``: the deductions of a payment or a month, those not zero."""
    return [f"{label} {eur(figures[key])}" for label, key in DEDUCTIONS if amount(figures[key]) > 0]


def day(iso: str) -> str:
    return format_date_fr(date.fromisoformat(iso[:10]))


def month(period: str) -> str:
    """``'2026-11'`` -> ``'novembre 2026'``."""
    return format_month_fr(datetime.strptime(period, "%Y-%m").date())


def of_month(period: str) -> str:
    """``'2026-10'`` -> ``"d'octobre 2026"``; ``'2026-11'`` -> ``'de novembre 2026'`` (French elision)."""
    return format_of_month_fr(datetime.strptime(period, "%Y-%m").date())


def data_date(computed_at: str | None) -> str:
    """The closing line that dates the figures, in Paris time."""
    if not computed_at:
        return ""
    moment = datetime.fromisoformat(computed_at).astimezone(PARIS).date()
    return f"Chiffres de votre dossier au {format_date_fr(moment)}."


def days(count: int) -> str:
    return f"{count} jour" if count in (0, 1) else f"{count} jours"


# What a person can do when the rights end: said after the end date, and shortly before it. The conditions
# (years of work for the ASS, days or hours for a rechargement) are rule parameters: the knowledge base says
# them, filled from the backend (data/knowledge/answers.yml, entries ass and recharge), never typed here.
AFTER_RIGHTS = (
    "Un conseiller peut faire le point avec vous sur la suite : l'allocation de solidarité spécifique (ASS), "
    "ou un rechargement de vos droits si vous avez retravaillé pendant vos droits. "
    "Je peux aussi vous en expliquer les conditions : posez-moi la question."
)


DAILY = re.compile(r"(par\s+jour|journali|/\s*jour|chaque\s+jour|\bpar\s+j\b)", re.IGNORECASE)


def asks_daily(text: str | None) -> bool:
    """Whether the person asks for the daily amount ("par jour", "journalière")."""
    return bool(DAILY.search(text or ""))


def mentions(text: str | None, word: str) -> bool:
    """Whether ``word`` ("net", "brut") stands as a word in the message."""
    return re.search(rf"\b{re.escape(word)}\b", text or "", re.IGNORECASE) is not None
