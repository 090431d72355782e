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


# HTTP clients that log every request they make at INFO, with its URL: for the action server, one line per
# backend call naming the job seeker's file number and the month asked (« GET …/job-seekers/24/allowance?
# month=2026-12 »). Nothing an operator needs (our client logs failures at WARNING), personal data all the
# same, and each line went through the redaction: a tenth of the action server's CPU per turn.
CHATTY_CLIENTS = ("httpx", "httpcore")


def install(logger: logging.Logger | None = None) -> None:
    """Add the filter to every handler of ``logger`` (the root logger by default), and keep the HTTP
    clients' per-request lines out of the logs (``CHATTY_CLIENTS``, WARNING and above only); idempotent."""
    for name in CHATTY_CLIENTS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(RedactingFilter())
