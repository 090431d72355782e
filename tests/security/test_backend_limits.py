"""The backend's limits, through its real HTTP API (issue 17 §2, §3, §4, §8).

Synthetic identities 17 to 19 are used nowhere else. The session's backend has
the production limits; the global limits are tested on a backend of their own
with low ones (``strict``), so that a flood here never touches another test.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import create_engine, text

from bot.backend.seed import synthetic_identity
from bot.backend.services.conversation_ids import hashed
from bot.cli.processes import backend_service, start_all
from bot.cli.stack import free_port, seed
from tests.servers import ACCESS_SECRET, SERVICE_TOKEN, service_env

CAMILLE = {"identifier": "1234567A", "birth_date": "1988-04-12"}


def source() -> str:
    return "web:" + secrets.token_hex(12)


def identify(api: httpx.Client, **body) -> httpx.Response:
    return api.post("/v1/identification", json={"conversation_id": f"t-{uuid.uuid4()}", "channel": "web", **body})


def ticket(api: httpx.Client, **body) -> httpx.Response:
    return api.post(
        "/v1/handoff-tickets",
        json={
            "conversation_id": f"t-{uuid.uuid4()}",
            "channel": "socketio",
            "reason": "distress",
            "priority": "urgent",
            "summary": "La personne exprime une détresse.",
            "transcript": [{"sender": "user", "text": "j'ai plus rien pour manger"}],
            **body,
        },
    )


def rows(stack, query: str, **params) -> list[tuple]:
    with create_engine(stack.env["ALLOCBOT_DATABASE_URL"]).connect() as connection:
        return [tuple(row) for row in connection.execute(text(query), params).all()]


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """A backend of its own with low global limits: 25 failed identifications, 12 anonymous tickets."""
    workdir = tmp_path_factory.mktemp("strict-backend")
    port = free_port()
    env = service_env(f"sqlite:///{workdir / 'backend.db'}", f"http://127.0.0.1:{port}")
    env.update({"ALLOCBOT_IDENTIFICATION_GLOBAL_MAX": "25", "ALLOCBOT_TICKETS_GLOBAL_MAX": "12"})
    seed(env)
    service = backend_service(port, env, workdir / "log")
    start_all([service])
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-Service-Token": SERVICE_TOKEN}, timeout=10) as c:
        c.log_path = service.log_path
        c.env = env
        yield c
    service.stop()


# --- §8: the file is locked, not the factor ---------------------------------------------------


def test_three_failures_lock_the_file_not_only_the_factor(stack, api) -> None:
    person = synthetic_identity(17)
    phone = "+33780000017"  # synthetic people's numbers are not valid ones: give this one a real mobile number
    with create_engine(stack.env["ALLOCBOT_DATABASE_URL"]).begin() as connection:
        connection.execute(
            text("UPDATE job_seekers SET phone = :p WHERE identifier = :i"), {"p": phone, "i": person.identifier}
        )
    assert identify(api, phone=phone, birth_date=(person.birth_date + timedelta(days=9)).isoformat()).status_code == 401
    wrong = (person.birth_date + timedelta(days=1)).isoformat()
    for _ in range(3):
        identify(api, identifier=person.identifier, birth_date=wrong)
    by_phone = identify(api, phone=phone, birth_date=person.birth_date.isoformat())
    assert by_phone.status_code == 423, by_phone.text  # before: a token
    assert "bloquée" in by_phone.json()["message"]
    assert "access_token" not in by_phone.text


# --- §3: spraying one birth date over many identifiers ------------------------------------------


def test_a_spray_from_one_origin_is_throttled_in_french_and_reported(stack, api) -> None:
    origin, born = source(), "1971-03-0" + str(secrets.randbelow(9) + 1)
    answers = [
        identify(api, identifier=f"{secrets.randbelow(10**7):07d}Q", birth_date=born, source=origin) for _ in range(12)
    ]
    # The 10th failure locks at once (as the 3rd does for an identifier): before, 401 for ever.
    assert [a.status_code for a in answers] == [401] * 9 + [429] * 3
    refusal = answers[-1].json()
    assert refusal["code"] == "identification_throttled"
    assert "Trop de tentatives" in refusal["message"] and "3949" in refusal["message"]
    real = identify(api, **CAMILLE, source=origin)  # the origin is throttled, whoever tries
    assert real.status_code == 429
    elsewhere = identify(api, identifier="7654321Q", birth_date=born, source=source())  # other origins are not
    assert elsewhere.status_code == 401
    assert identify(api, **CAMILLE, source=source()).status_code == 200
    log = (stack.workdir / "log" / "backend.log").read_text()
    assert "identification spraying" in log


def test_a_spray_from_many_origins_is_throttled_globally(strict) -> None:
    born = "1972-05-17"
    answers = [identify(strict, identifier=f"{index:07d}R", birth_date=born, source=source()) for index in range(27)]
    codes = [a.status_code for a in answers]
    assert codes[:24] == [401] * 24 and codes[24:] == [429, 429, 429]
    assert "sur le service" in answers[-1].json()["message"]
    assert identify(strict, **CAMILLE, source=source()).status_code == 429  # everyone, until the window passes
    log = strict.log_path.read_text()
    assert "one birth date" in log and "all throttled" in log


# --- §4: no conversation id in clear, in tickets or in the access log ---------------------------


@pytest.mark.parametrize("conversation_id", ["jean.dupont@example.fr", "+33612345678", "FR7630006000011234567890189"])
def test_conversation_ids_are_never_stored_in_clear(stack, api, conversation_id: str) -> None:
    granted = api.post(
        "/v1/identification",
        json={"conversation_id": conversation_id, "channel": "rest", **CAMILLE},
    )
    assert granted.status_code == 200, granted.text
    created = ticket(api, conversation_id=conversation_id, job_seeker_id=granted.json()["job_seeker_id"])
    assert created.status_code == 201, created.text
    assert created.json()["conversation_id"] == conversation_id  # the console still reaches the conversation
    for table in ("access_log", "handoff_tickets"):
        stored = rows(stack, f"SELECT * FROM {table}")  # noqa: S608 - two fixed names
        assert stored and not any(conversation_id in str(row) for row in stored), table
    assert rows(
        stack, "SELECT count(*) FROM access_log WHERE conversation_id = :c", c=hashed(ACCESS_SECRET, conversation_id)
    ) == [(1,)]
    erased = api.delete(f"/v1/conversations/{conversation_id}")
    assert erased.status_code == 200 and erased.json()["tickets_deleted"] == 1
    kept = rows(
        stack, "SELECT resource FROM access_log WHERE conversation_id = :c", c=hashed(ACCESS_SECRET, conversation_id)
    )
    assert kept == [("conversation",)]  # only the fact of the erasure still names the conversation


# --- §2: ticket flooding ---------------------------------------------------------------------------


def test_one_origin_cannot_flood_the_queue(api) -> None:
    origin = source()
    made = [ticket(api, source=origin) for _ in range(7)]
    assert [m.status_code for m in made] == [201] * 5 + [429] * 2  # before: one ticket per new conversation
    refusal = made[-1].json()
    assert refusal["code"] == "too_many_tickets" and "3949" in refusal["message"]
    real = ticket(api, source=source(), summary="Vraie détresse.")
    assert real.status_code == 201
    queue = api.get("/v1/handoff-tickets", params={"status": "waiting"}).json()["tickets"]
    position = [t["reference"] for t in queue].index(real.json()["reference"])
    assert all(t["priority"] == "urgent" for t in queue[:position])  # behind urgent tickets only


def test_repeats_of_one_conversation_are_merged(api) -> None:
    conversation = f"t-{uuid.uuid4()}"
    first = ticket(api, conversation_id=conversation, priority="normal", reason="human_requested", source=source())
    again = ticket(api, conversation_id=conversation, source=source())
    assert again.status_code == 201 and again.json()["reference"] == first.json()["reference"]
    assert again.json()["repeats"] == 1 and again.json()["priority"] == "urgent"


def test_one_person_cannot_flood_the_queue_from_many_addresses(strict) -> None:
    (camille,) = rows(strict, "SELECT id FROM job_seekers WHERE identifier = :i", i=CAMILLE["identifier"])
    made = [ticket(strict, source=source(), job_seeker_id=camille[0]) for _ in range(6)]
    assert [m.status_code for m in made] == [201] * 5 + [429]
    references = {m.json()["reference"] for m in made[:5]}
    assert len(references) == 5  # never merged: each conversation keeps its own ticket and transcript
    through_rest = ticket(strict, source=source(), job_seeker_id=camille[0], channel="rest")
    assert through_rest.status_code == 201  # our own tools are not limited per person


def test_a_flood_from_many_origins_is_stopped_and_people_still_get_through(strict) -> None:
    made = [ticket(strict, source=source()) for _ in range(14)]
    assert [m.status_code for m in made] == [201] * 12 + [429] * 2
    (julien,) = rows(strict, "SELECT id FROM job_seekers WHERE identifier = '2345678B'")
    identified = ticket(strict, source=source(), job_seeker_id=julien[0])
    assert identified.status_code == 201  # an identified person is never counted in the anonymous flood
    assert "ticket flood" in strict.log_path.read_text()


def test_the_access_log_is_kept_365_days_then_purged(dialogue) -> None:
    """Before: never purged (docs/privacy.md promised a retention it did not have)."""
    old = "2024-01-02 03:04:05"
    with create_engine(dialogue.env["ALLOCBOT_DATABASE_URL"]).begin() as connection:
        connection.execute(
            text(
                "INSERT INTO access_log (at, actor, conversation_id, job_seeker_id, resource, purpose) "
                "VALUES (:at, 'bot', NULL, (SELECT id FROM job_seekers WHERE identifier = '1234567A'), 'rights', 'x')"
            ),
            {"at": old},
        )
    recent = rows(dialogue, "SELECT count(*) FROM access_log WHERE at > '2025-01-01'")[0][0]
    purge = subprocess.run(
        [sys.executable, "-m", "bot.privacy.purge", "--days", "90"],
        env={**os.environ, **dialogue.env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert purge.returncode == 0, purge.stderr
    assert "Journal des accès (365 jours) : 1 entrée(s) effacée(s)." in purge.stdout
    assert rows(dialogue, "SELECT count(*) FROM access_log WHERE at < '2025-01-01'") == [(0,)]
    assert rows(dialogue, "SELECT count(*) FROM access_log WHERE at > '2025-01-01'") == [(recent,)]
