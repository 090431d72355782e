"""Money in the rules: ``Decimal`` everywhere, rounded to the cent (half up) only at the end."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round a money amount to the cent, half up, as payment systems do."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
