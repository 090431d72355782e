"""Privacy: redaction of identifiers, a redacting tracker store, retention and erasure.

Everything that writes a conversation or a log line goes through ``redact`` so that
stored text never holds a person's identifiers in clear (see docs/privacy.md).
"""

from bot.privacy.redaction import redact, redact_event

__all__ = ["redact", "redact_event"]
