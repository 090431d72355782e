"""``rasa`` with allocbot's speed fixes installed first: ``python -m bot.rasa_server run …``.

Measured with ``bot.bench.profile`` (py-spy, docs/performance.md): under load
the Rasa server spent about 40 % of its CPU in ``jsonschema.validate`` on
the action server's answers. Rasa 3.6 calls ``jsonschema.validate(result,
schema)`` for every custom action, and that function checks the schema itself
against the JSON Schema meta-schema each time before checking the answer:
about 130 ms per call on this machine, against 8 ms with a validator built
once. The fix validates as before (same schema, same message) with validators
built once, and checks each event only against the schema of its own type
(Rasa's schema tries it against all 23 kinds of event: 1.9 → 0.13 ms per answer).

``install_event_type_lookup`` removes another cost of the same kind (see there).
Everything else is Rasa's own command line, unchanged.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any


def action_result_errors(schema: dict[str, Any]) -> Callable[[Any], Iterator[Exception]]:
    """The errors of an action server's answer against Rasa's response schema, found faster.

    Rasa's schema checks each event against a ``oneOf`` of 23 event schemas, each
    fixing ``event`` to its own constant: every event was matched against all 23
    (about 2 ms per answer, 7 % of the Rasa server's CPU under load). Exactly one
    branch can match a given ``event`` value, so checking the event against that
    branch alone accepts and rejects the same answers.
    """
    from copy import deepcopy

    from jsonschema import ValidationError
    from jsonschema.validators import validator_for

    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate did on every call, done once
    base = deepcopy(schema)
    branches = base["properties"]["events"]["items"].pop("oneOf")
    by_event = {branch["properties"]["event"]["const"]: validator_class(branch) for branch in branches}
    base_validator = validator_class(base)

    def errors(result: Any) -> Iterator[Exception]:
        yield from base_validator.iter_errors(result)
        events = result.get("events") if isinstance(result, dict) else None
        for event in events if isinstance(events, list) else ():
            if not isinstance(event, dict) or not isinstance(event.get("event"), str):
                continue  # reported by the base schema (an object with a string "event")
            branch = by_event.get(event["event"])
            if branch is None:
                yield ValidationError(f"{event['event']!r} is not valid under any of the given schemas")
            else:
                yield from branch.iter_errors(event)

    return errors


def install_cached_action_validation() -> None:
    """Replace ``RemoteAction._validate_action_result`` with the same check on validators built once."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    if getattr(RemoteAction._validate_action_result, "_allocbot_cached", False):
        return
    errors = action_result_errors(RemoteAction.action_response_format_spec())

    def _validate_action_result(self, result: dict[str, Any]) -> bool:
        error = best_match(errors(result))
        if error is None:
            return True
        if not isinstance(error, ValidationError):  # best_match returns the validator's own error type
            raise error
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            "For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    _validate_action_result._allocbot_cached = True
    RemoteAction._validate_action_result = _validate_action_result


def install_event_type_lookup() -> None:
    """Find an event's class by its name in a table instead of walking every subclass of ``Event``.

    Rasa 3.6 rebuilds the list of all ``Event`` subclasses for every event it reads
    back (each stored event, each event an action returns): 3 to 4 % of the Rasa
    server's CPU under load. Only names that resolve are remembered, so an unknown
    name still raises (or gets the default) exactly as before.
    """
    from rasa.shared.core.events import Event

    if getattr(Event.resolve_by_type, "_allocbot_table", False):
        return
    original = Event.resolve_by_type
    found: dict[str, type] = {}

    def resolve_by_type(type_name, default=None):
        cls = found.get(type_name)
        if cls is None:
            cls = original(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    resolve_by_type._allocbot_table = True
    Event.resolve_by_type = staticmethod(resolve_by_type)


def main() -> None:
    install_cached_action_validation()
    install_event_type_lookup()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    sys.argv[0] = "rasa"
    main()
