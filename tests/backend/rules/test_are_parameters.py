"""The effective-dated parameter table: lookups, boundaries, sources."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest

from bot.backend.rules import (
    PARAMETERS,
    ParameterNotFound,
    history,
    parameter_names,
    parameter_on,
    value_on,
)

pytestmark = pytest.mark.unit  # the fast loop: make unit


def test_every_entry_has_a_source_and_a_start_date():
    for parameter in PARAMETERS:
        assert parameter.source.strip(), parameter.name
        assert isinstance(parameter.effective_from, date)


def test_each_entry_is_in_force_from_its_first_day_until_the_next():
    for name in parameter_names():
        entries = history(name)
        for entry, following in pairwise(entries):
            assert parameter_on(name, entry.effective_from) == entry
            assert parameter_on(name, following.effective_from - timedelta(days=1)) == entry
        assert parameter_on(name, date(2030, 1, 1)) == entries[-1]


def test_values_on_their_effective_dates():
    cases = [
        # docs/are-rules.md §2 table: the July revaluation starts on 1 July.
        ("aj_minimum", date(2025, 6, 30), Decimal("31.97")),
        ("aj_minimum", date(2025, 7, 1), Decimal("32.13")),
        ("aj_fixed_part", date(2023, 4, 1), Decimal("12.71")),
        # §2: no July 2026 value yet, 2025-07-01 stays in force.
        ("aj_fixed_part", date(2026, 8, 1), Decimal("13.18")),
        ("aj_minimum_training", date(2025, 7, 1), Decimal("22.99")),
        # §1: PMSS per calendar year.
        ("pmss", date(2024, 12, 1), Decimal(3864)),
        ("pmss", date(2025, 1, 1), Decimal(3925)),
        ("pmss", date(2026, 1, 1), Decimal(4005)),
        # Regime switch of 1 April 2025 (keyed on the contract end).
        ("non_worked_days_cap", date(2025, 3, 31), Decimal("0.75")),
        ("non_worked_days_cap", date(2025, 4, 1), Decimal("0.70")),
        ("senior_reference_period_age", date(2025, 3, 31), 53),
        ("senior_reference_period_age", date(2025, 4, 1), 55),
        ("cumul_ceiling_days", date(2025, 3, 31), Decimal("30.42")),
        ("cumul_ceiling_days", date(2025, 4, 1), Decimal(30)),
        # §8: daily net floor derived from the SMIC.
        ("daily_net_floor", date(2025, 12, 31), Decimal(60)),
        ("daily_net_floor", date(2026, 1, 1), Decimal(61)),
        ("degressivity_threshold", date(2025, 6, 30), Decimal("92.11")),
        ("degressivity_threshold", date(2025, 7, 1), Decimal("92.57")),
    ]
    for name, day, expected in cases:
        assert value_on(name, day) == expected, (name, day)


def test_unknown_name_and_too_early_day_raise():
    with pytest.raises(ParameterNotFound):
        value_on("no_such_parameter", date(2025, 1, 1))
    with pytest.raises(ParameterNotFound, match="aj_fixed_part"):
        value_on("aj_fixed_part", date(2022, 6, 30))


def test_every_number_of_the_rules_is_in_the_table():
    # One sample per section of docs/are-rules.md: the rules read these, never literals.
    values = {p.value for p in PARAMETERS if not isinstance(p.value, tuple)}
    for number in [
        Decimal("0.404"), Decimal("0.57"), Decimal("0.75"), Decimal("0.70"), 182, 548, 685,
        822, Decimal("0.7"), 183, Decimal("107.9"), 150, 75, 30, 7, 12, Decimal("0.03"),
        Decimal("0.062"), Decimal("0.038"), Decimal("0.005"), Decimal("0.9825"),
        Decimal("0.015"), Decimal(77), 24, 2, 3, 10, 130, 910, 108, 758, 36, 55, 57, 28, 26, 15,
    ]:  # fmt: skip
        assert number in values, number
