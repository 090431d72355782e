"""The scaled topology on one machine: PostgreSQL, Redis, HAProxy and two replicas of each service.

``make run-scaled`` (``main``) and the tests of tests/scaled/ (``ScaledTopology``)
start the same processes the same way; ``make run`` stays the embedded default
(SQLite, one process each). Every store is shared, so any replica may serve any
turn:

- PostgreSQL (Debian's package, a cluster of its own in ``ALLOCBOT_SCALED_DIR``):
  three databases, ``backend`` (the simulated France Travail, tickets),
  ``conversations`` (Rasa's tracker store) and ``channels`` (SMS/WhatsApp numbers,
  STOP list, webhook message ids already answered);
- Redis: Rasa's conversation lock (``bot.scale.lock_store``), the channels' rate
  limits (``bot.channels.shared_limits``), socket.io between replicas
  (``bot.scale.socket_manager``);
- HAProxy (``deploy/haproxy/allocbot.cfg``): Rasa, the action servers and the
  backends behind one address each, with health checks; socket.io sticky.

The site and the console run once (they talk to Rasa and the backend through
HAProxy). A process that exits is restarted with backoff (``Supervisor``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.cli import processes
from bot.cli.processes import Service
from bot.common.config import PROJECT_ROOT
from bot.privacy.files import PRIVATE_UMASK

HAPROXY_CONFIG = PROJECT_ROOT / "deploy" / "haproxy" / "allocbot.cfg"
DATABASES = ("backend", "conversations", "channels")
REPLICAS = 2
# Rasa's TICKET_LOCK_LIFETIME: must exceed the slowest turn (bot.scale.lock_store.check_lock_lifetime).
LOCK_LIFETIME_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_binaries() -> Path:
    for version in ("17", "16", "15", "14", "13"):
        candidate = Path(f"/usr/lib/postgresql/{version}/bin")
        if (candidate / "postgres").exists():
            return candidate
    raise RuntimeError("PostgreSQL est introuvable (apt-get install postgresql).")


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: the cluster then belongs to the package's ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _tcp_ready(port: int) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    return ready


def _postgres_ready(port: int) -> Callable[[], bool]:
    def ready() -> bool:
        import psycopg2

        try:
            psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", connect_timeout=2).close()
            return True
        except psycopg2.OperationalError:
            return False

    return ready


def _redis_ready(port: int) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    return ready


@dataclass
class Ports:
    """The addresses of the topology: HAProxy's frontends are the ones the world uses."""

    rasa: int = field(default_factory=free_port)  # HAProxy → the Rasa replicas
    actions: int = field(default_factory=free_port)
    backend: int = field(default_factory=free_port)
    monitor: int = field(default_factory=free_port)
    site: int = field(default_factory=free_port)
    console: int = field(default_factory=free_port)
    postgres: int = field(default_factory=free_port)
    redis: int = field(default_factory=free_port)
    rasa_replicas: list[int] = field(default_factory=lambda: [free_port() for _ in range(REPLICAS)])
    actions_replicas: list[int] = field(default_factory=lambda: [free_port() for _ in range(REPLICAS)])
    backend_replicas: list[int] = field(default_factory=lambda: [free_port() for _ in range(REPLICAS)])

    @classmethod
    def for_replicas(cls, replicas: int) -> Ports:
        """Free ports for ``replicas`` of each service (1 or 2: the HAProxy file declares two at most)."""
        if replicas not in (1, 2):
            raise ValueError(f"1 ou 2 répliques (deploy/haproxy/allocbot.cfg en déclare deux), pas {replicas}")
        return cls(
            rasa_replicas=[free_port() for _ in range(replicas)],
            actions_replicas=[free_port() for _ in range(replicas)],
            backend_replicas=[free_port() for _ in range(replicas)],
        )


