"""A hung backend is given up within the client's deadline, retries included (it was 20.7 s)."""

from __future__ import annotations

import asyncio
import time

import pytest

from actions.backend_client import BackendClient, BackendUnavailable

pytestmark = pytest.mark.unit


async def test_a_backend_that_accepts_and_never_answers_is_given_up_within_the_deadline() -> None:
    connections = 0

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await asyncio.sleep(30)  # reads the request, never answers

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = BackendClient(f"http://127.0.0.1:{port}", "token", timeout_seconds=1.0)
    started = time.monotonic()
    with pytest.raises(BackendUnavailable):
        await client.declaration_calendar()  # a read: retried on a refused connection, not on a hang
    elapsed = time.monotonic() - started
    server.close()
    assert elapsed < 1.8, elapsed
    assert connections == 1  # a hang is not tried again


async def test_a_refused_connection_is_retried_within_the_deadline() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()  # nothing listens there any more: connection refused
    client = BackendClient(f"http://127.0.0.1:{port}", "token", timeout_seconds=2.0)
    started = time.monotonic()
    with pytest.raises(BackendUnavailable):
        await client.declaration_calendar()
    assert time.monotonic() - started < 2.5
