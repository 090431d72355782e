"""The backend's HTTP API, against the real process (uvicorn + SQLite seeded with the personas)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
import pytest

from bot.backend.seed import synthetic_identity
from bot.backend.services.conversation_ids import hashed
from tests.servers import ACCESS_SECRET

CAMILLE = {"identifier": "1234567A", "birth_date": "1988-04-12"}
JULIEN = {"identifier": "2345678B", "birth_date": "1995-09-03"}


def conversation() -> str:
    return f"test-{uuid.uuid4()}"


def identify(api: httpx.Client, person: dict, conversation_id: str | None = None, channel: str = "rest") -> dict:
    body = {"conversation_id": conversation_id or conversation(), "channel": channel, **person}
    response = api.post("/v1/identification", json=body)
    assert response.status_code == 200, response.text
    return {**response.json(), "conversation_id": body["conversation_id"]}


def personal(api: httpx.Client, grant: dict, path: str, **kwargs) -> httpx.Response:
    headers = {"Authorization": f"Bearer {grant['access_token']}", "X-Conversation-Id": grant["conversation_id"]}
    return api.request(
        kwargs.pop("method", "GET"), f"/v1/job-seekers/{grant['job_seeker_id']}/{path}", headers=headers, **kwargs
    )


def test_health_needs_no_credentials(stack):
    assert httpx.get(f"{stack.backend_url}/health").json() == {"status": "ok"}


def test_every_v1_route_needs_the_service_token(stack):
    response = httpx.post(
        f"{stack.backend_url}/v1/identification", json={"conversation_id": "x", "channel": "rest", **CAMILLE}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "service_unauthorized"
    wrong = httpx.get(f"{stack.backend_url}/v1/handoff-tickets", headers={"X-Service-Token": "nope"})
    assert wrong.status_code == 401


def test_identification_gives_a_token_for_one_person(api):
    grant = identify(api, CAMILLE)
    assert grant["first_name"] == "Camille"
    assert grant["access_token"].count(".") == 2  # a JWT


def test_identifier_is_accepted_in_any_case_and_with_spaces(api):
    grant = identify(api, {"identifier": " 1234567a ", "birth_date": "1988-04-12"})
    assert grant["first_name"] == "Camille"


def test_phone_number_is_a_first_factor(api):
    grant = identify(api, {"phone": "06 12 34 56 02", "birth_date": "1995-09-03"}, channel="sms")
    assert grant["first_name"] == "Julien"


def test_wrong_birth_date_gives_no_hint(api):
    wrong_date = api.post(
        "/v1/identification",
        json={
            "conversation_id": conversation(),
            "channel": "rest",
            "identifier": "1234567A",
            "birth_date": "1988-04-13",
        },
    )
    unknown_id = api.post(
        "/v1/identification",
        json={
            "conversation_id": conversation(),
            "channel": "rest",
            "identifier": "7654321Z",
            "birth_date": "1988-04-12",
        },
    )
    assert wrong_date.status_code == unknown_id.status_code == 401
    assert wrong_date.json() == unknown_id.json()


def test_three_failures_lock_the_identifier_for_15_minutes(api):
    synthetic = synthetic_identity(3)
    person = {"identifier": synthetic.identifier, "birth_date": synthetic.birth_date.isoformat()}
    for attempt in range(3):
        response = api.post(
            "/v1/identification",
            json={
                "conversation_id": conversation(),
                "channel": "rest",
                "identifier": person["identifier"],
                "birth_date": f"1990-01-0{attempt + 1}",
            },
        )
    assert response.status_code == 423
    assert response.json()["code"] == "identification_locked"
    assert 14 * 60 <= int(response.headers["Retry-After"]) <= 15 * 60 + 1
    # Even the right birth date is refused while locked, from any conversation.
    locked = api.post("/v1/identification", json={"conversation_id": conversation(), "channel": "rest", **person})
    assert locked.status_code == 423


def test_three_failures_lock_the_conversation_whatever_the_identifier(api):
    conversation_id = conversation()
    for identifier in ("1111111A", "2222222B", "3333333C"):
        response = api.post(
            "/v1/identification",
            json={
                "conversation_id": conversation_id,
                "channel": "rest",
                "identifier": identifier,
                "birth_date": "1980-01-01",
            },
        )
    assert response.status_code == 423
    locked = api.post("/v1/identification", json={"conversation_id": conversation_id, "channel": "rest", **CAMILLE})
    assert locked.status_code == 423


def test_another_persons_file_is_refused(api):
    camille = identify(api, CAMILLE)
    julien = identify(api, JULIEN)
    headers = {"Authorization": f"Bearer {camille['access_token']}", "X-Conversation-Id": camille["conversation_id"]}
    response = api.get(f"/v1/job-seekers/{julien['job_seeker_id']}/allowance", headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_token_copied_to_another_conversation_is_refused(api):
    camille = identify(api, CAMILLE)
    stolen = {**camille, "conversation_id": conversation()}
    assert personal(api, stolen, "allowance").status_code == 403


def test_personal_routes_need_an_access_token(api):
    camille = identify(api, CAMILLE)
    response = api.get(
        f"/v1/job-seekers/{camille['job_seeker_id']}/rights", headers={"X-Conversation-Id": camille["conversation_id"]}
    )
    assert response.status_code == 401
    forged = api.get(
        f"/v1/job-seekers/{camille['job_seeker_id']}/rights",
        headers={"Authorization": "Bearer abc.def.ghi", "X-Conversation-Id": camille["conversation_id"]},
    )
    assert forged.status_code == 401


def test_allowance_is_consistent_and_explained(api):
    grant = identify(api, CAMILLE)
    view = personal(api, grant, "allowance").json()
    monthly = {k: Decimal(v) for k, v in view["monthly"].items() if isinstance(v, str)}
    daily_gross = Decimal(view["daily"]["gross"])
    assert monthly["gross"] == (daily_gross * view["monthly"]["days_paid"]).quantize(Decimal("0.01"))
    deductions = (
        monthly["retirement_contribution"] + monthly["csg"] + monthly["crds"] + monthly["alsace_moselle_contribution"]
    )
    assert monthly["net"] == monthly["gross"] - deductions
    reference_wage = Decimal(view["reference_wage"])
    assert reference_wage * Decimal("0.57") <= daily_gross <= reference_wage * Decimal("0.75")
    assert view["explanation"] and all(step["label"] and step["detail"] for step in view["explanation"])
    assert view["computed_at"]


def test_allowance_of_a_named_month_and_a_bad_month(api):
    grant = identify(api, CAMILLE)
    assert personal(api, grant, "allowance", params={"month": "2026-10"}).json()["month"] == "2026-10"
    bad = personal(api, grant, "allowance", params={"month": "2026-13"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_request"


def test_missing_declaration_blocks_the_next_payment(api):
    grant = identify(api, {"identifier": "3456789C", "birth_date": "1990-01-27"})
    payment = personal(api, grant, "payments/next").json()
    assert payment["status"] == "blocked"
    assert payment["reasons"] == ["missing_declaration"]
    assert "actualisation" in payment["reason_details"][0]["message"]


def test_first_payment_is_pending_during_the_waiting_period(api):
    grant = identify(api, JULIEN)
    payment = personal(api, grant, "payments/next").json()
    assert payment["status"] == "expected"
    assert "waiting_period" in payment["reasons"]
    assert personal(api, grant, "payments").json()["payments"] == []


def test_rights_ending_soon(api):
    grant = identify(api, {"identifier": "6789012F", "birth_date": "1992-03-30"})
    rights = personal(api, grant, "rights").json()
    assert 0 < rights["days_left"] <= 30


def test_earnings_simulation_never_raises_the_allowance(api):
    grant = identify(api, CAMILLE)
    none = personal(
        api, grant, "simulations/earnings", method="POST", json={"month": "2026-11", "gross_earnings": "0"}
    ).json()
    some = personal(
        api, grant, "simulations/earnings", method="POST", json={"month": "2026-11", "gross_earnings": "800"}
    ).json()
    assert Decimal(some["monthly"]["gross"]) < Decimal(none["monthly"]["gross"])
    assert some["monthly"]["days_paid"] < none["monthly"]["days_paid"]


def test_overpayment_is_being_withheld(api):
    grant = identify(api, {"identifier": "7890123G", "birth_date": "1975-08-22"})
    overpayment = personal(api, grant, "overpayments").json()["overpayments"][0]
    assert Decimal(overpayment["remaining"]) < Decimal(overpayment["amount"]) == Decimal("1150.00")
    history = personal(api, grant, "payments").json()["payments"]
    assert any(Decimal(p["overpayment_withheld"]) > 0 for p in history)


def test_declaration_status_shows_the_next_window(api):
    grant = identify(api, CAMILLE)
    status = personal(api, grant, "declarations/current").json()
    assert status["last_due"]["month"] == "2026-10" and status["last_due"]["status"] == "submitted"
    assert status["next_window"]["opens_on"] == "2026-11-28"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"conversation_id": "x", "channel": "rest", "birth_date": "1988-04-12"},  # no first factor
        {"conversation_id": "x", "channel": "fax", **CAMILLE},
        {"conversation_id": "x", "channel": "rest", "identifier": "1234567A", "birth_date": "12/04/1988"},
        {"conversation_id": "x" * 500, "channel": "rest", **CAMILLE},
        {"conversation_id": "x", "channel": "rest", "unexpected": True, **CAMILLE},
        [1, 2, 3],
    ],
)
def test_malformed_identification_is_a_4xx(api, body):
    response = api.post("/v1/identification", json=body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert response.json()["message"]


def test_not_json_is_a_4xx(api):
    response = api.post(
        "/v1/identification", content=b"\xff\xfe not json", headers={"Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500


def test_oversized_payload_is_413(api):
    response = api.post(
        "/v1/identification", content=b"{" + b" " * 200_000 + b"}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_unknown_route_is_a_json_404(api):
    response = api.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_ticket_life_cycle(api):
    conversation_id = conversation()
    created = api.post(
        "/v1/handoff-tickets",
        json={
            "conversation_id": conversation_id,
            "channel": "rest",
            "reason": "explicit_request",
            "summary": "La personne demande un conseiller.",
            "transcript": [{"sender": "user", "text": "je veux parler à quelqu'un"}],
        },
    )
    assert created.status_code == 201
    reference = created.json()["reference"]
    assert api.post(f"/v1/handoff-tickets/{reference}/take", json={"counsellor": "agent1"}).json()["status"] == "taken"
    other = api.post(f"/v1/handoff-tickets/{reference}/take", json={"counsellor": "agent2"})
    assert other.status_code == 409
    closed = api.post(f"/v1/handoff-tickets/{reference}/close", json={"counsellor": "agent1"})
    assert closed.json()["status"] == "closed"
    waiting = api.get("/v1/handoff-tickets", params={"status": "waiting"}).json()["tickets"]
    assert reference not in {t["reference"] for t in waiting}


def test_every_read_of_a_file_is_logged(stack, api):
    from sqlalchemy import create_engine, text

    grant = identify(api, CAMILLE)
    personal(api, grant, "rights")
    engine = create_engine(stack.env["ALLOCBOT_DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT actor, resource FROM access_log WHERE conversation_id = :c ORDER BY id"),
            {"c": hashed(ACCESS_SECRET, grant["conversation_id"])},  # never the id in clear (issue 17 §4)
        ).all()
    assert [tuple(row) for row in rows] == [("bot", "identification"), ("bot", "rights")]
