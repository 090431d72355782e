"""Rasa's calls to the action server: connections kept alive, Rasa's answers unchanged, a deadline.

A small aiohttp server stands for the action server's HTTP side: it records the client port of each
request (one port per TCP connection), answers 200, 400 or not at all. The whole path through the real
action server is run by every conversation test (tests/conversations, tests/integration).
"""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot import rasa_runtime
from bot.scale.action_calls import DEFAULT_TIMEOUT_SECONDS, KEEPALIVE_SECONDS, ActionCalls, timeout_seconds

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module", autouse=True)
def patched() -> None:
    rasa_runtime.install_patches()


@pytest.fixture
async def server():
    ports: list[int] = []
    bodies: list[dict] = []

    async def webhook(request: web.Request) -> web.Response:
        ports.append(request.transport.get_extra_info("peername")[1])
        body = await request.json()
        bodies.append({"body": body, "token": request.query.get("token")})
        if body.get("next_action") == "reject":
            return web.json_response({"action_name": "reject", "error": "non"}, status=400)
        if body.get("next_action") == "hang":
            await asyncio.sleep(2)  # longer than the deadline below; ends before the server is cleaned up
        return web.json_response({"events": [], "responses": [{"text": body["next_action"]}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/webhook", ports, bodies
    await runner.cleanup()


async def test_the_calls_of_a_conversation_share_one_connection_where_rasa_opened_one_each(server) -> None:
    url, ports, bodies = server
    endpoint = EndpointConfig(url, token="secret")
    unpatched = rasa_runtime.unpatched(EndpointConfig.request)
    for _ in range(3):
        await unpatched(endpoint, json={"next_action": "a"}, method="post", timeout=300)
    assert len(set(ports)) == 3  # Rasa's own: a new connection for each call
    ports.clear()
    answers = [await endpoint.request(json={"next_action": f"a{i}"}, method="post", timeout=300) for i in range(3)]
    assert len(set(ports)) == 1
    assert [answer["responses"][0]["text"] for answer in answers] == ["a0", "a1", "a2"]
    assert {entry["token"] for entry in bodies} == {"secret"}  # the token still goes as ?token=


async def test_a_rejection_from_the_action_server_reaches_rasa_as_before(server) -> None:
    url, _, _ = server
    with pytest.raises(ClientResponseError) as raised:
        await EndpointConfig(url).request(json={"next_action": "reject"}, method="post")
    assert raised.value.status == 400
    assert json.loads(raised.value.text)["error"] == "non"  # what RemoteAction reads to reject a form's slot


async def test_a_hung_action_server_is_given_up_within_the_deadline(server) -> None:
    url, _, _ = server
    calls = ActionCalls(deadline_seconds=0.5)
    started = time.monotonic()
    with pytest.raises(aiohttp.ClientConnectionError):  # what RemoteAction turns into the French answer
        await calls.request(EndpointConfig(url), json={"next_action": "hang"}, method="post", timeout=300)
    assert time.monotonic() - started < 5
    await calls.close()


def test_idle_connections_are_dropped_before_the_servers_drop_them() -> None:
    from sanic.config import DEFAULT_CONFIG

    assert KEEPALIVE_SECONDS < DEFAULT_CONFIG["KEEP_ALIVE_TIMEOUT"]  # the action server (Sanic)
    assert KEEPALIVE_SECONDS < 10  # HAProxy: timeout http-request, deploy/haproxy/allocbot.cfg


def test_rasa_s_shorter_timeout_wins_and_five_minutes_do_not() -> None:
    calls = ActionCalls(deadline_seconds=20)
    assert calls.timeout(300).total == 20
    assert calls.timeout(5).total == 5
    assert calls.timeout(None).total == 20


def test_the_deadline_comes_from_the_environment_and_nonsense_is_refused() -> None:
    assert timeout_seconds({}) == DEFAULT_TIMEOUT_SECONDS
    assert timeout_seconds({"ALLOCBOT_ACTION_TIMEOUT_SECONDS": "7.5"}) == 7.5
    for wrong in ("vingt", "0", "-3"):
        with pytest.raises(ValueError, match="ALLOCBOT_ACTION_TIMEOUT_SECONDS"):
            timeout_seconds({"ALLOCBOT_ACTION_TIMEOUT_SECONDS": wrong})


async def test_a_hung_action_server_gets_the_french_answer_through_rasa(server, monkeypatch) -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.common.config import PROJECT_ROOT

    url, _, _ = server
    monkeypatch.setattr(EndpointConfig.request._allocbot_calls, "deadline_seconds", 0.5)  # type: ignore[attr-defined]
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    action = RemoteAction("hang", EndpointConfig(url))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    tracker = DialogueStateTracker("hung-test", domain.slots)
    events = await RemoteAction.run(action, CollectingOutputChannel(), nlg, tracker, domain)
    expected = [domain.responses[name][0]["text"] for name in rasa_runtime.SAY_INSTEAD]
    assert [event.text for event in events] == expected
