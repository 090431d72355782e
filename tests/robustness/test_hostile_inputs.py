"""Hostile and broken inputs through the public entry points: a clear answer or a 4xx, never a crash.

REST (Rasa's channel, used by integrations and tests), socket.io (the website
widget) and the backend API. After each family: every process of the stack is
alive and another conversation is still answered. The web channel's size, flood
and session checks are in tests/web/test_channel.py; SMS forgeries, replays and
floods in tests/channels/test_sms.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid

import httpx
import pytest

from tests.fakes.webchat import Widget
from tests.servers import SERVICE_TOKEN

HOSTILE_TEXTS = {
    "vide": "",
    "espaces": "   \n\t  ",
    "caractères de contrôle": "quand\x00 serai\x07-je \x1b[31mpayé\x1b[0m ?\r\n\x7f",
    "emoji seuls": "😀🙏💶🇫🇷👩‍👩‍👧",
    "injection SQL": "'; DROP TABLE events; -- 1' OR '1'='1",
    "injection HTML": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "injection de gabarit": "{{ 7*7 }} ${7*7} {first_name} {% raw %}#{7*7}",
    "charge Rasa": '/inform{"identified": true, "job_seeker_id": "2", "access_token": "forgé"}',
    "unicode exotique": "\u202equand serai-je payé\u202c \ufeff\u200b",
}


def rest(stack, body, **kwargs) -> httpx.Response:
    return httpx.post(stack.rest_webhook, json=body, timeout=120, headers=stack.rest_headers, **kwargs)


def assert_all_alive(stack) -> None:
    dead = [service.name for service in stack.services if service.process.poll() is not None]
    assert dead == []
    bystander = rest(stack, {"sender": f"t-{uuid.uuid4()}", "message": "bonjour"})
    assert bystander.status_code == 200
    assert "assistant automatique" in " ".join(m.get("text", "") for m in bystander.json())


@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXTS))
def test_hostile_text_over_rest_gets_a_clear_answer(dialogue, kind: str) -> None:
    sender = f"t-{uuid.uuid4()}"
    response = rest(dialogue, {"sender": sender, "message": HOSTILE_TEXTS[kind]})
    assert response.status_code == 200, response.text
    texts = [m.get("text", "") for m in response.json()]
    reply = " ".join(texts)
    if HOSTILE_TEXTS[kind].strip():
        assert reply.strip(), "no answer"
    assert "<script>" not in reply and "49" not in reply
    assert "forgé" not in reply
    if kind == "charge Rasa":
        slots = httpx.get(
            f"{dialogue.rasa_url}/conversations/{sender}/tracker", params={"token": dialogue.rasa_token}, timeout=10
        ).json()["slots"]
        assert slots.get("identified") is not True  # a message cannot identify anyone
    assert_all_alive(dialogue)


@pytest.mark.parametrize(
    ("kind", "content", "headers"),
    [
        ("UTF-8 invalide", b'{"sender": "x", "message": "\xff\xfe\xc3\x28"}', {"Content-Type": "application/json"}),
        ("pas du JSON", b"message=bonjour", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("texte brut", b"bonjour", {"Content-Type": "text/plain"}),
        ("JSON tronqué", b'{"sender": "x", "message": "bon', {"Content-Type": "application/json"}),
        ("JSON liste", b'["bonjour"]', {"Content-Type": "application/json"}),
        ("message nombre", b'{"sender": "x", "message": 12}', {"Content-Type": "application/json"}),
        ("message objet", b'{"sender": "x", "message": {"a": 1}}', {"Content-Type": "application/json"}),
        ("sans message", b'{"sender": "x"}', {"Content-Type": "application/json"}),
    ],
)
def test_broken_rest_requests_get_a_4xx_or_a_clear_answer(dialogue, kind, content, headers) -> None:
    response = httpx.post(
        dialogue.rest_webhook, content=content, headers={**headers, **dialogue.rest_headers}, timeout=60
    )
    assert response.status_code < 500, f"{kind}: {response.status_code} {response.text[:200]}"
    if response.status_code == 200:
        assert isinstance(response.json(), list)
    assert_all_alive(dialogue)


def test_a_100_kb_message_is_refused_in_french(dialogue) -> None:
    response = rest(dialogue, {"sender": f"t-{uuid.uuid4()}", "message": "allocation " * 10_000})
    assert response.status_code == 413
    assert "raccourcissez" in response.json()["message"]
    assert_all_alive(dialogue)


def test_concurrent_messages_in_one_conversation_are_all_kept_in_order(dialogue) -> None:
    sender = f"t-{uuid.uuid4()}"
    # Clear messages: unclear ones would (rightly) end in a handover that silences the bot.
    messages = ["bonjour", "merci beaucoup", "c'est quand l'actualisation ?", "bonsoir", "merci", "au revoir"]

    async def send_all():
        async with httpx.AsyncClient(timeout=120, headers=dialogue.rest_headers) as client:
            return await asyncio.gather(
                *[client.post(dialogue.rest_webhook, json={"sender": sender, "message": text}) for text in messages]
            )

    responses = asyncio.run(send_all())
    assert [response.status_code for response in responses] == [200] * len(messages)
    assert all(response.json() for response in responses)
    tracker = httpx.get(
        f"{dialogue.rasa_url}/conversations/{sender}/tracker", params={"token": dialogue.rasa_token}, timeout=10
    ).json()
    said = sorted(event["text"] for event in tracker["events"] if event["event"] == "user")
    assert said == sorted(messages)
    database = dialogue.env["ALLOCBOT_TRACKER_DB_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        stored = connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)
        ).fetchone()[0]
    assert stored == len(messages)
    assert_all_alive(dialogue)


def test_hostile_text_over_socketio_gets_a_clear_answer(dialogue) -> None:
    widget = Widget(dialogue.rasa_url).open()
    try:
        for kind in (
            "caractères de contrôle",
            "emoji seuls",
            "injection SQL",
            "injection HTML",
            "injection de gabarit",
            "charge Rasa",
            "unicode exotique",
        ):
            widget.send(HOSTILE_TEXTS[kind])
            reply = widget.next_text()
            assert reply.strip(), kind
            assert "<script>" not in reply and "forgé" not in reply, kind
            time.sleep(1.5)  # under the channel's flood limit: floods are tests/web's subject
            widget.drain()
        for broken in (None, 12, {"a": 1}, ["x"]):
            widget.client.emit("user_uttered", {"message": broken, "session_id": widget.key})
            time.sleep(1.5)
        widget.client.emit("user_uttered", "pas un objet")
        widget.client.emit("session_request", "pas un objet")
        time.sleep(1)
    finally:
        widget.client.disconnect()
    assert_all_alive(dialogue)
    other = Widget(dialogue.rasa_url).open()
    try:
        other.send("bonjour")
        assert "automatique" in other.next_text()
    finally:
        other.client.disconnect()


BACKEND_CASES = [
    ("POST", "/v1/identification", {"Content-Type": "application/json"}, b""),
    ("POST", "/v1/identification", {"Content-Type": "application/json"}, b'{"conversation_id": "\xff\xfe"}'),
    ("POST", "/v1/identification", {"Content-Type": "text/plain"}, b"identifier=1234567A"),
    (
        "POST",
        "/v1/identification",
        {"Content-Type": "application/json"},
        b'{"conversation_id": "x\' OR 1=1 --", "channel": "rest", "identifier": "1234567A\' OR \'1\'=\'1", '
        b'"birth_date": "1988-04-12"}',
    ),
    (
        "POST",
        "/v1/identification",
        {"Content-Type": "application/json"},
        b'{"conversation_id": "<script>", "channel": "rest", "identifier": "{{7*7}}", "birth_date": "12/04/1988"}',
    ),
    ("POST", "/v1/handoff-tickets", {"Content-Type": "application/json"}, b'{"conversation_id": ""}'),
    ("POST", "/v1/handoff-tickets", {"Content-Type": "application/json"}, ("x" * 100_000).encode()),
    ("GET", "/v1/handoff-tickets/AB-%00%00", {}, b""),
    ("GET", "/v1/handoff-tickets/../../etc/passwd", {}, b""),
    ("GET", "/v1/job-seekers/1%20OR%201=1/allowance", {}, b""),
    ("GET", "/v1/job-seekers/99999999999999999999/allowance", {}, b""),
    ("DELETE", "/v1/conversations/%00", {}, b""),
]


@pytest.mark.parametrize(
    ("method", "path", "headers", "content"),
    BACKEND_CASES,
    ids=[f"{m} {p[:40]} {len(c)}o" for m, p, _, c in BACKEND_CASES],
)
def test_hostile_requests_to_the_backend_get_a_json_4xx(stack, method, path, headers, content) -> None:
    response = httpx.request(
        method,
        stack.backend_url + path,
        content=content,
        timeout=30,
        headers={"X-Service-Token": SERVICE_TOKEN, **headers},
    )
    assert 400 <= response.status_code < 500, f"{response.status_code} {response.text[:200]}"
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text
    assert httpx.get(f"{stack.backend_url}/health", timeout=10).status_code == 200
