"""The running processes as the operating system sees them: no token on a command line, telemetry off.

Against the session's real servers (started by ``bot.cli.processes``): every
local user can read ``/proc/<pid>/cmdline`` (what ``ps`` shows), so the Rasa
API token must not be there, and the API must still refuse a call without it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from bot import rasa_runtime
from bot.common.config import PROJECT_ROOT
from tests.servers import RASA_TOKEN, Stack


def proc(pid: int, name: str) -> list[str]:
    return [part.decode() for part in Path(f"/proc/{pid}/{name}").read_bytes().split(b"\0") if part]


def service(stack: Stack, name: str):
    return next(s for s in stack.services if s.name == name)


def test_the_rasa_api_token_is_not_on_any_command_line(dialogue: Stack) -> None:
    for running in dialogue.services:
        assert not any(RASA_TOKEN in part for part in proc(running.pid, "cmdline")), running.name
    rasa = proc(service(dialogue, "rasa").pid, "cmdline")
    assert rasa[1:4] == ["-m", "bot.rasa_runtime", "run"] and "--enable-api" in rasa
    assert "--auth-token" not in rasa


def test_the_api_still_refuses_calls_without_the_token(dialogue: Stack) -> None:
    tracker = f"{dialogue.rasa_url}/conversations/runtime-check/tracker"
    assert httpx.get(f"{dialogue.rasa_url}/status", timeout=10).status_code == 401
    assert httpx.get(tracker, timeout=10).status_code == 401
    assert httpx.get(tracker, params={"token": "wrong-token"}, timeout=10).status_code == 401
    assert httpx.get(f"{dialogue.rasa_url}/status", params={"token": RASA_TOKEN}, timeout=10).status_code == 200


def test_every_process_started_has_rasa_telemetry_off(dialogue: Stack) -> None:
    for running in dialogue.services:
        environment = dict(line.split("=", 1) for line in proc(running.pid, "environ") if "=" in line)
        assert environment.get("RASA_TELEMETRY_ENABLED") == "false", running.name


@pytest.mark.parametrize("caller_says", ["true", None])
def test_rasa_reports_telemetry_disabled_through_the_runtime(caller_says: str | None) -> None:
    """``rasa telemetry`` prints the status Rasa would act on, whatever the caller's environment says
    (and whatever the machine's ~/.config/rasa/global.yml says)."""
    import os

    env = {key: value for key, value in os.environ.items() if key != "RASA_TELEMETRY_ENABLED"}
    if caller_says:
        env["RASA_TELEMETRY_ENABLED"] = caller_says
    done = subprocess.run(
        rasa_runtime.command("telemetry"), cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Telemetry reporting is currently disabled" in done.stdout
    assert "currently enabled" not in done.stdout
