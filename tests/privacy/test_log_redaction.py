"""The logging filter installed in the Rasa process and the action server: no identifier reaches a log file."""

from __future__ import annotations

import io
import logging

import pytest

from bot.privacy import log_redaction

pytestmark = pytest.mark.unit  # the fast loop: make unit


def test_messages_arguments_and_tracebacks_are_redacted() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("test.privacy.logs")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    log_redaction.install(logger)
    log_redaction.install(logger)  # idempotent
    try:
        logger.warning("message reçu : %s", "mon IBAN FR7630006000011234567890189, tél 06 12 34 56 78")
        try:
            raise ValueError("identifiant 1234567A né le 12/04/1988")
        except ValueError:
            logger.exception("échec pour %s", "jean.dupont@exemple.fr")
        logger.info("montant %s", "1 234,56 €")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    for secret in ("FR76", "06 12 34 56 78", "1234567A", "12/04/1988", "jean.dupont"):
        assert secret not in written
    assert "[IBAN]" in written and "[EMAIL]" in written and "ValueError: identifiant [IDENTIFIANT]" in written
    assert "1 234,56 €" in written
    assert len(handler.filters) == 1


def test_http_clients_do_not_log_each_request_and_their_warnings_still_show() -> None:
    """httpx logs every request at INFO with its URL (a file number, a month): not once installed."""
    import httpx

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    saved_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    saved = {name: logging.getLogger(name).level for name in log_redaction.CHATTY_CLIENTS}
    try:
        log_redaction.install()
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json={}))
        with httpx.Client(transport=transport, base_url="http://backend") as client:
            client.get("/v1/job-seekers/24/allowance", params={"month": "2026-12"})
        logging.getLogger("httpx").warning("connexion refusée")
    finally:
        root.removeHandler(handler)
        root.setLevel(saved_level)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
    written = stream.getvalue()
    assert "job-seekers" not in written and "HTTP Request" not in written
    assert "connexion refusée" in written
