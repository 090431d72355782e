"""The one client the actions use to reach the benefits backend.

Async (httpx.AsyncClient) with timeouts on every call and a bounded retry on
reads only: retrying a write could create a ticket twice. Errors are turned
into three exceptions the actions know how to say in French.

A hung backend is given up within ``ALLOCBOT_BACKEND_TIMEOUT_SECONDS`` (3 s) for a
whole call, retries included: a read that timed out is not tried again (a backend
that hangs would hang again, and the person was waiting 20 s before being told);
only a refused connection or a 5xx is retried, within what is left of the deadline
(another replica behind the load balancer may answer).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import httpx

from bot.common.config import load_settings

log = logging.getLogger(__name__)

READ_RETRIES = 2
RETRY_BACKOFF_SECONDS = 0.2


class BackendUnavailable(Exception):
    """The backend did not answer in time, or failed: offer a human."""


class BackendRefused(Exception):
    """The backend answered with a 4xx: ``code`` says why, ``message`` is French."""

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


class BackendClient:
    """``transport``: how requests reach the backend; httpx's network transport by default, the backend
    application itself in process for the fast tests (``httpx.ASGITransport``, tests/unit/)."""

    def __init__(
        self,
        base_url: str,
        service_token: str,
        timeout_seconds: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self._base_url = base_url.rstrip("/")
        self._service_token = service_token
        self._timeout = httpx.Timeout(timeout_seconds, connect=min(1.0, timeout_seconds))
        self._deadline = timeout_seconds  # for the whole call, retries included
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _http(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = httpx.AsyncClient(
                base_url=self._base_url,
                timeout=self._timeout,
                headers={"X-Service-Token": self._service_token},
                limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
                transport=self._transport,
            )
            self._loop = loop
        return self._client

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        conversation_id: str | None = None,
        json: Any = None,
        params: dict | None = None,
    ) -> dict:
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if conversation_id:
            headers["X-Conversation-Id"] = conversation_id
        attempts = 1 + (READ_RETRIES if method == "GET" else 0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._deadline
        for attempt in range(attempts):
            left = deadline - loop.time()
            if left <= 0:
                raise BackendUnavailable("deadline exceeded")
            try:
                response = await asyncio.wait_for(
                    self._http().request(method, path, headers=headers, json=json, params=params), left
                )
            except (httpx.HTTPError, asyncio.TimeoutError) as error:
                log.warning("backend %s %s failed (%s), attempt %d", method, path, type(error).__name__, attempt + 1)
                hung = isinstance(error, (httpx.TimeoutException, asyncio.TimeoutError))
                if attempt + 1 < attempts and not hung:
                    await asyncio.sleep(RETRY_BACKOFF_SECONDS * (attempt + 1))
                    continue
                raise BackendUnavailable(str(error)) from error
            if response.status_code >= 500:
                log.warning("backend %s %s answered %d", method, path, response.status_code)
                if attempt + 1 < attempts:
                    await asyncio.sleep(RETRY_BACKOFF_SECONDS * (attempt + 1))
                    continue
                raise BackendUnavailable(f"HTTP {response.status_code}")
            if response.status_code >= 400:
                try:
                    body = response.json()
                except ValueError:
                    body = {}
                retry_after = response.headers.get("Retry-After")
                raise BackendRefused(
                    response.status_code,
                    body.get("code", "error"),
                    body.get("message", ""),
                    int(retry_after) if retry_after else None,
                )
            return response.json()
        raise BackendUnavailable("no attempt made")  # pragma: no cover - loop always returns or raises

    # --- the calls, named after what they ask -------------------------------------------------

    async def identify(
        self,
        conversation_id: str,
        channel: str,
        birth_date: str,
        identifier: str | None = None,
        phone: str | None = None,
        source: str | None = None,
    ) -> dict:
        body = {
            "conversation_id": conversation_id,
            "channel": channel,
            "birth_date": birth_date,
            "identifier": identifier,
            "phone": phone,
            "source": source,  # the channel's keyed hash of the origin: the backend throttles sprays by it
        }
        return await self.request("POST", "/v1/identification", json=body)

    async def identify_with_site_token(self, conversation_id: str, channel: str, site_token: str) -> dict:
        body = {"conversation_id": conversation_id, "channel": channel, "site_token": site_token}
        return await self.request("POST", "/v1/identification/site-token", json=body)

    async def phone_is_linked(self, phone: str) -> bool:
        return bool((await self.request("POST", "/v1/identification/phone-link", json={"phone": phone}))["linked"])

    async def create_ticket(self, ticket: dict) -> dict:
        """Not retried here (a write): ``actions.handoff`` keeps the ticket and retries it itself."""
        return await self.request("POST", "/v1/handoff-tickets", json=ticket)

    async def erase_conversation(self, conversation_id: str) -> dict:
        """The person asked for erasure: the backend deletes the conversation's tickets (a write: not retried)."""
        return await self.request("DELETE", f"/v1/conversations/{quote(conversation_id, safe='')}")

    async def declaration_calendar(self) -> dict:
        """Declaration windows: the same for everyone, no identification needed."""
        return await self.request("GET", "/v1/calendar/declaration-window")

    async def rule_parameters(self) -> dict:
        """The ARE rule parameters in force today (knowledge base answers): the same for everyone."""
        return await self.request("GET", "/v1/rules/parameters")

    async def allowance(self, person: int, token: str, conversation_id: str, month: str | None = None) -> dict:
        params = {"month": month} if month else None
        return await self.request(
            "GET", f"/v1/job-seekers/{person}/allowance", token=token, conversation_id=conversation_id, params=params
        )

    async def personal(
        self, person: int, token: str, conversation_id: str, resource: str, params: dict | None = None
    ) -> dict:
        """GET a personal resource: ``rights``, ``payments/next``, ``declarations/current``..."""
        return await self.request(
            "GET", f"/v1/job-seekers/{person}/{resource}", token=token, conversation_id=conversation_id, params=params
        )

    async def simulate_earnings(
        self, person: int, token: str, conversation_id: str, month: str, gross_earnings: str
    ) -> dict:
        return await self.request(
            "POST",
            f"/v1/job-seekers/{person}/simulations/earnings",
            token=token,
            conversation_id=conversation_id,
            json={"month": month, "gross_earnings": gross_earnings},
        )


_client: BackendClient | None = None


def backend() -> BackendClient:
    """The process-wide client (created on first use, from the environment, unless ``use_backend`` gave one)."""
    global _client
    if _client is None:
        settings = load_settings()
        _client = BackendClient(settings.backend_url, settings.backend_service_token, settings.backend_timeout_seconds)
    return _client


def use_backend(client: BackendClient | None) -> None:
    """Make ``backend()`` return ``client`` (None: the environment's again, created on next use)."""
    global _client
    _client = client
