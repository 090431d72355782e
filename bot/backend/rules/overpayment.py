"""§9 — Overpayments (trop-perçus): whether and how an amount is recovered.

Interpretation choices (docs/are-rules.md §9, service-public.fr A17953, Code du travail
L5426-8-1 and R3252-2):

- Under 77 € nothing is recovered; an amount older than the limitation period (3 years
  from the payment, 10 for fraud) is not recovered either.
- The person has 2 months from the notification to contest; recovery starts with the
  allowances of the month after that deadline.
- Without an agreed schedule, France Travail withholds each month at most the seizable
  part of the monthly net allowance: the salary-seizure scale (barème des saisies sur
  rémunérations, yearly thresholds / 12, raised per dependent) applied to it.
- With an agreed schedule (up to 24 monthly instalments), the amount is split into
  equal instalments, the last one absorbing the cents.
- A withholding plan lists at most 24 months; what would remain after them is given
  as ``balance_after_plan`` (withholding goes on while allowances are paid, or the
  person agrees a schedule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from bot.formatting import format_date_fr, format_month_fr, to_cents

from .dates import add_months, add_years, next_month
from .explanation import Explanation, Step, eur
from .parameters import decimal_on, int_on, value_on

ZERO = Decimal(0)
MONTHS_PER_YEAR = 12


class Instalment(NamedTuple):
    """One monthly withholding or repayment."""

    month: date
    amount: Decimal


@dataclass(frozen=True)
class RecoverySchedule:
    """How an overpayment will be recovered, if at all."""

    amount: Decimal
    recoverable: bool
    contest_deadline: date
    limitation_date: date
    instalments: tuple[Instalment, ...]
    explanation: Explanation
    monthly_withholding_limit: Decimal | None = None  # seizable part, when withheld
    balance_after_plan: Decimal = ZERO  # not covered by the listed instalments

    @property
    def total(self) -> Decimal:
        """Sum of the instalments (equals the amount when recoverable and scheduled)."""
        return sum((i.amount for i in self.instalments), ZERO)


def seizable_part(monthly_net: Decimal, on: date, dependents: int = 0) -> Decimal:
    """Seizable part of a monthly net income on ``on`` (barème des saisies, yearly / 12)."""
    if monthly_net <= 0:
        return ZERO
    increment = decimal_on("seizable_dependent_increment", on) * dependents
    scale = value_on("seizable_scale", on)
    if not isinstance(scale, tuple):
        raise TypeError("seizable_scale must be a tuple of (yearly threshold, fraction)")
    seizable = ZERO
    lower = ZERO
    for upper_yearly, fraction in scale:
        upper = None if upper_yearly is None else (upper_yearly + increment) / MONTHS_PER_YEAR
        top = monthly_net if upper is None else min(monthly_net, upper)
        if top > lower:
            seizable += (top - lower) * fraction
        if upper is None or monthly_net <= upper:
            break
        lower = upper
    # Never withhold more than the law allows: the cent is rounded down here.
    return seizable.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _split(amount: Decimal, count: int) -> list[Decimal]:
    share = (amount / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [share] * (count - 1) + [amount - share * (count - 1)]


def overpayment_recovery(
    amount: Decimal,
    notified_on: date,
    monthly_net_allowance: Decimal,
    instalments: int | None = None,
    fraud: bool = False,
    paid_on: date | None = None,
    dependents: int = 0,
) -> RecoverySchedule:
    """Recovery of an overpayment notified on ``notified_on``.

    ``paid_on`` is the date of the overpaid allowance (start of the limitation period,
    the notification date when unknown); ``instalments`` an agreed number of monthly
    repayments, otherwise the overpayment is withheld from the allowances.
    """
    if amount < 0 or monthly_net_allowance < 0 or dependents < 0:
        raise ValueError("amounts and dependents cannot be negative")
    amount = to_cents(amount)
    max_instalments = int_on("overpayment_max_instalments", notified_on)
    if instalments is not None and not 1 <= instalments <= max_instalments:
        raise ValueError(f"instalments must be between 1 and {max_instalments}")
    contest_deadline = add_months(notified_on, int_on("overpayment_contest_months", notified_on))
    years_name = "overpayment_limitation_years_fraud" if fraud else "overpayment_limitation_years"
    limitation_date = add_years(paid_on or notified_on, int_on(years_name, notified_on))
    threshold = decimal_on("overpayment_min_recovery", notified_on)

    steps = [
        Step(
            "Trop-perçu",
            f"France Travail vous a notifié un trop-perçu de {eur(amount)} le "
            f"{format_date_fr(notified_on)}. Vous pouvez le contester jusqu'au "
            f"{format_date_fr(contest_deadline)}.",
        )
    ]

    def result(
        recoverable: bool, plan: list[Instalment], limit: Decimal | None, balance: Decimal = ZERO
    ) -> RecoverySchedule:
        return RecoverySchedule(
            amount,
            recoverable,
            contest_deadline,
            limitation_date,
            tuple(plan),
            tuple(steps),
            limit,
            balance,
        )

    if amount < threshold:
        steps.append(
            Step(
                "Pas de récupération",
                f"Les montants de moins de {eur(threshold)} ne sont pas récupérés.",
            )
        )
        return result(False, [], None)
    if notified_on > limitation_date:
        steps.append(
            Step(
                "Prescription",
                f"Le délai pour récupérer cette somme a expiré le {format_date_fr(limitation_date)}.",
            )
        )
        return result(False, [], None)

    first_month = next_month(contest_deadline)
    if instalments is not None:
        amounts = _split(amount, instalments)
        plan = [Instalment(add_months(first_month, i), a) for i, a in enumerate(amounts)]
        steps.append(
            Step(
                "Échéancier",
                f"Remboursement en {instalments} mensualité"
                + ("s" if instalments > 1 else "")
                + f" de {eur(amounts[0])} à partir de {format_month_fr(first_month)}"
                + (f" (dernière : {eur(amounts[-1])})." if amounts[-1] != amounts[0] else "."),
            )
        )
        return result(True, plan, None)

    limit = seizable_part(monthly_net_allowance, first_month, dependents)
    if limit <= 0:
        steps.append(
            Step(
                "Remboursement",
                "Aucune retenue n'est possible sur vos allocations : France Travail vous "
                f"demandera de rembourser directement, en une fois ou jusqu'à {max_instalments} "
                "mensualités.",
            )
        )
        return result(True, [], limit)
    plan = []
    remaining = amount
    month = first_month
    for _ in range(int_on("overpayment_plan_months", notified_on)):
        if remaining <= 0:
            break
        withheld = min(limit, remaining)
        plan.append(Instalment(month, withheld))
        remaining -= withheld
        month = add_months(month, 1)
    steps.append(
        Step(
            "Retenues sur vos allocations",
            f"Sans contestation, France Travail retient au plus {eur(limit)} par mois sur votre "
            f"allocation nette de {eur(monthly_net_allowance)} (part saisissable), à partir de "
            f"{format_month_fr(first_month)} : {len(plan)} retenue"
            + ("s" if len(plan) > 1 else "")
            + f". Vous pouvez aussi demander un échéancier jusqu'à {max_instalments} mensualités.",
        )
    )
    if remaining > 0:
        steps.append(
            Step(
                "Reste à rembourser",
                f"Après ces {len(plan)} retenues, il resterait {eur(remaining)} : les retenues "
                "continuent tant que vous êtes indemnisé, ou vous pouvez demander un échéancier.",
            )
        )
    return result(True, plan, limit, remaining)
