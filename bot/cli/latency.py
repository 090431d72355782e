"""Per-message latency over Rasa's REST channel, one conversation after another.

``python -m bot.cli.latency [--conversations 30]`` starts the whole system on
free ports (trained model, seeded SQLite backend, action server, Rasa), then
each demo persona in turn greets, asks its amount, identifies, asks its
payment date and a follow-up. It prints the per-turn latency (p50 / p95 / p99)
by kind of turn: the time a person waits for the answer, all processes
included. It is a measurement, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx

from bot import clock
from bot.backend.seed.personas import personas
from bot.cli.stack import Stack
from bot.cli.training import train_if_stale


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def conversation_turns(persona) -> list[tuple[str, str]]:
    return [
        ("salutation", "bonjour"),
        ("question personnelle (avant identification)", "combien vais-je toucher ce mois-ci ?"),
        ("identifiant", persona.identifier),
        ("date de naissance + réponse", persona.birth_date.strftime("%d/%m/%Y")),
        ("question personnelle (identifié)", "quand est-ce que je serai payé ?"),
        ("relance", "et en net ?"),
    ]


def measure(stack: Stack, conversations: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    people = personas(clock.today())
    with httpx.Client(timeout=30, headers=stack.rest_headers) as client:
        for index in range(conversations):
            persona = people[index % len(people)]
            sender = f"latency-{uuid.uuid4()}"
            for kind, text in conversation_turns(persona):
                started = time.perf_counter()
                response = client.post(stack.rest_webhook, json={"sender": sender, "message": text})
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200 or not response.json():
                    timings["erreurs"].append(elapsed)
                timings[kind].append(elapsed)
                timings["tous les tours"].append(elapsed)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure la latence par message sur le canal REST de Rasa.")
    parser.add_argument("--conversations", type=int, default=30)
    args = parser.parse_args(argv)
    train_if_stale()
    with tempfile.TemporaryDirectory(prefix="allocbot-latency-") as workdir:
        stack = Stack(Path(workdir), today=clock.today().isoformat())
        try:
            stack.start_backend()
            ready = stack.start_dialogue()
            print(f"système prêt en {ready:.1f} s (actions + Rasa, modèle chargé)")
            timings = measure(stack, args.conversations)
        finally:
            stack.stop()
    errors = len(timings.pop("erreurs", []))
    print(f"{args.conversations} conversations, {len(timings['tous les tours'])} tours, {errors} erreurs")
    print(f"{'tour':48} {'n':>4} {'moy.':>7} {'p50':>7} {'p95':>7} {'p99':>7}  (ms)")
    for kind, values in timings.items():
        print(
            f"{kind:48} {len(values):>4} {statistics.mean(values):>7.1f} {percentile(values, 0.5):>7.1f} "
            f"{percentile(values, 0.95):>7.1f} {percentile(values, 0.99):>7.1f}"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
