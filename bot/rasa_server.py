"""``rasa`` with allocbot's speed fixes installed first: ``python -m bot.rasa_server run …``.

Measured with ``bot.bench.profile`` (py-spy, docs/performance.md): under load
the Rasa server spent about 40 % of its CPU in ``jsonschema.validate`` on
the action server's answers. Rasa 3.6 calls ``jsonschema.validate(result,
schema)`` for every custom action, and that function checks the schema itself
against the JSON Schema meta-schema each time before checking the answer:
about 130 ms per call on this machine, against 8 ms with a validator built
once. The fix validates exactly as before (same schema, same best-matching
error, same message) with that one validator.

Everything else is Rasa's own command line, unchanged.
"""

from __future__ import annotations

import sys
from typing import Any


def install_cached_action_validation() -> None:
    """Replace ``RemoteAction._validate_action_result`` with the same check on a validator built once."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    if getattr(RemoteAction._validate_action_result, "_allocbot_cached", False):
        return
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate did on every call, done once
    validator = validator_class(schema)

    def _validate_action_result(self, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
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


def main() -> None:
    install_cached_action_validation()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    sys.argv[0] = "rasa"
    main()
