"""When Rasa cannot be reached, the console says so in French and loses nothing (a second, real
console process pointed at a port where nothing listens)."""

from __future__ import annotations

import html

import pytest

from bot.cli.processes import console_service, start_all
from bot.cli.stack import free_port
from tests.console.conftest import csrf_of, logged_in_client


@pytest.fixture()
def console_without_rasa(console, tmp_path):
    port = free_port()
    env = {
        **console.env,
        "ALLOCBOT_RASA_URL": f"http://127.0.0.1:{free_port()}",
        "ALLOCBOT_CONSOLE_TIMEOUT_SECONDS": "2",
    }
    service = console_service(port, env, tmp_path)
    start_all([service], timeout_seconds=120)
    yield type("Console", (), {"console_url": f"http://127.0.0.1:{port}"})
    service.stop()


def test_without_rasa_the_ticket_page_still_opens_and_taking_says_the_bot_may_answer(
    console, console_without_rasa, password, ticket_via_api, backend, rasa
):
    ticket = ticket_via_api()
    reference = ticket["reference"]
    with logged_in_client(console_without_rasa, password) as client:
        page = client.get(f"/tickets/{reference}")
        assert page.status_code == 200
        assert "La conversation en direct est momentanément indisponible." in html.unescape(page.text)
        taken = client.post(f"/tickets/{reference}/take", data={"csrf_token": csrf_of(page.text)})
        assert taken.headers["location"].endswith("avis=pause_failed")
        notice = html.unescape(client.get(taken.headers["location"]).text)
        assert "n'a pas pu être mise en pause" in notice
        live = client.get(f"/api/tickets/{reference}/messages")
        assert live.status_code == 503
        assert live.json()["message"] == "Le service est momentanément indisponible. Réessayez dans un instant."
        closed = client.post(f"/tickets/{reference}/close", data={"csrf_token": csrf_of(page.text)})
        assert closed.headers["location"].endswith("avis=resume_failed")
    # The ticket is closed in the backend; closing again from a working console retries the resume.
    assert backend.get(f"/v1/handoff-tickets/{reference}").json()["status"] == "closed"
    assert rasa.get(f"/conversations/{ticket['conversation_id']}/tracker").json()["paused"] is True
    with logged_in_client(console, password) as client:
        page = client.get(f"/tickets/{reference}")
        assert "Rendre la main au bot</button>" in page.text  # closed, but the bot is still paused
        again = client.post(f"/tickets/{reference}/close", data={"csrf_token": csrf_of(page.text)})
        assert again.headers["location"].endswith("avis=closed")
    assert rasa.get(f"/conversations/{ticket['conversation_id']}/tracker").json()["paused"] is False
