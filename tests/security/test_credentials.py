"""Every server refuses calls without its credential; secrets live only in the environment.

The backend's own credential tests are in tests/backend/test_api.py (service
token on every /v1 route, access tokens bound to person and conversation); here:
Rasa's HTTP API, the action server, the security headers of every web process,
and the repository itself.
"""

from __future__ import annotations

import subprocess
import uuid

import httpx
import pytest

from bot.config import PROJECT_ROOT
from tests.servers import RASA_TOKEN, SERVICE_TOKEN


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/status"),
        ("GET", "/conversations/quelquun/tracker"),
        ("POST", "/conversations/quelquun/messages"),
        ("POST", "/model/parse"),
        ("GET", "/domain"),
    ],
)
def test_rasa_api_refuses_calls_without_the_token(dialogue, method: str, path: str) -> None:
    body = {"text": "bonjour", "sender": "user"} if method == "POST" else None
    missing = httpx.request(method, dialogue.rasa_url + path, json=body, timeout=10)
    wrong = httpx.request(method, dialogue.rasa_url + path, json=body, params={"token": "pas-le-bon"}, timeout=10)
    assert missing.status_code in (401, 403)
    assert wrong.status_code in (401, 403)


def test_rasa_api_answers_with_the_token(dialogue) -> None:
    assert httpx.get(f"{dialogue.rasa_url}/status", params={"token": RASA_TOKEN}, timeout=10).status_code == 200


def action_call(sender: str) -> dict:
    """What Rasa posts to the action server, with a forged slot a caller would like to use."""
    return {
        "next_action": "action_answer_payment_date",
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {"identified": True, "job_seeker_id": "1", "access_token": "forgé"},
            "latest_message": {"text": "quand serai-je payé", "intent": {}},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
        },
    }


def test_action_server_refuses_calls_without_its_token(dialogue) -> None:
    base = f"http://127.0.0.1:{dialogue.actions_port}"
    for params in ({}, {"token": "pas-le-bon"}, {"token": ""}):
        refused = httpx.post(f"{base}/webhook", json=action_call("forge"), params=params, timeout=10)
        assert refused.status_code == 401, refused.text
        assert "forgé" not in refused.text
        assert httpx.get(f"{base}/actions", params=params, timeout=10).status_code == 401
    token = dialogue.env["ALLOCBOT_ACTIONS_TOKEN"]
    assert httpx.get(f"{base}/actions", params={"token": token}, timeout=10).status_code == 200
    assert httpx.get(f"{base}/health", timeout=10).status_code == 200


def test_action_server_does_not_echo_a_broken_call(dialogue) -> None:
    base = f"http://127.0.0.1:{dialogue.actions_port}"
    token = dialogue.env["ALLOCBOT_ACTIONS_TOKEN"]
    broken = httpx.post(
        f"{base}/webhook",
        params={"token": token},
        content=b"{pas du json 1234567A",
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert broken.status_code == 400
    assert "1234567A" not in broken.text


def test_action_server_listens_on_localhost_only(dialogue) -> None:
    listening = open("/proc/net/tcp").read().splitlines()[1:]
    port = f"{dialogue.actions_port:04X}"
    addresses = {
        line.split()[1].split(":")[0]
        for line in listening
        if line.split()[1].endswith(":" + port) and line.split()[3] == "0A"
    }
    assert addresses == {"0100007F"}  # 127.0.0.1, not 0.0.0.0


SECURITY_HEADERS = ("x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy")


def test_backend_answers_carry_security_headers(stack) -> None:
    for path, headers in (
        ("/health", {}),
        ("/v1/handoff-tickets", {"X-Service-Token": SERVICE_TOKEN}),
        ("/v1/handoff-tickets", {}),
        ("/nulle-part", {}),
    ):
        response = httpx.get(stack.backend_url + path, headers=headers, timeout=10)
        missing = [name for name in SECURITY_HEADERS if name not in response.headers]
        assert missing == [], f"{path}: {missing}"


@pytest.mark.parametrize("process", ["site", "console"])
def test_web_pages_carry_security_headers(stack, process: str) -> None:
    if process == "site" and stack.site_port is None:
        stack.start_site()
    if process == "console" and stack.console_port is None:
        stack.start_console()
    base = stack.site_url if process == "site" else stack.console_url
    for path in ("/", "/health", f"/nulle-part-{uuid.uuid4().hex[:6]}"):
        response = httpx.get(base + path, timeout=10, follow_redirects=False)
        missing = [name for name in SECURITY_HEADERS if name not in response.headers]
        assert missing == [], f"{process}{path} ({response.status_code}): {missing}"


def test_no_secret_is_committed() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert ".env" not in tracked
    example = (PROJECT_ROOT / ".env.example").read_text()
    for name in (
        "ALLOCBOT_ACTIONS_TOKEN",
        "ALLOCBOT_TRACKER_KEY",
        "ALLOCBOT_RASA_TOKEN",
        "ALLOCBOT_BACKEND_SERVICE_TOKEN",
        "ALLOCBOT_ACCESS_TOKEN_SECRET",
    ):
        assert f"{name}=change-me" in example
    endpoints = (PROJECT_ROOT / "endpoints.yml").read_text()
    assert "token: ${ALLOCBOT_ACTIONS_TOKEN}" in endpoints
