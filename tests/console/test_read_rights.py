"""Who reads which conversation in the console, every read logged, and whose address counts (issue 17 §9).

Before: any counsellor read any ticket's conversation, a colleague's included,
nothing was logged, and the login throttle believed X-Forwarded-For from any
local client (uvicorn's default), so a script chose a new address per try.
"""

from __future__ import annotations

import re
import uuid

import httpx
from sqlalchemy import create_engine, text

from bot.cli.processes import console_service, start_all
from bot.cli.stack import free_port
from tests.console.conftest import csrf_of, logged_in_client
from tests.fakes.addresses import new_address

CAMILLE = {"identifier": "1234567A", "birth_date": "1988-04-12"}


def camille_ticket(backend, rasa) -> dict:
    conversation_id = f"web-{uuid.uuid4().hex}"
    person = backend.post(
        "/v1/identification", json={"conversation_id": conversation_id, "channel": "web", **CAMILLE}
    ).json()
    assert rasa.post(f"/conversations/{conversation_id}/tracker/events", json=[{"event": "pause"}]).status_code == 200
    created = backend.post(
        "/v1/handoff-tickets",
        json={
            "conversation_id": conversation_id,
            "channel": "socketio",
            "reason": "human_requested",
            "summary": "La personne demande un conseiller.",
            "transcript": [{"sender": "user", "text": "je veux parler à un conseiller"}],
            "job_seeker_id": person["job_seeker_id"],
        },
    )
    assert created.status_code == 201, created.text
    return created.json()


def transcript_reads(console, reference: str) -> list[tuple]:
    with create_engine(console.env["ALLOCBOT_DATABASE_URL"]).connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text("SELECT actor, purpose FROM access_log WHERE resource = 'transcript' AND purpose LIKE :r"),
                {"r": f"% {reference}"},
            )
        ]


def test_a_taken_ticket_is_read_by_its_holder_and_the_supervisors_only(console, password, backend, rasa):
    ticket = camille_ticket(backend, rasa)
    reference = ticket["reference"]
    with (
        logged_in_client(console, password, "c.martin") as claire,
        logged_in_client(console, password, "p.durand") as paul,
        logged_in_client(console, password, "s.leroy") as sophie,
    ):
        page = claire.get(f"/tickets/{reference}")  # waiting: any counsellor may read it to take it
        assert page.status_code == 200
        assert claire.post(f"/tickets/{reference}/take", data={"csrf_token": csrf_of(page.text)}).status_code == 303
        refused = paul.get(f"/tickets/{reference}")
        assert refused.status_code == 403 and "seuls ce conseiller et les superviseurs" in refused.text
        assert "je veux parler" not in refused.text
        api = paul.get(f"/api/tickets/{reference}/messages", headers={"Accept": "application/json"})
        assert api.status_code == 403
        assert sophie.get(f"/tickets/{reference}").status_code == 200  # a supervisor
        assert claire.get(f"/api/tickets/{reference}/messages").status_code == 200
    reads = transcript_reads(console, reference)
    assert ("counsellor:c.martin", f"lecture de la mise en relation {reference}") in reads
    assert ("counsellor:s.leroy", f"supervision {reference}") in reads
    assert not any(actor == "counsellor:p.durand" for actor, _ in reads)
    backend.post(f"/v1/handoff-tickets/{reference}/close", json={"counsellor": "c.martin"})


def login_attempt(client: httpx.Client, login: str, address: str) -> httpx.Response:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    return client.post(
        "/login",
        data={"csrf_token": token, "login": login, "password": "faux"},
        headers={"X-Forwarded-For": address},
    )


def test_x_forwarded_for_is_believed_only_from_a_configured_proxy(console):
    """A console with no proxy configured: a new X-Forwarded-For per try no longer escapes the throttle."""
    port = free_port()
    env = {**console.env, "ALLOCBOT_TRUSTED_PROXIES": ""}
    service = console_service(port, env, console.workdir / "log-console-direct")
    start_all([service])
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            codes = [login_attempt(client, f"inconnu{index}", new_address()).status_code for index in range(21)]
        assert codes[:20] == [401] * 20 and codes[20] == 429
    finally:
        service.stop()


def test_behind_the_configured_proxy_each_client_is_counted_apart(console):
    """The session's console trusts 127.0.0.1 (the test stack's proxy): the address it names is the client's."""
    with httpx.Client(base_url=console.console_url, timeout=30) as client:
        attacker = new_address()
        codes = [login_attempt(client, f"autre{index}", attacker).status_code for index in range(21)]
        assert codes[20] == 429
        assert login_attempt(client, "autre-encore", new_address()).status_code == 401  # another client
