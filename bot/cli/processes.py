"""Start allocbot's processes, wait until they answer, and stop them cleanly.

Used by the run command and by the tests, so that both start the same real
servers the same way. Each process gets its own process group, so that Ctrl-C
or a failed test stops it and all its children.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot import rasa_runtime
from bot.cli.training import MODEL_PATH
from bot.common.config import PROJECT_ROOT
from bot.privacy.files import PRIVATE_UMASK, open_private_log


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    ready: Callable[[], bool] | None = None  # instead of the health URL (PostgreSQL, Redis: no HTTP)
    stop_signal: int = signal.SIGTERM  # PostgreSQL: SIGINT (fast shutdown; SIGTERM waits for every client)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open_private_log(self.log_path)  # closed with the process
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env=rasa_runtime.environment({**os.environ, **self.env}),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            umask=PRIVATE_UMASK,  # databases and logs the process creates: 0600 (bot/privacy/files.py)
        )

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError(f"{self.name} n'est pas démarré.")
        return self.process.pid

    def exited(self) -> bool:
        """True once started and stopped (a service never started has not exited)."""
        return self.process is not None and self.process.poll() is not None

    def is_ready(self) -> bool:
        if self.ready is not None:
            return self.ready()
        try:
            return httpx.get(self.health_url, timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self, grace_seconds: float = 10) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, self.stop_signal)
            self.process.wait(grace_seconds)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


def python_bin() -> str:
    return sys.executable


def web_service(
    name: str, factory: str, port: int, env: Mapping[str, str], log_dir: Path, health_path: str = "/health"
) -> Service:
    """A FastAPI app of ours (counsellor console, demo personal space) under uvicorn."""
    return Service(
        name,
        [
            python_bin(),
            "-m",
            "uvicorn",
            factory,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            # Our apps read X-Forwarded-For themselves, only from ALLOCBOT_TRUSTED_PROXIES (bot/common/web.py);
            # uvicorn would believe it from any local client.
            "--no-proxy-headers",
            "--timeout-keep-alive",
            "30",
            "--ws",
            "none",
        ],  # Rasa pins an old websockets; our web apps need none
        f"http://127.0.0.1:{port}{health_path}",
        log_dir / f"{name}.log",
        env,
    )


def backend_service(port: int, env: Mapping[str, str], log_dir: Path) -> Service:
    return web_service("backend", "bot.backend.api.app:create_app", port, env, log_dir)


def action_service(port: int, env: Mapping[str, str], log_dir: Path) -> Service:
    return Service(
        "actions",
        # rasa_sdk's server behind a token check (bot/actions_server.py), on 127.0.0.1 only.
        [python_bin(), "-m", "bot.actions_server", "--actions", "actions", "--port", str(port)],
        f"http://127.0.0.1:{port}/health",
        log_dir / "actions.log",
        env,
    )


def console_service(port: int, env: Mapping[str, str], log_dir: Path) -> Service:
    return web_service("console", "bot.console.app:create_app", port, env, log_dir)


def site_service(port: int, env: Mapping[str, str], log_dir: Path) -> Service:
    return web_service("site", "bot.site.app:create_app", port, env, log_dir)


def rasa_server_command(
    port: int, model: Path | str, credentials: str, endpoints: str, *options: str, stock: bool = False
) -> list[str]:
    """``rasa run`` with its HTTP API on 127.0.0.1, through the runtime module (the token comes from the
    environment: ``rasa_runtime.TOKEN_VARIABLE``)."""
    return rasa_runtime.command(
        "run",
        "--enable-api",
        "--port",
        str(port),
        "--interface",
        "127.0.0.1",
        "--model",
        str(model),
        "--credentials",
        credentials,
        "--endpoints",
        endpoints,
        *options,
        stock=stock,
    )


def rasa_service(
    port: int,
    token: str,
    env: Mapping[str, str],
    log_dir: Path,
    model: Path = MODEL_PATH,
    credentials: str = "credentials.yml",
    endpoints: str = "endpoints.yml",
) -> Service:
    """allocbot's Rasa, through the runtime module (patched, telemetry off); the API token goes by
    ``ALLOCBOT_RASA_TOKEN`` in its environment, never on its command line (visible in ``ps``)."""
    return Service(
        "rasa",
        rasa_server_command(port, model, credentials, endpoints, "--cors", "*"),
        f"http://127.0.0.1:{port}/status?token={token}",
        log_dir / "rasa.log",
        {**env, rasa_runtime.TOKEN_VARIABLE: token},
    )


def start_all(
    services: list[Service], timeout_seconds: float = 240, on_start: Callable[[Service], None] | None = None
) -> float:
    """Start every service and wait until all answer; returns the seconds it took.

    ``on_start`` is called with each service as soon as its process exists (the
    benchmark samples its memory from then on, model loading included)."""
    started = time.monotonic()
    for service in services:
        service.start()
        if on_start:
            on_start(service)
    pending = list(services)
    while pending:
        for service in list(pending):
            if service.exited():
                stop_all(services)
                raise RuntimeError(f"{service.name} s'est arrêté au démarrage : voir {service.log_path}")
            if service.is_ready():
                pending.remove(service)
        if time.monotonic() - started > timeout_seconds:
            stop_all(services)
            names = ", ".join(s.name for s in pending)
            raise RuntimeError(f"{names} ne répond pas après {timeout_seconds:.0f} s")
        if pending:
            time.sleep(0.5)
    return time.monotonic() - started


def stop_all(services: list[Service]) -> None:
    for service in reversed(services):
        service.stop()


@dataclass
class _Watch:
    failures: int = 0  # crashes in a row (reset once the process has run STABLE_SECONDS)
    restart_at: float | None = None
    started_at: float = field(default_factory=time.monotonic)
    restarts: int = 0


class Supervisor:
    """Restarts a process that exited, with backoff, while the others keep serving.

    One crash used to stop every process (« actions s'est arrêté… → arrêté »). Now
    a process that exits is started again after 1 s, then 2, 4… up to
    ``max_delay`` seconds if it keeps crashing; once it has run ``stable_seconds``
    the delay starts again from 1 s. Each crash and restart is said on ``say``.
    """

    def __init__(
        self,
        services: list[Service],
        say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
        first_delay: float = 1.0,
        max_delay: float = 30.0,
        stable_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.services = services
        self.say = say
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.stable_seconds = stable_seconds
        self.clock = clock
        self.watches = {id(service): _Watch(started_at=clock()) for service in services}

    def delay(self, failures: int) -> float:
        return min(self.max_delay, self.first_delay * 2 ** max(0, failures - 1))

    def restarts(self, service: Service) -> int:
        return self.watches[id(service)].restarts

    def poll(self) -> None:
        """Look at every process once: schedule the restart of one that exited, restart one whose delay is over."""
        now = self.clock()
        for service in self.services:
            watch = self.watches[id(service)]
            if watch.restart_at is None:
                if not service.exited():
                    if watch.failures and now - watch.started_at >= self.stable_seconds:
                        watch.failures = 0
                    continue
                code = service.process.returncode if service.process else None
                watch.failures += 1
                delay = self.delay(watch.failures)
                watch.restart_at = now + delay
                self.say(
                    f"✗ {service.name} s'est arrêté (code {code}) : redémarrage dans {delay:.0f} s "
                    f"(voir {service.log_path})"
                )
            elif now >= watch.restart_at:
                watch.restart_at = None
                watch.started_at = now
                watch.restarts += 1
                service.start()
                self.say(f"→ {service.name} redémarré ({watch.restarts}ᵉ fois)")

    def run_forever(self, every_seconds: float = 0.5) -> None:
        while True:
            self.poll()
            time.sleep(every_seconds)
