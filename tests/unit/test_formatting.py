"""French amounts and numbers, written without Babel's pattern engine, agree with Babel's fr_FR.

Babel stays the reference (it is what the texts were written with); ours is only faster.
The one deliberate difference: a negative number that rounds to zero is « 0 » or « 0,00 € », not
« -0 » or « -0,00 € ».
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from hypothesis import example, given
from hypothesis import strategies as st

from bot.common.formatting import LOCALE, format_eur, format_number, format_percent, to_cents

pytestmark = pytest.mark.unit

SPACES = str.maketrans({"\u202f": " ", "\xa0": " "})
amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=5, allow_nan=False, allow_infinity=False)


def without_negative_zero(text: str) -> str:
    return text[1:] if text.startswith("-") and not text.strip("-0, €") else text


def babel_number(value: Decimal, decimals: int | None) -> str:
    pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    return without_negative_zero(format_decimal(value, format=pattern, locale=LOCALE).translate(SPACES))


def babel_amount(amount: Decimal) -> str:
    return without_negative_zero(format_currency(to_cents(amount), "EUR", locale=LOCALE).translate(SPACES))


@given(amounts)
@example(Decimal("0.005"))
@example(Decimal("-0.005"))
@example(Decimal("999.995"))
@example(Decimal("1E+3"))
def test_amounts_are_written_as_babel_writes_them(amount):
    assert format_eur(amount) == babel_amount(amount)


@given(amounts, st.sampled_from([None, 0, 1, 2, 3]))
@example(Decimal("0.0015"), None)
@example(Decimal("40.400"), None)
@example(Decimal("-0.0004"), None)
def test_numbers_are_written_as_babel_writes_them(value, decimals):
    assert format_number(value, decimals) == babel_number(value, decimals)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (format_eur(Decimal("1234.5")), "1 234,50 €"),
        (format_eur(Decimal("-1234567.891")), "-1 234 567,89 €"),
        (format_eur(Decimal("0")), "0,00 €"),
        (format_number(1234), "1 234"),
        (format_number(Decimal("0.404")), "0,404"),
        (format_number(Decimal("-0.2"), 0), "0"),
        (format_eur(Decimal("-0.001")), "0,00 €"),
        (format_percent(Decimal("0.404")), "40,4 %"),
    ],
)
def test_what_the_person_reads(written, expected):
    assert written == expected
