"""The supervisor of make run and make run-scaled: a crashed process comes back, with backoff, alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.processes import Service, Supervisor

pytestmark = pytest.mark.unit


class FakeProcess:
    def __init__(self) -> None:
        self.returncode: int | None = None

    def poll(self) -> int | None:
        return self.returncode


class FakeService(Service):
    def __init__(self, name: str) -> None:
        super().__init__(name, ["true"], "http://127.0.0.1:1/health", Path(f"/tmp/{name}.log"))
        self.starts = 0
        self.process = FakeProcess()  # type: ignore[assignment]

    def start(self) -> None:  # no real process: the unit tests start none
        self.starts += 1
        self.process = FakeProcess()  # type: ignore[assignment]

    def crash(self) -> None:
        self.process.returncode = -9  # type: ignore[union-attr]


def test_a_crashed_process_is_restarted_with_growing_delays_and_the_others_are_left_alone() -> None:
    now = [0.0]
    said: list[str] = []
    actions, rasa = FakeService("actions"), FakeService("rasa")
    supervisor = Supervisor([actions, rasa], say=said.append, clock=lambda: now[0], stable_seconds=60)
    delays = []
    for _ in range(4):
        actions.crash()
        supervisor.poll()
        restart_at = supervisor.watches[id(actions)].restart_at
        assert restart_at is not None
        delays.append(restart_at - now[0])
        now[0] = restart_at
        supervisor.poll()
        now[0] += 1  # crashes again one second later
    assert delays == [1, 2, 4, 8]
    assert actions.starts == 4 and rasa.starts == 0  # Rasa kept serving
    assert "actions s'est arrêté (code -9) : redémarrage dans 1 s" in said[0]
    assert said[1] == "→ actions redémarré (1ᵉ fois)"


def test_the_delay_starts_again_once_the_process_has_run_long_enough() -> None:
    now = [0.0]
    actions = FakeService("actions")
    supervisor = Supervisor([actions], say=lambda _: None, clock=lambda: now[0], stable_seconds=60, max_delay=30)
    for _ in range(8):
        actions.crash()
        supervisor.poll()
        now[0] = supervisor.watches[id(actions)].restart_at or now[0]
        supervisor.poll()
    assert supervisor.delay(supervisor.watches[id(actions)].failures) == 30  # capped
    now[0] += 61
    supervisor.poll()  # ran a minute: forgiven
    actions.crash()
    supervisor.poll()
    assert supervisor.watches[id(actions)].restart_at == now[0] + 1
