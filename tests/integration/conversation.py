"""A job seeker talking to the real Rasa server over REST, and the backend's own figures to compare with."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
import pytest

from tests.servers import RASA_TOKEN, SERVICE_TOKEN


class Conversation:
    def __init__(self, stack, channel_sender: str | None = None):
        self.stack = stack
        self.sender = channel_sender or f"t-{uuid.uuid4()}"

    def say(self, message: str) -> str:
        response = httpx.post(
            self.stack.rest_webhook,
            json={"sender": self.sender, "message": message},
            headers=self.stack.rest_headers,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return "\n".join(m.get("text", "") for m in response.json())

    def messages(self, message: str) -> list[dict]:
        response = httpx.post(
            self.stack.rest_webhook,
            json={"sender": self.sender, "message": message},
            headers=self.stack.rest_headers,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def identify(self, identifier: str, birth_date: date, question: str = "combien vais-je toucher ?") -> str:
        assert "identifiant" in self.say(question)
        assert "date de naissance" in self.say(identifier)
        return self.say(birth_date.strftime("%d/%m/%Y"))

    def tracker(self) -> dict:
        return httpx.get(
            f"{self.stack.rasa_url}/conversations/{self.sender}/tracker", params={"token": RASA_TOKEN}, timeout=10
        ).json()


class BackendView:
    """The backend's figures for one person, read in a conversation of the test's own."""

    def __init__(self, stack, identifier: str, birth_date: date):
        self.client = httpx.Client(base_url=stack.backend_url, headers={"X-Service-Token": SERVICE_TOKEN}, timeout=10)
        conversation_id = f"check-{uuid.uuid4()}"
        grant = self.client.post(
            "/v1/identification",
            json={
                "conversation_id": conversation_id,
                "channel": "rest",
                "identifier": identifier,
                "birth_date": birth_date.isoformat(),
            },
        )
        assert grant.status_code == 200, grant.text
        self.person = grant.json()["job_seeker_id"]
        self.client.headers.update(
            {"Authorization": f"Bearer {grant.json()['access_token']}", "X-Conversation-Id": conversation_id}
        )

    def get(self, resource: str, **params) -> dict:
        return self.client.get(f"/v1/job-seekers/{self.person}/{resource}", params=params).json()

    def simulate(self, month: str, earnings: str) -> dict:
        return self.client.post(
            f"/v1/job-seekers/{self.person}/simulations/earnings", json={"month": month, "gross_earnings": earnings}
        ).json()

    def close(self) -> None:
        self.client.close()


CANDIDATES = [
    "zorglub flipo trantor",
    "blorp quazzi nitro",
    "qsdfghjklm",
    "euh",
    "hein ?",
    "bof",
    "???",
    "mmh oui non peut être",
    "et donc",
    "ptdr",
    "xkcd",
    "ça dépend",
    "la",
    "ok mais",
    "wesh",
]


def unclear_messages(stack, count: int = 2) -> list[str]:
    """Messages the trained model itself finds unclear (below the fallback threshold).

    Chosen through Rasa's parse API rather than hard-coded: a retrained model may
    read some gibberish as out of scope; if none of these falls back, the fallback
    cannot be reached and the test fails, as it should."""
    found = []
    for text in CANDIDATES:
        parsed = httpx.post(
            f"{stack.rasa_url}/model/parse", params={"token": RASA_TOKEN}, json={"text": text}, timeout=30
        ).json()
        if parsed["intent"]["name"] == "nlu_fallback":
            found.append(text)
        if len(found) == count:
            return found
    pytest.fail(f"no message below the fallback threshold among {CANDIDATES}")
