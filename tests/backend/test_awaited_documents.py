"""The documents a file awaits (issue 20): ``GET /v1/job-seekers/{id}/documents/awaited``.

In process: the backend's application on a seeded SQLite file of its own (``httpx.ASGITransport``),
the day pinned as in the other tests. Documents are added to synthetic people's files directly in
that database to cover what the personas do not (received, not blocking, no month).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import select

from bot import clock
from bot.backend.api.app import create_app
from bot.backend.db import session_scope
from bot.backend.models import AwaitedDocument, JobSeeker, Payment, PaymentStatus
from bot.backend.schema import upgrade
from bot.backend.seed import seed_demo
from bot.common.config import Settings
from bot.common.formatting import format_date_fr, format_of_month_fr
from tests.servers import TEST_TODAY

pytestmark = pytest.mark.unit

SERVICE_TOKEN = "unit-service-token-0123456789"
LAURA = {"identifier": "8901234H", "birth_date": "1998-12-14"}  # payslip_awaited
CAMILLE = {"identifier": "1234567A", "birth_date": "1988-04-12"}  # standard: nothing awaited
SEND = "Déposez le document depuis votre espace personnel, rubrique « Mes échanges »."


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('documents') / 'backend.db'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ALLOCBOT_TODAY", TEST_TODAY)
        upgrade(url)
        with session_scope(url) as session:
            seed_demo(session, clock.today())
    return url


@pytest.fixture()
def api(database: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ALLOCBOT_TODAY", TEST_TODAY)
    settings = Settings(
        database_url=database,
        backend_url="http://backend.in-process",
        backend_service_token=SERVICE_TOKEN,
        access_token_secret="unit-access-secret-0123456789",
        access_token_ttl_seconds=900,
        backend_timeout_seconds=5,
        today_override=TEST_TODAY,
    )
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(
        transport=transport, base_url=settings.backend_url, headers={"X-Service-Token": SERVICE_TOKEN}
    )


async def grant_of(api: httpx.AsyncClient, person: dict) -> dict:
    body = {"conversation_id": f"unit-{uuid.uuid4()}", "channel": "rest", **person}
    response = await api.post("/v1/identification", json=body)
    assert response.status_code == 200, response.text
    return {**response.json(), "conversation_id": body["conversation_id"]}


async def awaited(api: httpx.AsyncClient, grant: dict) -> httpx.Response:
    headers = {"Authorization": f"Bearer {grant['access_token']}", "X-Conversation-Id": grant["conversation_id"]}
    return await api.get(f"/v1/job-seekers/{grant['job_seeker_id']}/documents/awaited", headers=headers)


async def test_the_payslip_awaited_is_listed_with_the_payment_it_holds(api, database) -> None:
    grant = await grant_of(api, LAURA)
    view = (await awaited(api, grant)).json()
    with session_scope(database) as session:
        (stored,) = session.execute(
            select(AwaitedDocument).where(AwaitedDocument.job_seeker_id == grant["job_seeker_id"])
        ).scalars()
        held = session.execute(
            select(Payment).where(Payment.job_seeker_id == grant["job_seeker_id"], Payment.period == stored.period)
        ).scalar_one_or_none()
        expected = (stored.label, stored.period, stored.requested_on)
        held_status = held.status if held is not None else None
    label, period, requested_on = expected
    (document,) = view["documents"]
    assert document["label"] == label and "bulletin de salaire" in label
    assert document["period"] == period.strftime("%Y-%m")
    assert document["requested_on"] == requested_on.isoformat()
    assert document["blocks_payment"] is True and document["held_payment"] == document["period"]
    assert format_date_fr(requested_on) in document["message"]
    assert f"votre paiement {format_of_month_fr(period)} est bloqué" in document["message"]
    assert view["summary"] == "Nous attendons un document de votre part."
    assert view["how_to_send"] == SEND
    # The month the document holds is the one the payment views say is held (or not stored yet).
    assert held_status in (None, PaymentStatus.BLOCKED)
    nxt = (
        await api.get(
            f"/v1/job-seekers/{grant['job_seeker_id']}/payments/next",
            headers={"Authorization": f"Bearer {grant['access_token']}", "X-Conversation-Id": grant["conversation_id"]},
        )
    ).json()
    if nxt["status"] == "blocked":
        assert nxt["period"] == document["period"] and "document_awaited" in nxt["reasons"]


async def test_a_file_that_awaits_nothing_says_so(api) -> None:
    view = (await awaited(api, await grant_of(api, CAMILLE))).json()
    assert view["documents"] == []
    assert view["summary"] == "Nous n'attendons aucun document de votre part : votre dossier est complet."
    assert view["how_to_send"] is None
    assert view["computed_at"]


async def test_received_documents_are_not_listed_and_one_without_a_month_holds_nothing(api, database) -> None:
    grant = await grant_of(api, LAURA)
    today = date.fromisoformat(TEST_TODAY)
    with session_scope(database) as session:
        person = session.get(JobSeeker, grant["job_seeker_id"])
        added = [
            AwaitedDocument(
                job_seeker_id=person.id,
                kind="employer_certificate",
                label="l'attestation employeur de Restaurant Capitole",
                period=None,
                requested_on=today - timedelta(days=40),
                blocks_payment=True,
            ),
            AwaitedDocument(
                job_seeker_id=person.id,
                kind="id_card",
                label="la copie de votre pièce d'identité",
                period=None,
                requested_on=today - timedelta(days=60),
                received_on=today - timedelta(days=2),
            ),
            AwaitedDocument(
                job_seeker_id=person.id,
                kind="payslip",
                label="votre bulletin de salaire de mars 2026",
                period=date(2026, 3, 1),
                requested_on=today - timedelta(days=20),
                blocks_payment=False,
            ),
        ]
        session.add_all(added)
        session.flush()
        ids = [document.id for document in added]
    try:
        view = (await awaited(api, grant)).json()
        labels = [d["label"] for d in view["documents"]]
        assert "la copie de votre pièce d'identité" not in labels  # received
        assert labels[0] == "l'attestation employeur de Restaurant Capitole"  # the oldest request first
        assert view["summary"] == "Nous attendons 3 documents de votre part."
        certificate, *_ = view["documents"]
        assert certificate["period"] is None and certificate["blocks_payment"] is False
        assert certificate["message"] == (
            "L'attestation employeur de Restaurant Capitole (demande du "
            f"{format_date_fr(today - timedelta(days=40))}). Ce document ne bloque aucun paiement."
        )
        march = next(d for d in view["documents"] if d["period"] == "2026-03")
        assert march["held_payment"] is None and "ne bloque aucun paiement" in march["message"]
        held = [d["held_payment"] for d in view["documents"] if d["blocks_payment"]]
        assert len(held) == 1 and held[0] != "2026-03"
    finally:
        with session_scope(database) as session:
            for document_id in ids:
                session.delete(session.get(AwaitedDocument, document_id))


async def test_the_route_needs_the_person_s_token(api) -> None:
    laura, camille = await grant_of(api, LAURA), await grant_of(api, CAMILLE)
    assert (await api.get(f"/v1/job-seekers/{laura['job_seeker_id']}/documents/awaited")).status_code == 401
    wrong = {**camille, "job_seeker_id": laura["job_seeker_id"]}
    response = await awaited(api, wrong)
    assert response.status_code == 403
