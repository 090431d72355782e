"""The same backend code on PostgreSQL: migrations, seed and API give the same figures as on SQLite."""

from __future__ import annotations

import uuid

import httpx
import pytest

from bot.cli.processes import backend_service, start_all
from tests.postgres import PostgresServer
from tests.servers import SERVICE_TOKEN, free_port, seed, service_env


@pytest.fixture(scope="module")
def postgres_backend(tmp_path_factory):
    server = PostgresServer()
    url = server.start()
    port = free_port()
    env = service_env(url, f"http://127.0.0.1:{port}")
    service = backend_service(port, env, tmp_path_factory.mktemp("pg-log"))
    try:
        seed(env)
        start_all([service])
        yield f"http://127.0.0.1:{port}", url
    finally:
        service.stop()
        server.stop()


def _figures(base_url: str) -> dict:
    with httpx.Client(base_url=base_url, headers={"X-Service-Token": SERVICE_TOKEN}, timeout=10) as api:
        conversation_id = f"pg-{uuid.uuid4()}"
        grant = api.post(
            "/v1/identification",
            json={
                "conversation_id": conversation_id,
                "channel": "rest",
                "identifier": "5678901E",
                "birth_date": "1980-11-05",
            },
        )
        assert grant.status_code == 200, grant.text
        headers = {"Authorization": f"Bearer {grant.json()['access_token']}", "X-Conversation-Id": conversation_id}
        person = grant.json()["job_seeker_id"]
        allowance = api.get(f"/v1/job-seekers/{person}/allowance", headers=headers).json()
        history = api.get(f"/v1/job-seekers/{person}/payments", headers=headers).json()
        return {
            "monthly": allowance["monthly"],
            "daily": allowance["daily"],
            "history": [(p["period"], p["net"], p["status"]) for p in history["payments"]],
        }


def test_postgresql_gives_the_same_figures_as_sqlite(postgres_backend, stack):
    base_url, _ = postgres_backend
    assert _figures(base_url) == _figures(stack.backend_url)


def test_postgresql_schema_is_at_the_latest_migration(postgres_backend):
    from sqlalchemy import create_engine, text

    from bot.backend.schema import MIGRATIONS

    _, url = postgres_backend
    newest = sorted(p.name.split("_")[0] for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))[-1]
    with create_engine(url).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == newest
        amount_type = connection.execute(
            text(
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'payments' AND column_name = 'net'"
            )
        ).scalar_one()
    assert amount_type == "numeric"  # money is exact in PostgreSQL
