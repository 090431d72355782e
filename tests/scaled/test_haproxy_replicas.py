"""deploy/haproxy/allocbot.cfg with one or two replicas: the same file, the second server only when its address is set.

The benchmark (``bot.cli.bench --scaled``) runs the topology with one replica of each service
and with two; HAProxy is started for real here and its stats page read back.
"""

from __future__ import annotations

import os
import subprocess
import time

import httpx
import pytest

from bot.cli.scaled import HAPROXY_CONFIG, Ports


def _haproxy_servers(replicas: int) -> dict[str, list[str]]:
    ports = Ports.for_replicas(replicas)
    env = {
        **os.environ,
        "ALLOCBOT_LB_RASA_PORT": str(ports.rasa),
        "ALLOCBOT_LB_ACTIONS_PORT": str(ports.actions),
        "ALLOCBOT_LB_BACKEND_PORT": str(ports.backend),
        "ALLOCBOT_LB_MONITOR_PORT": str(ports.monitor),
    }
    for name in ("RASA", "ACTIONS", "BACKEND"):
        env.pop(f"ALLOCBOT_{name}2_ADDR", None)
        for index, port in enumerate(getattr(ports, f"{name.lower()}_replicas")):
            env[f"ALLOCBOT_{name}{index + 1}_ADDR"] = f"127.0.0.1:{port}"
    process = subprocess.Popen(
        ["/usr/sbin/haproxy", "-f", str(HAPROXY_CONFIG), "-db"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                rows = httpx.get(f"http://127.0.0.1:{ports.monitor}/stats;csv", timeout=2).text.splitlines()
                break
            except httpx.HTTPError as error:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(
                        process.stdout.read().decode() if process.poll() is not None else "no stats"
                    ) from error
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(10)
    servers: dict[str, list[str]] = {}
    for row in rows[1:]:
        cells = row.split(",")
        if len(cells) > 1 and cells[1] not in ("FRONTEND", "BACKEND"):
            servers.setdefault(cells[0], []).append(cells[1])
    return servers


@pytest.mark.parametrize("replicas", [1, 2])
def test_each_backend_has_as_many_servers_as_replicas(replicas):
    servers = _haproxy_servers(replicas)
    for backend, prefix in (
        ("rasa_http", "rasa"),
        ("rasa_socketio", "rasa"),
        ("actions", "actions"),
        ("backend", "backend"),
    ):
        assert servers[backend] == [f"{prefix}{i + 1}" for i in range(replicas)]


def test_more_replicas_than_the_file_declares_are_refused():
    with pytest.raises(ValueError, match="deux"):
        Ports.for_replicas(3)
