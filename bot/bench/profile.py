"""Where the time goes under load: py-spy on every allocbot process while the bench client talks.

``python -m bot.bench.profile [--concurrency 10] [--seconds 30]`` starts the
whole system on free ports, drives N back-to-back conversations (the
benchmark's) and samples the Rasa server, the action server and the backend
with py-spy (a sampling profiler: the processes run unmodified). It writes
each process's collapsed stacks and a flame graph to ``var/bench/profile/``
and prints, per process, the functions that hold the most samples
(inclusive), ours and Rasa's, which is where a missed goal is explained.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bot import clock
from bot.bench.load import Target, closed_loop, new_client
from bot.bench.scripts import allocbot_script
from bot.cli.stack import Stack
from bot.common.config import PROJECT_ROOT

OUT_DIR = PROJECT_ROOT / "var" / "bench" / "profile"
PY_SPY = Path(sys.executable).parent / "py-spy"


def top_frames(collapsed: Path, count: int = 25) -> tuple[int, list[tuple[str, int]]]:
    """Inclusive samples per frame from py-spy's collapsed output (each frame counted once per stack)."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if not samples.isdigit():
            continue
        total += int(samples)
        for frame in set(stack.split(";")):
            inclusive[frame] += int(samples)
    return total, inclusive.most_common(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile allocbot's processes under load with py-spy.")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--population", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="allocbot-profile-") as workdir:
        stack = Stack(Path(workdir), today=clock.today().isoformat())
        try:
            stack.start_backend(args.population)
            print(f"→ prêt en {stack.start_dialogue(timeout_seconds=600):.1f} s", flush=True)
            recorders = []
            for service in stack.services:
                for fmt in ("raw", "flamegraph"):
                    suffix = "txt" if fmt == "raw" else "svg"
                    out = OUT_DIR / f"{service.name}.{suffix}"
                    recorders.append(
                        (
                            service.name,
                            fmt,
                            out,
                            subprocess.Popen(
                                [
                                    str(PY_SPY),
                                    "record",
                                    "--pid",
                                    str(service.pid),
                                    "--subprocesses",
                                    "--nonblocking",
                                    "--duration",
                                    str(args.seconds),
                                    "--rate",
                                    "50",
                                    "--format",
                                    fmt,
                                    "--output",
                                    str(out),
                                ],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL,
                            ),
                        )
                    )

            async def load():
                async with new_client() as client:
                    return await closed_loop(
                        client,
                        Target(stack.rasa_url, allocbot_script(args.population), headers=stack.rest_headers),
                        args.concurrency,
                        0,
                        args.seconds + 2,
                    )

            summary = asyncio.run(load()).summary()
            p50, p95 = (f"{summary[k]:.0f}" if summary[k] is not None else "—" for k in ("p50_ms", "p95_ms"))
            print(
                f"→ charge N={args.concurrency} : {summary['turns']} tours, p50 {p50} ms, p95 {p95} ms, "
                f"{summary['throughput_msg_s']:.1f} msg/s, {summary['errors']} erreurs {summary['first_errors']}"
            )
            for *_, recorder in recorders:
                recorder.wait(60)
        finally:
            stack.stop()
    for name, fmt, out, _ in recorders:
        if fmt != "raw" or not out.exists():
            continue
        total, frames = top_frames(out, args.top)
        print(f"\n=== {name}: {total} échantillons (inclusifs) — {out.relative_to(PROJECT_ROOT)}")
        for frame, samples in frames:
            print(f"{samples / total:6.1%}  {frame[:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
