"""The ARE rule parameters in force on a day, as the API serves them (``GET /v1/rules/parameters``).

The knowledge base's answers (``data/knowledge/answers.yml``) are templates: every figure in them
(the fixed part, the minimum allowance, the 7 days of the waiting period…) is a named parameter of
``bot.backend.rules.parameters``, read here on the day of the question, so that a revaluation on
1 July changes the answer without touching the text. Money and rates are sent as strings, like
every amount of the API; counts as integers; regime switches as booleans. Scales (the seizable
part's brackets) are left out: no answer says them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.backend.rules import parameters as table


def _json_value(value: table.ParameterValue) -> str | int | bool | None:
    if isinstance(value, bool) or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return None  # a scale: not served


def parameters_in_force(today: date) -> dict:
    """Every scalar parameter in force on ``today``: its value, since when, and its source."""
    served: dict[str, dict] = {}
    for name in table.parameter_names():
        try:
            entry = table.parameter_on(name, today)
        except table.ParameterNotFound:
            continue  # not in force yet on that day
        value = _json_value(entry.value)
        if value is None:
            continue
        served[name] = {
            "value": value,
            "effective_from": entry.effective_from.isoformat(),
            "source": entry.source,
        }
    return {"today": today.isoformat(), "parameters": served}
