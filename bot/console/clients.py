"""The console's two HTTP clients: the backend (tickets, file summary) and Rasa's API (the conversation).

One ``httpx.AsyncClient`` each for the life of the process, with timeouts on every
call. Failures become :class:`ServiceError` with a French message that the pages
show as they are.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import httpx

log = logging.getLogger(__name__)

RESUMED_RESPONSE = "utter_handoff_resumed"
# Said by the console only if the running model does not know RESUMED_RESPONSE (same words as domain.yml).
RESUMED_TEXT = (
    "La conversation avec le conseiller est terminée. Je reprends : posez-moi votre question si vous en avez une autre."
)
UNAVAILABLE = "Le service est momentanément indisponible. Réessayez dans un instant."


class ServiceError(Exception):
    """A refused or failed call; ``code`` is the backend's code when it gave one."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


async def _call(client: httpx.AsyncClient, method: str, url: str, **kwargs) -> Any:
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        log.warning("%s %s failed: %s", method, url.split("?")[0], type(error).__name__)
        raise ServiceError(503, "unavailable", UNAVAILABLE) from error
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = {}
        code = body.get("code") if isinstance(body, dict) else None
        message = body.get("message") if isinstance(body, dict) else None
        log.warning("%s %s answered %s %s", method, url.split("?")[0], response.status_code, code)
        raise ServiceError(response.status_code, str(code or "error"), str(message or UNAVAILABLE))
    return response.json()


class Backend:
    """Handoff tickets and the counsellor's view of a file."""

    def __init__(self, base_url: str, service_token: str, timeout: float):
        self._client = httpx.AsyncClient(base_url=base_url, headers={"X-Service-Token": service_token}, timeout=timeout)

    async def tickets(self, status: str | None = None) -> list[dict]:
        params = {"status": status} if status else {}
        return (await _call(self._client, "GET", "/v1/handoff-tickets", params=params))["tickets"]

    async def ticket(self, reference: str) -> dict:
        return await _call(self._client, "GET", f"/v1/handoff-tickets/{reference}")

    async def act(self, reference: str, action: str, counsellor: str) -> dict:
        """``take``, ``release`` or ``close``."""
        return await _call(
            self._client, "POST", f"/v1/handoff-tickets/{reference}/{action}", json={"counsellor": counsellor}
        )

    async def record_read(self, reference: str, counsellor: str, purpose: str) -> None:
        """Every read of a ticket's conversation is logged by the backend (access log, and its own log)."""
        await _call(
            self._client,
            "POST",
            f"/v1/handoff-tickets/{reference}/reads",
            json={"counsellor": counsellor, "purpose": purpose},
        )

    async def summary(self, job_seeker_id: int, counsellor: str) -> dict:
        return await _call(
            self._client,
            "GET",
            f"/v1/counsellor/job-seekers/{job_seeker_id}/summary",
            headers={"X-Counsellor": counsellor},
        )

    async def aclose(self) -> None:
        await self._client.aclose()


class Rasa:
    """The person's conversation through Rasa's HTTP API (``?token=``).

    Replies are appended as ``bot`` events with ``execute_side_effects`` and
    ``output_channel=latest``: Rasa then sends them through the channel the person
    last wrote on (socket.io room, SMS, WhatsApp), as if the bot had said them.
    """

    def __init__(self, base_url: str, token: str, timeout: float):
        self._client = httpx.AsyncClient(base_url=base_url, params={"token": token}, timeout=timeout)

    async def tracker(self, conversation_id: str) -> dict:
        return await _call(self._client, "GET", f"/conversations/{_quoted(conversation_id)}/tracker")

    async def append(self, conversation_id: str, events: list[dict], send: bool = False) -> dict:
        params = {"output_channel": "latest", "execute_side_effects": "true"} if send else {}
        return await _call(
            self._client,
            "POST",
            f"/conversations/{_quoted(conversation_id)}/tracker/events",
            params=params,
            json=events,
        )

    async def reply(self, conversation_id: str, text: str, counsellor: str) -> None:
        await self.append(
            conversation_id, [{"event": "bot", "text": text, "metadata": {"counsellor": counsellor}}], send=True
        )

    async def pause(self, conversation_id: str) -> None:
        await self.append(conversation_id, [{"event": "pause"}])

    async def resume(self, conversation_id: str) -> None:
        """Give the conversation back to the bot, which says so on the person's channel."""
        await self.append(conversation_id, [{"event": "resume"}])
        try:
            await _call(
                self._client,
                "POST",
                f"/conversations/{_quoted(conversation_id)}/execute",
                params={"output_channel": "latest"},
                json={"name": RESUMED_RESPONSE},
            )
        except ServiceError as error:
            if error.status != 500:  # 500: a model trained before the response existed
                raise
            log.warning("%s is not in the model: the console says it itself", RESUMED_RESPONSE)
            await self.append(conversation_id, [{"event": "bot", "text": RESUMED_TEXT}], send=True)

    async def aclose(self) -> None:
        await self._client.aclose()


def _quoted(conversation_id: str) -> str:
    return quote(conversation_id, safe="")
