"""The personal space's one call to the benefits backend: checking a demo login.

The site has no user database of its own: a login (identifier + birth date) is
checked by the backend's ``POST /v1/identification``, exactly like the bot's
identification, so the same three-tries lock protects both. The access token
the backend returns is not kept: the site only needs the file's id and first
name, and the chat gets its own grant from the site token.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import httpx

UNAVAILABLE = "Le service est momentanément indisponible. Réessayez dans quelques minutes, ou appelez le 3949."


@dataclass(frozen=True)
class LoginResult:
    person: int | None = None
    first_name: str = ""
    error: str = ""  # French, shown as is


class Backend:
    def __init__(self, base_url: str, service_token: str, timeout_seconds: float = 5):
        self.base_url = base_url.rstrip("/")
        self.service_token = service_token
        self.timeout = httpx.Timeout(timeout_seconds)

    async def login(self, identifier: str, birth_date: date, source: str | None = None) -> LoginResult:
        """``source``: the keyed hash of the client's address, so that the backend throttles a spray from it."""
        body = {
            "conversation_id": f"site-login-{uuid.uuid4().hex}",
            "channel": "web",
            "identifier": identifier,
            "birth_date": birth_date.isoformat(),
            "source": source,
        }
        try:
            async with httpx.AsyncClient(
                base_url=self.base_url, timeout=self.timeout, headers={"X-Service-Token": self.service_token}
            ) as client:
                response = await client.post("/v1/identification", json=body)
        except httpx.HTTPError:
            return LoginResult(error=UNAVAILABLE)
        if response.status_code == 200:
            data = response.json()
            return LoginResult(person=int(data["job_seeker_id"]), first_name=str(data.get("first_name", "")))
        if response.status_code in (401, 422, 423, 429):
            # The backend's messages are written for the person (wrong details, lock or throttle with its duration).
            try:
                message = response.json().get("message")
            except ValueError:
                message = None
            if response.status_code == 422 or not message:
                message = "Ces informations ne nous permettent pas de vous identifier. Vérifiez-les et réessayez."
            return LoginResult(error=message)
        return LoginResult(error=UNAVAILABLE)
