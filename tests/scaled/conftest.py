"""The scaled topology, started once for tests/scaled/: real PostgreSQL, Redis, HAProxy, two replicas of each.

``bot.cli.scaled.ScaledTopology`` is what ``make run-scaled`` starts; here with the
test secrets of tests/servers.py, the local stand-in for Twilio and Meta, and a
PostgreSQL without fsync (nothing to keep after the run).
"""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from bot.cli.scaled import ScaledTopology
from tests.fakes.saas import FakeSaaS
from tests.servers import (
    RASA_TOKEN,
    SERVICE_TOKEN,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID,
    Stack,
)


class Scaled:
    """The running topology and what the tests need to talk to it."""

    def __init__(self, topology: ScaledTopology, saas: FakeSaaS):
        self.topology = topology
        self.saas = saas
        self.env = topology.env
        self.lb_url = f"http://127.0.0.1:{topology.ports.rasa}"
        self.replica_urls = [f"http://127.0.0.1:{port}" for port in topology.ports.rasa_replicas]
        self.backend_url = f"http://127.0.0.1:{topology.ports.backend}"
        self.rest_headers = {"Authorization": f"Bearer {self.env['ALLOCBOT_REST_TOKEN']}"}
        # For tests/channels' phones: SMS and WhatsApp webhooks through the load balancer.
        self.rasa_url = self.lb_url

    def say(self, url: str, sender: str, message: str, timeout: float = 60) -> list[str]:
        response = httpx.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            headers=self.rest_headers,
            timeout=timeout,
        )
        assert response.status_code == 200, response.text
        return [m.get("text", "") for m in response.json()]

    def tracker(self, sender: str, url: str | None = None) -> dict:
        response = httpx.get(
            f"{url or self.lb_url}/conversations/{sender}/tracker", params={"token": RASA_TOKEN}, timeout=30
        )
        assert response.status_code == 200, response.text
        return response.json()

    def user_texts(self, sender: str) -> list[str]:
        return [e.get("text") for e in self.tracker(sender)["events"] if e.get("event") == "user"]

    def counsellor_reply(self, url: str, conversation_id: str, text: str) -> None:
        """What the console's reply does (bot/console/clients.py), sent to the replica at ``url``."""
        response = httpx.post(
            f"{url}/conversations/{conversation_id}/tracker/events",
            params={"token": RASA_TOKEN, "output_channel": "latest", "execute_side_effects": "true"},
            json=[{"event": "bot", "text": text, "metadata": {"counsellor": "c.martin"}}],
            timeout=60,
        )
        assert response.status_code == 200, response.text

    def backend(self) -> httpx.Client:
        return httpx.Client(base_url=self.backend_url, headers={"X-Service-Token": SERVICE_TOKEN}, timeout=15)

    def wait_healthy(self, timeout: float = 120) -> None:
        """Until HAProxy sees every replica up again (after a test killed or restarted one)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.topology.supervisor.poll()
            states = self.topology.haproxy_servers()
            if states and all(state.startswith("UP") for state in states.values()):
                return
            time.sleep(0.5)
        raise AssertionError(f"répliques pas toutes revenues : {self.topology.haproxy_servers()}")


@pytest.fixture(scope="session")
def scaled(tmp_path_factory) -> Scaled:
    workdir = tmp_path_factory.mktemp("scaled")
    base = Stack(workdir / "base")  # the test secrets, the pinned day, the channels' test credentials
    saas = FakeSaaS(
        base.saas_port, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID
    ).start()
    topology = ScaledTopology(workdir, dict(base.env), durable=False)
    try:
        topology.start(population=20)
        scaled = Scaled(topology, saas)
        scaled.wait_healthy()
        yield scaled
    finally:
        topology.stop()
        saas.stop()


@pytest.fixture()
def sender() -> str:
    return f"scaled-{uuid.uuid4().hex[:12]}"
