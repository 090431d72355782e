"""Gains and costs: contacts avoided and their value, next to the running cost (docs/analytics.md §3).

Parameters from ``config/analytics.yml`` (the operator's file); CPU per message from
the benchmark's latest figures when present. Pure arithmetic over ``Decimal``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from bot.analytics.settings import CONFIG_PATH
from bot.common.config import PROJECT_ROOT

BENCHMARK = PROJECT_ROOT / "docs" / "benchmarks" / "latest.json"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Parameters:
    share_by_phone: Decimal
    counted_share: Decimal
    phone_call_eur: Decimal
    email_eur: Decimal
    cpu_ms_per_message: Decimal
    cpu_source: str
    watts_per_busy_core: Decimal
    pue: Decimal
    kg_co2e_per_kwh: Decimal
    eur_per_kwh: Decimal


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def benchmark_cpu_ms(path: Path = BENCHMARK) -> Decimal | None:
    """CPU ms per message of allocbot's processes in the open-load scenario of the latest benchmark."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    for scenario in data.get("scenarios", []):
        if scenario.get("system") == "allocbot" and scenario.get("scenario") == "open":
            per_process = scenario.get("cpu_ms_per_msg") or {}
            if per_process:
                return sum((_d(value) for value in per_process.values()), Decimal(0))
    return None


def load_parameters(path: Path = CONFIG_PATH, benchmark: Path = BENCHMARK) -> Parameters:
    config = yaml.safe_load(path.read_text()) or {}
    avoided, costs, running = config["contacts_avoided"], config["unit_costs_eur"], config["running_cost"]
    measured = benchmark_cpu_ms(benchmark)
    return Parameters(
        share_by_phone=_d(avoided["share_by_phone"]),
        counted_share=_d(avoided.get("counted_share", 1)),
        phone_call_eur=_d(costs["phone_call"]),
        email_eur=_d(costs["email"]),
        cpu_ms_per_message=measured if measured is not None else _d(running["cpu_ms_per_message"]),
        cpu_source="docs/benchmarks/latest.json" if measured is not None else str(path.name),
        watts_per_busy_core=_d(running["watts_per_busy_core"]),
        pue=_d(running["pue"]),
        kg_co2e_per_kwh=_d(running["kg_co2e_per_kwh"]),
        eur_per_kwh=_d(running["eur_per_kwh"]),
    )


@dataclass(frozen=True)
class Value:
    contained_allowance: int
    calls_avoided: Decimal
    emails_avoided: Decimal
    value_eur: Decimal
    conversations: int
    messages: int
    cpu_seconds: Decimal
    cpu_seconds_per_conversation: Decimal
    energy_kwh: Decimal
    energy_wh_per_conversation: Decimal
    co2e_kg: Decimal
    energy_eur: Decimal


def estimate(contained_allowance: int, conversations: int, messages: int, parameters: Parameters) -> Value:
    counted = Decimal(contained_allowance) * parameters.counted_share
    calls = (counted * parameters.share_by_phone).quantize(Decimal("0.1"), ROUND_HALF_UP)
    emails = (counted - counted * parameters.share_by_phone).quantize(Decimal("0.1"), ROUND_HALF_UP)
    value = (calls * parameters.phone_call_eur + emails * parameters.email_eur).quantize(CENT, ROUND_HALF_UP)
    cpu_seconds = Decimal(messages) * parameters.cpu_ms_per_message / 1000
    kwh = cpu_seconds * parameters.watts_per_busy_core * parameters.pue / Decimal(3_600_000)
    per_conversation = cpu_seconds / conversations if conversations else Decimal(0)
    return Value(
        contained_allowance=contained_allowance,
        calls_avoided=calls,
        emails_avoided=emails,
        value_eur=value,
        conversations=conversations,
        messages=messages,
        cpu_seconds=cpu_seconds.quantize(CENT, ROUND_HALF_UP),
        cpu_seconds_per_conversation=per_conversation.quantize(Decimal("0.001"), ROUND_HALF_UP),
        energy_kwh=kwh.quantize(Decimal("0.000001"), ROUND_HALF_UP),
        energy_wh_per_conversation=(kwh * 1000 / conversations if conversations else Decimal(0)).quantize(
            Decimal("0.0001"), ROUND_HALF_UP
        ),
        co2e_kg=(kwh * parameters.kg_co2e_per_kwh).quantize(Decimal("0.000001"), ROUND_HALF_UP),
        energy_eur=(kwh * parameters.eur_per_kwh).quantize(Decimal("0.0001"), ROUND_HALF_UP),
    )
