"""Benchmark: how fast, how accurate under load and how heavy allocbot is, next to stock Rasa.

``make bench`` (or ``.venv/bin/python -m bot.cli.bench``) on this machine, in one run:

1. times a full training of allocbot's model into a temporary directory
   (fresh Rasa cache; the shared ``models/`` is untouched);
2. creates (once, cached in ``var/bench/``) the assistant ``rasa init`` makes;
3. times each trained model alone, in process (the floor, ``bot.bench.floor``);
4. starts the whole allocbot system (seeded SQLite backend, action server,
   Rasa) and one stock ``rasa run``, each timed from start to ready, with the
   peak memory of every process tree sampled throughout;
5. drives both with the same client and the same five-turn conversations:
   closed loop for N = 1, 10, 50, 100, then an open loop at 15 msg/s;
6. writes ``docs/benchmarks/latest.{json,md}``, ``latency.png`` and dated copies.

Each load scenario runs on allocbot then on stock Rasa before the next one, so
that a machine busy with other work disturbs both alike. It is a measurement:
it asserts nothing and exits 0 unless something could not run. ``--quick``
(N = 1, 10, short runs, no training, output in ``var/bench/quick/``) is for
development.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

from bot import clock, rasa_runtime
from bot.bench import report
from bot.bench.load import ScenarioResult, Target, closed_loop, new_client, open_loop
from bot.bench.memory import PeakMemory, cpu_by_session
from bot.bench.scripts import STOCK_TURNS, allocbot_script, allocbot_turns, mix_script, stock_script
from bot.bench.stock import RASA_VERSION, stock_project, stock_service
from bot.cli.processes import Service, start_all
from bot.cli.stack import Stack, free_port
from bot.cli.training import MODEL_PATH, quiet_env, train_if_stale
from bot.common.config import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "var" / "bench"
DOCS_DIR = PROJECT_ROOT / "docs" / "benchmarks"
# On a machine busy with other work, loading a model can take minutes: wait, and report it.
START_TIMEOUT_SECONDS = 600


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Mesure allocbot sous charge, à côté d'un Rasa de base.")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="N = 1, 10, mesures courtes, sans entraînement ; résultats dans var/bench/quick/",
    )
    parser.add_argument("--concurrency", default=None, help="valeurs de N séparées par des virgules (1,10,50,100)")
    parser.add_argument("--warmup", type=float, default=None, help="secondes de chauffe par scénario fermé")
    parser.add_argument("--duration", type=float, default=None, help="secondes mesurées par scénario fermé")
    parser.add_argument("--rate", type=float, default=15.0, help="messages par seconde offerts en boucle ouverte")
    parser.add_argument("--open-warmup", type=float, default=None)
    parser.add_argument("--open-duration", type=float, default=None)
    parser.add_argument("--population", type=int, default=200, help="personnes synthétiques en base")
    parser.add_argument("--timeout", type=float, default=30.0, help="délai maximal d'une réponse (s)")
    parser.add_argument("--no-stock", action="store_true", help="sans le Rasa de base")
    parser.add_argument("--no-training", action="store_true", help="sans mesurer un entraînement complet")
    parser.add_argument("--no-floor", action="store_true", help="sans mesurer le plancher en processus")
    parser.add_argument(
        "--no-mix", action="store_true", help="sans le mélange de conversations du jeu d'essai (issue 20)"
    )
    parser.add_argument(
        "--scaled",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="topologie répartie (PostgreSQL, Redis, HAProxy), une puis deux répliques (défaut : oui, sauf --quick)",
    )
    parser.add_argument("--scaled-concurrency", default="50,100,200", help="valeurs de N pour la topologie répartie")
    parser.add_argument("--out", type=Path, default=None, help="dossier des résultats")
    parser.add_argument("--note", default="", help="remarque ajoutée au rapport")
    args = parser.parse_args(argv)
    quick = args.quick
    args.concurrency = [int(n) for n in (args.concurrency or ("1,10" if quick else "1,10,50,100")).split(",")]
    args.warmup = args.warmup if args.warmup is not None else (2.0 if quick else 5.0)
    args.duration = args.duration if args.duration is not None else (8.0 if quick else 30.0)
    args.open_warmup = args.open_warmup if args.open_warmup is not None else (5.0 if quick else 10.0)
    args.open_duration = args.open_duration if args.open_duration is not None else (12.0 if quick else 40.0)
    args.no_training = args.no_training or quick
    args.scaled = (not quick) if args.scaled is None else args.scaled
    args.scaled_concurrency = [int(n) for n in args.scaled_concurrency.split(",")]
    args.out = args.out or (BENCH_DIR / "quick" if quick else DOCS_DIR)
    return args


def measure_training() -> dict:
    """A full ``rasa train`` of allocbot into a temporary directory, with an empty Rasa cache."""
    with tempfile.TemporaryDirectory(prefix="allocbot-bench-train-") as tmp:
        env = {**quiet_env(), "RASA_CACHE_DIRECTORY": str(Path(tmp) / "cache")}
        print("→ entraînement complet du modèle allocbot (dossier temporaire, cache vide)…", flush=True)
        started = time.monotonic()
        log = BENCH_DIR / "training.log"
        with open(log, "wb") as out:
            done = subprocess.run(
                rasa_runtime.command("train", "--fixed-model-name", "bench", "--out", tmp, "--force", "--quiet"),
                cwd=PROJECT_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        seconds = time.monotonic() - started
    if done.returncode != 0:
        print(f"   l'entraînement a échoué (voir {log})")
        return {"seconds": None, "how": f"failed, see {log.relative_to(PROJECT_ROOT)}"}
    print(f"   {seconds:.0f} s")
    return {"seconds": round(seconds, 1), "how": "measured in this run, empty cache"}


def measure_floor(name: str, model: str, conversations: list[list[str]]) -> dict:
    """The model alone in its own process (``bot.bench.floor``)."""
    with tempfile.TemporaryDirectory(prefix="allocbot-bench-floor-") as tmp:
        given, out = Path(tmp) / "conversations.json", Path(tmp) / "floor.json"
        given.write_text(json.dumps(conversations))
        print(f"→ plancher {name} : le modèle seul, en processus…", flush=True)
        with open(BENCH_DIR / f"floor-{name}.log", "wb") as log:
            subprocess.run(
                [sys.executable, "-m", "bot.bench.floor", model, str(given), str(out)],
                cwd=PROJECT_ROOT,
                env=quiet_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
            )
        figures = json.loads(out.read_text())
    print(f"   tour p50 {figures['total']['p50_ms']:.1f} ms (NLU {figures['nlu']['p50_ms']:.1f} ms)")
    return figures


def _print_summary(result: ScenarioResult, cpu_ms: dict[str, float]) -> dict:
    summary = {**result.summary(), "cpu_ms_per_msg": cpu_ms}
    p = {k: "—" if summary[k] is None else f"{summary[k]:.0f}" for k in ("p50_ms", "p95_ms", "p99_ms")}
    print(
        f"   {summary['system']:9} {report.scenario_key(summary):18} {summary['turns']:>5} tours  "
        f"p50 {p['p50_ms']:>5}  p95 {p['p95_ms']:>5}  p99 {p['p99_ms']:>5} ms  "
        f"{summary['throughput_msg_s']:6.1f} msg/s  {summary['errors']} erreurs",
        flush=True,
    )
    print(f"     CPU par message : {', '.join(f'{k} {v:.0f} ms' for k, v in cpu_ms.items())}")
    if summary["first_errors"]:
        print(f"     premières erreurs : {summary['first_errors']}")
    return summary


async def run_load(
    targets: list[Target],
    args: argparse.Namespace,
    concurrency: list[int] | None = None,
    with_open_loop: bool = True,
) -> tuple[list[dict], list[dict]]:
    """Every scenario on every system, one after the other; returns the summaries and the raw turns."""
    summaries, raw = [], []
    async with new_client(args.timeout, connections=max(256, *(concurrency or args.concurrency))) as client:

        def closed(n: int) -> Callable[[Target], Awaitable[ScenarioResult]]:
            return lambda target: closed_loop(client, target, n, args.warmup, args.duration)

        def opened(target: Target) -> Awaitable[ScenarioResult]:
            return open_loop(client, target, args.rate, args.open_warmup, args.open_duration)

        scenarios = [(f"N={n}", closed(n)) for n in (concurrency or args.concurrency)]
        if with_open_loop:
            scenarios.append((f"{args.rate:g} msg/s", opened))
        for label, run in scenarios:
            print(f"→ charge {label}", flush=True)
            for target in targets:
                sessions = set(target.processes.values())
                cpu_before = cpu_by_session(sessions)
                result = await run(target)
                cpu_after = cpu_by_session(sessions)
                served = max(1, sum(1 for t in result.turns if t.error is None))
                summaries.append(
                    _print_summary(
                        result,
                        {
                            name: round((cpu_after[sid] - cpu_before[sid]) * 1000 / served, 1)
                            for name, sid in target.processes.items()
                        },
                    )
                )
                raw.append(
                    {"system": result.system, "scenario": report.scenario_key(summaries[-1]), "turns": result.raw()}
                )
                await asyncio.sleep(2)  # let the last conversations' work drain before the next system
    return summaries, raw


def run_scaled(args: argparse.Namespace, workdir: Path, watch: Callable) -> tuple[list[dict], list[dict], dict]:
    """The scaled topology (``bot.cli.scaled``) with one and with two replicas of each service, side by side.

    Both topologies run at once (each its own PostgreSQL, Redis and HAProxy), and each closed loop runs on one
    then on the other, as allocbot and stock above, so that the machine's other work disturbs both alike. The
    load goes through HAProxy in both. Returns the summaries, the raw turns and the cold starts."""
    from bot.cli.scaled import Ports, ScaledTopology
    from bot.cli.stack import stack_env

    topologies, targets, cold = [], [], {}
    try:
        for replicas in (1, 2):
            system = f"scaled-{replicas}"
            env = stack_env("sqlite://", "http://127.0.0.1:1", secrets.token_urlsafe(24), clock.today().isoformat())
            topology = ScaledTopology(workdir / system, env, Ports.for_replicas(replicas), durable=False)
            print(f"→ démarrage de la topologie répartie à {replicas} réplique(s)…", flush=True)
            ready = topology.start(population=args.population, timeout_seconds=START_TIMEOUT_SECONDS)
            topologies.append(topology)
            for service in topology.services:
                watch(system, "")(service)
            cold[system] = {"ready_s": round(ready, 1), "detail": "(PostgreSQL, Redis, HAProxy, seed, every replica)"}
            print(f"   prête en {ready:.1f} s", flush=True)
            script = dataclasses.replace(allocbot_script(args.population), name=system)
            targets.append(
                Target(
                    f"http://127.0.0.1:{topology.ports.rasa}",
                    script,
                    {s.name: s.pid for s in topology.services},
                    {"Authorization": f"Bearer {env['ALLOCBOT_REST_TOKEN']}"},
                )
            )
        summaries, raw = asyncio.run(run_load(targets, args, args.scaled_concurrency, with_open_loop=False))
    finally:
        for topology in topologies:
            topology.stop()
    return summaries, raw, cold


def machine() -> dict:
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True
        ).stdout.strip()
        or "unknown"
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 2**20, 1),
        "python": platform.python_version(),
        "rasa_version": RASA_VERSION,
        "commit": commit + (" + uncommitted changes" if dirty else ""),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc)
    load_before = [round(x, 2) for x in os.getloadavg()]
    meta = {
        "started_at": now.isoformat(timespec="seconds"),
        "command": " ".join(["bot.cli.bench", *sys.argv[1:]]),
        "load_before": load_before,
        **machine(),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }
    train_if_stale()
    results: dict = {"meta": meta, "training": {}, "cold_start": {}, "floor": {}, "memory_mb": {}}
    if not args.no_training:
        results["training"]["allocbot"] = measure_training()
    stock = None if args.no_stock else stock_project()
    if stock:
        results["training"]["stock"] = {
            "seconds": stock["training_s"],
            "how": f"rasa init, measured {stock['measured_at'][:10]}" + (" (cached)" if stock["cached"] else ""),
        }
    if not args.no_floor:
        conversations = [[t.text for t in allocbot_turns(i, args.population)] for i in range(21)]
        results["floor"]["allocbot"] = measure_floor("allocbot", str(MODEL_PATH), conversations)
        if stock:
            results["floor"]["stock"] = measure_floor("stock", stock["model"], [[t.text for t in STOCK_TURNS]] * 21)

    memory = PeakMemory().start()
    names: dict[str, tuple[str, str]] = {}  # service name -> (system, process)

    def watch(system: str, process: str):
        def on_start(service: Service) -> None:
            key = f"{system}/{service.name}"  # the two scaled topologies have processes of the same names
            names[key] = (system, process if process else service.name)
            memory.watch(key, service.pid)

        return on_start

    with tempfile.TemporaryDirectory(prefix="allocbot-bench-") as workdir:
        stack = Stack(Path(workdir), today=clock.today().isoformat())
        stock_proc: Service | None = None
        try:
            print(f"→ démarrage d'allocbot ({args.population} personnes synthétiques)…", flush=True)
            backend_s = stack.start_backend(args.population, on_start=watch("allocbot", ""))
            ready = stack.start_dialogue(on_start=watch("allocbot", ""), timeout_seconds=START_TIMEOUT_SECONDS)
            results["cold_start"]["allocbot"] = {
                "ready_s": round(ready, 1),
                "backend_s": round(backend_s, 1),
                "detail": f"(actions + Rasa; backend {backend_s:.1f} s before)",
            }
            print(f"   prêt en {ready:.1f} s (actions + Rasa), backend {backend_s:.1f} s", flush=True)
            targets = [
                Target(
                    stack.rasa_url,
                    allocbot_script(args.population),
                    {s.name: s.pid for s in stack.services},
                    stack.rest_headers,
                )
            ]
            if stock:
                print("→ démarrage du Rasa de base…", flush=True)
                port, token = free_port(), secrets.token_urlsafe(16)
                stock_proc = stock_service(stock, port, token, Path(workdir) / "log")
                stock_ready = start_all([stock_proc], START_TIMEOUT_SECONDS, on_start=watch("stock", "rasa"))
                results["cold_start"]["stock"] = {"ready_s": round(stock_ready, 1), "detail": "(rasa run)"}
                print(f"   prêt en {stock_ready:.1f} s", flush=True)
                targets.append(Target(f"http://127.0.0.1:{port}", stock_script(), {"rasa": stock_proc.pid}))
            if not args.no_mix:
                targets.append(
                    Target(
                        stack.rasa_url,
                        mix_script(args.population),
                        {s.name: s.pid for s in stack.services},
                        stack.rest_headers,
                    )
                )
            summaries, raw = asyncio.run(run_load(targets, args))
        finally:
            if stock_proc:
                stock_proc.stop()
            stack.stop()
        try:
            if args.scaled:
                scaled_summaries, scaled_raw, scaled_cold = run_scaled(args, Path(workdir), watch)
                summaries += scaled_summaries
                raw += scaled_raw
                results["cold_start"].update(scaled_cold)
        finally:
            memory.sample()
            memory.stop()
    for service, mb in memory.peaks_mb().items():
        system, process = names[service]
        results["memory_mb"].setdefault(system, {})[process] = mb
    meta["load_after"] = [round(x, 2) for x in os.getloadavg()]
    meta["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if not args.note and max(load_before) > 1.0:
        args.note = (
            f"The machine was not idle: load average {load_before} when the run started (other work "
            "was running); both systems were disturbed alike, but absolute figures are pessimistic."
        )
    meta["note"] = args.note
    results["scenarios"] = summaries
    results["ratios"] = report.ratios(summaries)
    results["floor_ratios"] = report.floor_ratios(summaries, results["floor"])
    results["goals"] = report.goals(results)
    stamp = now.strftime("%Y-%m-%d-%H%M")
    (BENCH_DIR / f"raw-{stamp}.json").write_text(json.dumps(raw))
    written = report.write(results, args.out, stamp)
    print("\n".join(["", report.markdown(results), ""]))
    print(
        "→ écrit : "
        + ", ".join(str(p.relative_to(PROJECT_ROOT)) if p.is_relative_to(PROJECT_ROOT) else str(p) for p in written)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
