"""Identification on the other channels: the personal space's signed token, and the SMS sender's number."""

from __future__ import annotations

import time
import uuid

import jwt

from bot import site_token
from tests.backend.test_api import CAMILLE, personal


def _site_login(api, stack, token: str) -> tuple[int, dict]:
    conversation_id = f"test-{uuid.uuid4()}"
    response = api.post(
        "/v1/identification/site-token",
        json={"conversation_id": conversation_id, "channel": "web", "site_token": token},
    )
    return response.status_code, {**response.json(), "conversation_id": conversation_id}


def camille_id(api) -> int:
    body = {"conversation_id": f"t-{uuid.uuid4()}", "channel": "rest", **CAMILLE}
    response = api.post("/v1/identification", json=body)
    return response.json()["job_seeker_id"]


def test_a_site_token_identifies_the_person_for_this_conversation_only(api, stack):
    secret = stack.env["ALLOCBOT_SITE_TOKEN_SECRET"]
    status, grant = _site_login(api, stack, site_token.issue(camille_id(api), secret))
    assert status == 200, grant
    assert grant["first_name"] == "Camille"
    assert personal(api, grant, "allowance").status_code == 200
    stolen = {**grant, "conversation_id": "another-conversation"}
    assert personal(api, stolen, "allowance").status_code == 403


def test_forged_expired_or_foreign_site_tokens_are_refused_alike(api, stack):
    person = camille_id(api)
    secret = stack.env["ALLOCBOT_SITE_TOKEN_SECRET"]
    now = int(time.time())
    forged = site_token.issue(person, "not-the-secret-0123456789")
    expired = jwt.encode(
        {"sub": str(person), "aud": site_token.AUDIENCE, "iss": site_token.ISSUER, "iat": now - 700, "exp": now - 100},
        secret,
        algorithm="HS256",
    )
    everlasting = jwt.encode(
        {"sub": str(person), "aud": site_token.AUDIENCE, "iss": site_token.ISSUER, "iat": now, "exp": now + 86_400},
        secret,
        algorithm="HS256",
    )
    backend_token = jwt.encode(
        {"sub": str(person), "aud": "allocbot-backend", "iss": site_token.ISSUER, "iat": now, "exp": now + 60},
        secret,
        algorithm="HS256",
    )
    unknown_person = site_token.issue(999_999, secret)
    for token in (forged, expired, everlasting, backend_token, unknown_person, "x" * 40):
        status, body = _site_login(api, stack, token)
        assert status == 401, token
        assert body["code"] == "identification_failed"


def test_phone_link_says_only_whether_a_number_is_linked(api):
    assert api.post("/v1/identification/phone-link", json={"phone": "+33612345601"}).json() == {"linked": True}
    assert api.post("/v1/identification/phone-link", json={"phone": "06 12 34 56 01"}).json() == {"linked": True}
    assert api.post("/v1/identification/phone-link", json={"phone": "+33699999999"}).json() == {"linked": False}
    assert api.post("/v1/identification/phone-link", json={"phone": "pas un numéro"}).json() == {"linked": False}
    assert api.post("/v1/identification/phone-link", json={}).status_code == 422
