"""A logging filter that redacts identifiers from every log line, tracebacks included.

Our code never logs message texts, but libraries do on their error paths (Rasa
logs the text of a REST message that failed, rasa_sdk logs the request of a
failed action). Installed on the root handlers of the Rasa process (by the
tracker store) and of the action server, it applies ``redact`` to the formatted
message and to the traceback before any handler writes them.
"""

from __future__ import annotations

import logging

from bot.privacy.redaction import redact


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the record as it is
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Add the filter to every handler of ``logger`` (the root logger by default); idempotent."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(RedactingFilter())
