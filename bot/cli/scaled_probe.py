"""A short load probe of the scaled topology: the same closed loop through HAProxy (two replicas) and on one replica.

Not the benchmark (``make bench``): a minute of load, to see that two replicas
serve at least what one does and lose nothing. Run it with ``nice`` on a shared
machine and say so with its figures::

    nice -n 10 .venv/bin/python -m bot.cli.scaled_probe --people 10 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bot.backend.seed import synthetic_identity
from bot.cli.scaled import ScaledTopology
from bot.cli.stack import stack_env

TURNS = ("bonjour", "combien vais-je toucher ?", "{identifier}", "{birth}", "et quand serai-je payé ?")


async def closed_loop(url: str, token: str, people: int, seconds: float, offset: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def person(index: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        conversation = 0
        while time.monotonic() < deadline:
            identity = synthetic_identity(offset + index)
            sender = f"probe-{offset}-{index}-{conversation}"
            for turn in TURNS:
                text = turn.format(identifier=identity.identifier, birth=identity.birth_date.strftime("%d/%m/%Y"))
                started = time.monotonic()
                try:
                    response = await client.post(
                        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
                    )
                    if response.status_code != 200 or not response.json():
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.monotonic() - started)
            conversation += 1

    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
        started = time.monotonic()
        await asyncio.gather(*(person(index, client) for index in range(people)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "turns": len(latencies),
        "msg/s": len(latencies) / elapsed,
        "p50 ms": 1000 * statistics.median(latencies),
        "p95 ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="allocbot-probe-"))
    env = stack_env("sqlite://", "http://127.0.0.1:1", "probe-rasa-token-0123456789")
    env["ALLOCBOT_TICKETS_PER_PERSON"] = "1000"
    topology = ScaledTopology(workdir, env, durable=False)
    print("→ démarrage de la topologie répartie…", flush=True)
    print(f"  prête en {topology.start(population=4 * args.people):.0f} s", flush=True)
    try:
        token = env["ALLOCBOT_REST_TOKEN"]
        lb = f"http://127.0.0.1:{topology.ports.rasa}"
        one = f"http://127.0.0.1:{topology.ports.rasa_replicas[0]}"
        for name, url, offset in (("une réplique", one, 0), ("deux répliques (HAProxy)", lb, 2 * args.people)):
            figures = asyncio.run(closed_loop(url, token, args.people, args.seconds, offset))
            print(f"{name:26} " + "  ".join(f"{key} {value:.1f}" for key, value in figures.items()), flush=True)
    finally:
        topology.stop()


if __name__ == "__main__":
    main()
