"""§9 — Overpayments (trop-perçus): what was notified, what is left, how it is recovered.

Interpretation choices (docs/are-rules.md §9, service-public.fr A17953, Code du travail
L5422-5, L5426-8-1 and R3252-2):

- The 77 € threshold applies to the amount notified: under it nothing is recovered;
  what remains of a larger debt is recovered to the last cent. An amount notified
  after the limitation period (3 years from the payment, 10 for fraud) is not
  recovered either.
- The person has 2 months from the notification to contest. After that deadline a
  contest is no longer possible, but a remise gracieuse (waiver, for hardship) can
  still be asked and the médiateur of France Travail can be seized.
- Withholding applies to the payments made after the contest deadline. When the file
  records a monthly withholding, that is what is withheld (said as applied, never as a
  new proposal). Otherwise at most the seizable part of each monthly net allowance:
  the salary-seizure scale in force the month of the payment (yearly thresholds / 12,
  raised per dependent).
- With an agreed schedule (up to 24 monthly instalments), the amount left is split
  into equal instalments, the last one absorbing the cents.
- The plan lists the withholdings the allowances still to come allow (at most 24);
  what they do not cover is ``balance_after_plan`` (to repay directly).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from .dates import add_months, add_years, month_start, next_month
from .explanation import Explanation, Step, step
from .money import CENT, to_cents
from .parameters import decimal_on, int_on, value_on

ZERO = Decimal(0)
MONTHS_PER_YEAR = 12


class Instalment(NamedTuple):
    """One monthly withholding or repayment: the month of the payment it is taken from."""

    month: date
    amount: Decimal


@dataclass(frozen=True)
class OverpaymentStatus:
    """An overpayment on a given day: notified, withheld so far, left, and how it goes on."""

    amount: Decimal  # notified
    withheld: Decimal  # already recovered
    remaining: Decimal
    recoverable: bool
    not_recovered_because: str | None  # "below_threshold", "prescribed"
    contest_deadline: date
    can_contest: bool  # on the day of the status
    limitation_date: date
    monthly_withholding: Decimal | None  # per month: the one applied, or the seizable part
    withholding_applied: bool  # the file records a withholding (not a proposal)
    instalments: tuple[Instalment, ...]  # what is still to come
    balance_after_plan: Decimal
    explanation: Explanation

    @property
    def total(self) -> Decimal:
        """Sum of the instalments still to come."""
        return sum((i.amount for i in self.instalments), ZERO)

    @property
    def last_instalment(self) -> Instalment | None:
        return self.instalments[-1] if self.instalments else None


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
    return seizable.quantize(CENT, rounding=ROUND_DOWN)


def _split(amount: Decimal, count: int) -> list[Decimal]:
    share = (amount / count).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [amount - share * (count - 1)]


def overpayment_status(
    amount: Decimal,
    notified_on: date,
    today: date,
    withheld: Sequence[Instalment] = (),
    upcoming: Sequence[Instalment] = (),
    monthly_withholding: Decimal | None = None,
    instalments: int | None = None,
    fraud: bool = False,
    paid_on: date | None = None,
    dependents: int = 0,
) -> OverpaymentStatus:
    """The overpayment notified on ``notified_on`` as it stands on ``today``.

    ``withheld`` are the withholdings already made; ``upcoming`` the net allowances
    still to come (date of the payment, net before any withholding); ``monthly_withholding``
    the withholding the file records, if any; ``instalments`` an agreed number of
    monthly repayments; ``paid_on`` the date of the overpaid allowance (start of the
    limitation period, the notification date when unknown).
    """
    if amount < 0 or dependents < 0 or any(w.amount < 0 for w in withheld):
        raise ValueError("amounts and dependents cannot be negative")
    amount = to_cents(amount)
    recovered = to_cents(sum((w.amount for w in withheld), ZERO))
    if recovered > amount:
        raise ValueError("more was withheld than was notified")
    remaining = amount - recovered
    max_instalments = int_on("overpayment_max_instalments", notified_on)
    if instalments is not None and not 1 <= instalments <= max_instalments:
        raise ValueError(f"instalments must be between 1 and {max_instalments}")
    deadline = add_months(notified_on, int_on("overpayment_contest_months", notified_on))
    years_name = "overpayment_limitation_years_fraud" if fraud else "overpayment_limitation_years"
    limitation = add_years(paid_on or notified_on, int_on(years_name, notified_on))
    threshold = decimal_on("overpayment_min_recovery", notified_on)
    can_contest = today <= deadline
    steps: list[Step] = [
        step(
            "overpayment_notified",
            amount=amount,
            notified_on=notified_on,
            contest_deadline=deadline,
            can_contest=can_contest,
            withheld=recovered,
            remaining=remaining,
        )
    ]

    def result(
        because: str | None,
        monthly: Decimal | None = None,
        plan: Sequence[Instalment] = (),
        balance: Decimal = ZERO,
    ) -> OverpaymentStatus:
        return OverpaymentStatus(
            amount,
            recovered,
            remaining,
            because is None,
            because,
            deadline,
            can_contest,
            limitation,
            monthly,
            monthly_withholding is not None,
            tuple(plan),
            balance,
            tuple(steps),
        )

    if amount < threshold:
        steps.append(step("overpayment_below_threshold", threshold=threshold))
        return result("below_threshold")
    if notified_on > limitation:
        steps.append(step("overpayment_prescribed", limitation_date=limitation))
        return result("prescribed")
    if remaining == 0:
        steps.append(step("overpayment_repaid"))
        return result(None, monthly_withholding)

    if instalments is not None:
        first = max(next_month(deadline), next_month(month_start(today)))
        amounts = _split(remaining, instalments)
        plan = [Instalment(add_months(first, i), a) for i, a in enumerate(amounts)]
        steps.append(step("overpayment_schedule", count=instalments, first=plan[0], last=plan[-1]))
        return result(None, None, plan)

    plan = []
    left = remaining
    applied = monthly_withholding is not None
    monthly: Decimal | None = monthly_withholding
    for month, net in upcoming[: int_on("overpayment_plan_months", notified_on)]:
        if left <= 0:
            break
        if month <= deadline:
            continue
        limit = monthly_withholding if applied else seizable_part(net, month, dependents)
        if monthly is None:
            monthly = limit
        withheld_now = min(limit or ZERO, left, max(net, ZERO))
        if withheld_now > 0:
            plan.append(Instalment(month_start(month), withheld_now))
            left -= withheld_now
    steps.append(
        step(
            "overpayment_withholding",
            applied=applied,
            monthly=monthly,
            withheld=recovered,
            count=len(plan),
            first=plan[0] if plan else None,
            last=plan[-1] if plan else None,
            max_instalments=max_instalments,
        )
    )
    if left > 0:
        steps.append(step("overpayment_balance", balance=left, max_instalments=max_instalments))
    if not can_contest:
        steps.append(step("overpayment_contest_closed", contest_deadline=deadline))
    return result(None, monthly, plan, left)
