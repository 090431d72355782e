"""The backend's counsellor route: a file summary only for the counsellor who holds the person's ticket."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import create_engine, text

from bot.backend.services.conversation_ids import hashed
from tests.servers import ACCESS_SECRET

CAMILLE = {"identifier": "1234567A", "birth_date": "1988-04-12"}


def camille_id(api) -> int:
    grant = api.post("/v1/identification", json={"conversation_id": f"t-{uuid.uuid4()}", "channel": "rest", **CAMILLE})
    assert grant.status_code == 200, grant.text
    return grant.json()["job_seeker_id"]


def ticket_for(api, job_seeker_id: int) -> dict:
    created = api.post(
        "/v1/handoff-tickets",
        json={
            "conversation_id": f"t-{uuid.uuid4()}",
            "channel": "rest",
            "reason": "human_requested",
            "job_seeker_id": job_seeker_id,
        },
    )
    assert created.status_code == 201, created.text
    return created.json()


def summary(api, job_seeker_id: int, counsellor: str | None):
    headers = {"X-Counsellor": counsellor} if counsellor is not None else {}
    return api.get(f"/v1/counsellor/job-seekers/{job_seeker_id}/summary", headers=headers)


def test_summary_only_for_the_counsellor_holding_an_open_ticket(stack, api):
    person = camille_id(api)
    ticket = ticket_for(api, person)
    assert summary(api, person, "c.martin").status_code == 403  # waiting: nobody holds it yet
    api.post(f"/v1/handoff-tickets/{ticket['reference']}/take", json={"counsellor": "c.martin"})
    assert summary(api, person, "p.durand").status_code == 403

    answer = summary(api, person, "c.martin")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["first_name"] == "Camille" and body["rights"]["daily_allowance"]
    assert {"next_payment", "declaration", "overpayments"} <= body.keys()

    with create_engine(stack.env["ALLOCBOT_DATABASE_URL"]).connect() as connection:
        rows = connection.execute(
            text("SELECT actor, resource, purpose FROM access_log WHERE conversation_id = :c"),
            {"c": hashed(ACCESS_SECRET, ticket["conversation_id"])},
        ).all()
    assert [tuple(row) for row in rows] == [
        ("counsellor:c.martin", "summary", f"mise en relation {ticket['reference']}")
    ]

    api.post(f"/v1/handoff-tickets/{ticket['reference']}/close", json={"counsellor": "c.martin"})
    assert summary(api, person, "c.martin").status_code == 403  # closed: no more reason to read the file


def test_summary_needs_a_well_formed_counsellor_and_the_service_token(stack, api):
    person = camille_id(api)
    assert summary(api, person, None).status_code == 422
    assert summary(api, person, "C.Martin <script>").status_code == 422
    anonymous = httpx.get(
        f"{stack.backend_url}/v1/counsellor/job-seekers/{person}/summary", headers={"X-Counsellor": "c.martin"}
    )
    assert anonymous.status_code == 401