class ScaledTopology:
    """Every process of the scaled topology; ``start`` brings them up, ``stop`` takes them down."""

    def __init__(self, workdir: Path, env: dict[str, str], ports: Ports | None = None, durable: bool = True):
        self.workdir = workdir
        self.ports = ports or Ports()
        self.durable = durable
        # The cluster belongs to the ``postgres`` user when we are root: its directory must be reachable by it
        # (a test's temporary directory is 0700): a durable one under the work directory (made 0711), else its own.
        self.pg_dir = workdir / "postgres" if durable else Path(tempfile.mkdtemp(prefix="allocbot-scaled-pg-"))
        self.log_dir = workdir / "log"
        p = self.ports
        self.postgres_url = f"postgresql+psycopg2://postgres@127.0.0.1:{p.postgres}"
        self.redis_url = f"redis://127.0.0.1:{p.redis}/0"
        self.env = {
            **env,
            "ALLOCBOT_DATABASE_URL": f"{self.postgres_url}/backend",
            "ALLOCBOT_TRACKER_DB_URL": f"{self.postgres_url}/conversations",
            "ALLOCBOT_CHANNELS_DATABASE_URL": f"{self.postgres_url}/channels",
            "ALLOCBOT_REDIS_URL": self.redis_url,
            "ALLOCBOT_BACKEND_URL": f"http://127.0.0.1:{p.backend}",
            "ALLOCBOT_RASA_URL": f"http://127.0.0.1:{p.rasa}",
            "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
            "ALLOCBOT_LB_RASA_PORT": str(p.rasa),
            "ALLOCBOT_LB_ACTIONS_PORT": str(p.actions),
            "ALLOCBOT_LB_BACKEND_PORT": str(p.backend),
            "ALLOCBOT_LB_MONITOR_PORT": str(p.monitor),
        }
        for index in range(len(p.rasa_replicas)):
            self.env[f"ALLOCBOT_RASA{index + 1}_ADDR"] = f"127.0.0.1:{p.rasa_replicas[index]}"
            self.env[f"ALLOCBOT_ACTIONS{index + 1}_ADDR"] = f"127.0.0.1:{p.actions_replicas[index]}"
            self.env[f"ALLOCBOT_BACKEND{index + 1}_ADDR"] = f"127.0.0.1:{p.backend_replicas[index]}"
        self.endpoints = workdir / "endpoints.yml"
        self.postgres = self._postgres_service()
        self.redis = self._redis_service()
        self.haproxy = Service(
            "haproxy",
            ["/usr/sbin/haproxy", "-f", str(HAPROXY_CONFIG), "-db"],
            f"http://127.0.0.1:{p.monitor}/haproxy-health",
            self.log_dir / "haproxy.log",
            self.env,
        )
        self.backends = [
            processes.web_service(f"backend{i + 1}", "bot.backend.api.app:create_app", port, self.env, self.log_dir)
            for i, port in enumerate(p.backend_replicas)
        ]
        self.actions = []
        for i, port in enumerate(p.actions_replicas):
            service = processes.action_service(port, self.env, self.log_dir)
            service.name, service.log_path = f"actions{i + 1}", self.log_dir / f"actions{i + 1}.log"
            self.actions.append(service)
        token = env["ALLOCBOT_RASA_TOKEN"]
        self.rasas = []
        for i, port in enumerate(p.rasa_replicas):
            service = processes.rasa_service(port, token, self.env, self.log_dir, endpoints=str(self.endpoints))
            service.name, service.log_path = f"rasa{i + 1}", self.log_dir / f"rasa{i + 1}.log"
            self.rasas.append(service)
        self.site = processes.site_service(p.site, self.env, self.log_dir)
        self.console = processes.console_service(p.console, self.env, self.log_dir)
        self.supervisor: processes.Supervisor | None = None

    # --- the parts ---------------------------------------------------------------------------

    def _postgres_service(self) -> Service:
        options = ["-c", "max_connections=300", "-c", "listen_addresses=127.0.0.1", "-k", str(self.pg_dir)]
        if not self.durable:  # tests: nothing to keep after the run
            options += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        return Service(
            "postgresql",
            _as_postgres(
                [str(postgres_binaries() / "postgres"), "-D", str(self.pg_dir / "data"), "-p", str(self.ports.postgres)]
                + options
            ),
            "",
            self.log_dir / "postgresql.log",
            ready=_postgres_ready(self.ports.postgres),
            stop_signal=signal.SIGINT,  # fast shutdown (SIGTERM waits for every client to leave)
        )

    def _redis_service(self) -> Service:
        redis_dir = self.workdir / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        # Locks, rate windows and socket.io messages only: short-lived by design, nothing to persist.
        command = ["/usr/bin/redis-server", "--port", str(self.ports.redis), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(redis_dir), "--protected-mode", "yes"]
        return Service("redis", command, "", self.log_dir / "redis.log", ready=_redis_ready(self.ports.redis))

    def _init_postgres(self) -> None:
        data = self.pg_dir / "data"
        if (data / "PG_VERSION").exists():
            return
        self.pg_dir.mkdir(parents=True, exist_ok=True)
        if self.durable:
            self.workdir.chmod(0o711)
        if os.geteuid() == 0:
            shutil.chown(self.pg_dir, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [str(postgres_binaries() / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
                + ["--encoding=UTF8", "--locale=C.UTF-8"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def _create_databases(self) -> None:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.ports.postgres, user="postgres", dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            for name in DATABASES:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()

    def _create_tables(self) -> None:
        """The conversations' and the channels' tables, before the replicas start: two processes creating a table
        at the same moment on PostgreSQL make one of them fail (each creates them on first use otherwise)."""
        import sqlalchemy as sa

        from bot.channels import state
        from bot.privacy import tracker_db

        for url, metadata in (
            (self.env["ALLOCBOT_TRACKER_DB_URL"], tracker_db.metadata),
            (self.env["ALLOCBOT_CHANNELS_DATABASE_URL"], state.metadata),
        ):
            engine = sa.create_engine(url)
            try:
                metadata.create_all(engine)
            finally:
                engine.dispose()

    def _write_endpoints(self) -> None:
        self.endpoints.write_text(
            "# Written by bot/cli/scaled.py: the actions behind HAProxy, the lock in Redis.\n"
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.ports.actions}/webhook"\n'
            "  token: ${ALLOCBOT_ACTIONS_TOKEN}\n"
            "tracker_store:\n  type: bot.privacy.tracker_store.RedactingTrackerStore\n"
            "lock_store:\n  type: bot.scale.lock_store.AtomicRedisLockStore\n"
        )

    @property
    def data_services(self) -> list[Service]:
        return [self.postgres, self.redis]

    @property
    def app_services(self) -> list[Service]:
        return [self.haproxy, *self.backends, *self.actions, *self.rasas, self.site, self.console]

    @property
    def services(self) -> list[Service]:
        return self.data_services + self.app_services

    # --- start and stop ------------------------------------------------------------------------

    def start(self, population: int = 0, seed_args: tuple[str, ...] = (), timeout_seconds: float = 420) -> float:
        """Start everything and wait until every process answers; returns the seconds it took."""
        started = time.monotonic()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._init_postgres()
        processes.start_all(self.data_services, timeout_seconds=60)
        self._create_databases()
        self._create_tables()
        self._write_endpoints()
        subprocess.run(
            [sys.executable, "-m", "bot.backend.seed", *(["--population", str(population)] if population else [])]
            + list(seed_args),
            cwd=PROJECT_ROOT,
            env={**os.environ, **self.env},
            check=True,
            capture_output=True,
            umask=PRIVATE_UMASK,
        )
        try:
            processes.start_all(self.app_services, timeout_seconds=timeout_seconds)
        except RuntimeError:
            processes.stop_all(self.data_services)
            raise
        self.supervisor = processes.Supervisor(self.services)
        return time.monotonic() - started

    def stop(self) -> None:
        processes.stop_all(self.services)
        if not self.durable:
            shutil.rmtree(self.pg_dir, ignore_errors=True)

    def haproxy_servers(self) -> dict[str, str]:
        """HAProxy's view: ``{"rasa_http/rasa1": "UP", ...}`` (its stats page, CSV)."""
        rows = httpx.get(f"http://127.0.0.1:{self.ports.monitor}/stats;csv", timeout=5).text.splitlines()
        states = {}
        for row in rows[1:]:
            cells = row.split(",")
            if len(cells) > 17 and cells[1] not in ("FRONTEND", "BACKEND"):
                states[f"{cells[0]}/{cells[1]}"] = cells[17]
        return states


def main() -> int:
    """``make run-scaled``: the scaled topology on this machine, on the usual ports, until Ctrl-C."""
    from bot.cli.training import train_if_stale
    from bot.common.config import load_settings
    from bot.scale.lock_store import check_lock_lifetime

    settings = load_settings()
    check_lock_lifetime(LOCK_LIFETIME_SECONDS, settings.backend_timeout_seconds)
    train_if_stale()
    workdir = Path(
        os.environ.get("ALLOCBOT_SCALED_DIR") or Path(tempfile.gettempdir()) / f"allocbot-scaled-{os.getuid()}"
    )
    ports = Ports(
        rasa=int(os.environ.get("ALLOCBOT_RASA_PORT", "5005")),
        actions=5055,
        backend=int(os.environ.get("ALLOCBOT_BACKEND_PORT", "8000")),
        monitor=int(os.environ.get("ALLOCBOT_LB_MONITOR_PORT", "8404")),
        site=int(os.environ.get("ALLOCBOT_SITE_PORT", "8200")),
        console=int(os.environ.get("ALLOCBOT_CONSOLE_PORT", "8100")),
    )
    env = {key: value for key, value in os.environ.items() if key.startswith(("ALLOCBOT_", "TICKET_"))}
    topology = ScaledTopology(workdir, env, ports)
    print("→ démarrage de PostgreSQL, Redis, HAProxy et de deux répliques de chaque service…", flush=True)
    try:
        seconds = topology.start()
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"✗ {error}", file=sys.stderr)
        return 1
    p = topology.ports
    print(
        f"""
allocbot (topologie répartie) est prêt ({seconds:.0f} s).

  Rasa via HAProxy (API REST)    http://127.0.0.1:{p.rasa}/webhooks/rest/webhook   (répliques : {p.rasa_replicas})
  Actions via HAProxy            http://127.0.0.1:{p.actions}/health               (répliques : {p.actions_replicas})
  Backend via HAProxy            http://127.0.0.1:{p.backend}/openapi.json          (répliques : {p.backend_replicas})
  État de HAProxy                http://127.0.0.1:{p.monitor}/stats
  Espace personnel + chat (web)  http://127.0.0.1:{p.site}/connexion
  Console des conseillers        http://127.0.0.1:{p.console}/
  PostgreSQL                     127.0.0.1:{p.postgres} (bases {", ".join(DATABASES)}, données dans {topology.pg_dir})
  Redis                          {topology.redis_url}
  Journaux                       {topology.log_dir}

Un processus qui s'arrête est relancé (délai croissant) ; Ctrl-C arrête tout.
""",
        flush=True,
    )

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        assert topology.supervisor is not None
        topology.supervisor.run_forever()
    except KeyboardInterrupt:
        print("\n→ arrêt de tous les processus…", flush=True)
    finally:
        topology.stop()
        print("→ arrêté.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
