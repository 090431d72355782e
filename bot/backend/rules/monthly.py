"""§6 — Monthly payment: days payable in a month, end of rights, declaration, payment date.

Interpretation choices (docs/are-rules.md §6, France Travail "mensualisation" of April 2025):

- From April 2025 a month fully covered by the rights is paid 30 days, whatever its
  length (February too); a partly covered month (first or last month of the rights)
  is paid its calendar days covered, at most 30. Before April 2025 every month is paid
  its calendar days covered.
- Rights are a capital of ``duration_days`` paid days: each month consumes the days it
  pays, so with 30-day months the end of rights falls a little later than the first
  paid day + duration in calendar days. ``rights_end_date`` gives that date when every
  payable day is paid; unpaid days (work in the month) push it back further.
- The declaration (actualisation) for a month opens on the 28th (26th in February)
  and closes on the 15th of the next month at midnight (the 15th is still on time).
- A month's allowance is paid once the month is over: on average 3 working days (at
  most 5) after the declaration, never before the first working day of the next month.
  Working days are Monday to Friday except French public holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from bot.formatting import format_date_fr, format_month_fr

from .dates import (
    add_working_days,
    days_between,
    is_working_day,
    month_end,
    month_start,
    next_month,
)
from .explanation import Explanation, Step, days_fr
from .parameters import flag_on, int_on


@dataclass(frozen=True)
class PayableDays:
    """The days of a month the rights cover, and how many are payable."""

    days: int
    window_start: date | None  # first day of the month covered by the rights
    window_end: date | None  # last day covered (rights exhausted on it if nothing remains)
    whole_month: bool
    flat_basis: bool  # the 30-day basis of April 2025 applies
    explanation: Explanation


def payable_days(month: date, first_paid_day: date, remaining_days: int) -> PayableDays:
    """Days payable in ``month`` for rights starting on ``first_paid_day``."""
    first, last = month_start(month), month_end(month)
    flat = flag_on("monthly_flat_basis", first)
    window_start = max(first, first_paid_day)
    if remaining_days <= 0 or window_start > last:
        reason = (
            f"Votre indemnisation commence le {format_date_fr(first_paid_day)}."
            if remaining_days > 0
            else "Vos droits sont épuisés."
        )
        return PayableDays(0, None, None, False, flat, (Step("Jours indemnisables", reason),))
    available = days_between(window_start, last)
    whole = window_start == first and remaining_days >= available
    if flat:
        basis = int_on("flat_month_days", first)
        days = min(basis, remaining_days) if whole else min(available, remaining_days, basis)
    else:
        days = min(available, remaining_days)
    window_end = last if whole else window_start + timedelta(days=days - 1)

    name = format_month_fr(first)
    title = name[:1].upper() + name[1:]
    if flat and whole:
        detail = f"{title} est un mois complet : il est indemnisé sur {days_fr(basis)}"
        if days < basis:
            detail += f", limités aux {days_fr(days)} qui restent sur vos droits"
        detail += "."
    elif whole:
        detail = f"{title} compte {days_fr(days)}, tous indemnisés (avant avril 2025, chaque mois"
        detail += " était indemnisé sur son nombre réel de jours)."
    else:
        detail = (
            f"{days_fr(days)} indemnisés en {name}, du {format_date_fr(window_start)} au {format_date_fr(window_end)}."
        )
        if days < available and days == remaining_days:
            detail += " Ce sont les derniers jours de vos droits."
    return PayableDays(days, window_start, window_end, whole, flat, (Step("Jours indemnisables", detail),))


def rights_end_date(first_paid_day: date, duration_days: int) -> date:
    """Last day of rights when every payable day is paid (no work declared)."""
    if duration_days <= 0:
        return first_paid_day - timedelta(days=1)
    remaining = duration_days
    month = month_start(first_paid_day)
    while True:
        payable = payable_days(month, first_paid_day, remaining)
        remaining -= payable.days
        if remaining <= 0 and payable.window_end is not None:
            return payable.window_end
        month = next_month(month)


class DeclarationStatus(str, Enum):
    """Where the monthly declaration of a month stands."""

    NOT_OPEN = "not_open"
    OPEN = "open"  # to do, window open
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"  # window closed, nothing declared


@dataclass(frozen=True)
class DeclarationWindow:
    """When the declaration of a month can be made."""

    month: date
    opens: date
    closes: date  # last day, until midnight
    explanation: Explanation


def declaration_window(month: date) -> DeclarationWindow:
    """From the 28th (26th in February) to the 15th of the next month."""
    first = month_start(month)
    name = "declaration_opens_day_february" if first.month == 2 else "declaration_opens_day"
    opens = first.replace(day=int_on(name, first))
    closes = next_month(first).replace(day=int_on("declaration_closes_day", first))
    detail = (
        f"Vous pouvez déclarer votre situation de {format_month_fr(first)} du "
        f"{format_date_fr(opens)} au {format_date_fr(closes)} à minuit. Sans déclaration, votre "
        "inscription prend fin et vos paiements s'arrêtent jusqu'à votre réinscription."
    )
    return DeclarationWindow(first, opens, closes, (Step("Actualisation", detail),))


def declaration_status(month: date, declared_on: date | None, today: date) -> DeclarationStatus:
    """Status of the declaration of ``month`` on ``today``."""
    window = declaration_window(month)
    if declared_on is not None:
        if declared_on < window.opens:
            raise ValueError("a declaration cannot be made before its window opens")
        return DeclarationStatus.ON_TIME if declared_on <= window.closes else DeclarationStatus.LATE
    if today < window.opens:
        return DeclarationStatus.NOT_OPEN
    return DeclarationStatus.OPEN if today <= window.closes else DeclarationStatus.MISSING


@dataclass(frozen=True)
class PaymentDates:
    """When the allowance of a month should reach the bank."""

    expected: date
    latest: date
    explanation: Explanation


def _first_working_day_from(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def payment_dates(month: date, declared_on: date) -> PaymentDates:
    """Expected and latest payment date of ``month``'s allowance declared on ``declared_on``."""
    first = month_start(month)
    not_before = _first_working_day_from(next_month(first))
    average = int_on("payment_delay_working_days", declared_on)
    maximum = int_on("payment_delay_working_days_max", declared_on)
    expected = max(add_working_days(declared_on, average), not_before)
    latest = max(add_working_days(declared_on, maximum), expected)
    detail = (
        f"Déclaration faite le {format_date_fr(declared_on)} : le paiement de "
        f"{format_month_fr(first)} est émis en moyenne {average} jours ouvrés plus tard, "
        f"vers le {format_date_fr(expected)}, et au plus tard le {format_date_fr(latest)}."
    )
    until = int_on("payment_first_days_until", declared_on)
    if month_start(expected) == next_month(first) and expected.day <= until:
        detail += f" Les premiers paiements du mois ont lieu entre le 1er et le {until}."
    return PaymentDates(expected, latest, (Step("Date de paiement", detail),))
