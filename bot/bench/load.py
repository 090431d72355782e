"""The load client: simulated people talking to a Rasa server over its REST channel.

Two ways to load a system, both with one ``httpx.AsyncClient`` shared by every
simulated person (and by both systems in a benchmark run):

- closed loop: N people, each starting a new conversation as soon as the last
  one ended, with no pause between turns: it finds the saturation throughput;
- open loop: conversations arrive at a steady rate (Poisson arrivals) and
  pause between turns like people typing: the latency someone feels at a given
  traffic, which a closed loop hides by slowing down its own arrivals.

Turns that start during the warm-up are not measured. A turn is an error when
the HTTP call fails or times out, when the reply is empty, or when it is not
the expected one (see ``bot.bench.scripts``); a conversation stops at its
first error, as a person would. An answer of the admission gate (« le service
est très sollicité ») is an error of its own kind, ``overloaded``, reported
with its rate.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import random
import time
import uuid
from dataclasses import asdict, dataclass, field

import httpx

from bot.bench.scripts import Script, Turn
from bot.scale.admission import OVERLOAD_TEXT

# How an answer of the admission gate starts (« le service est très sollicité… »): counted apart.
OVERLOAD_MARKER = OVERLOAD_TEXT[:60]


@dataclass
class TurnResult:
    turn: int  # position in the conversation, from 0
    started: float  # seconds since the scenario started
    latency: float  # seconds
    error: str | None = None


@dataclass
class ScenarioResult:
    """Raw results of one scenario on one system; ``summary()`` gives the figures."""

    system: str
    scenario: str  # "closed" or "open"
    concurrency: int | None
    offered_rate: float | None
    warmup: float
    duration: float
    turns: list[TurnResult] = field(default_factory=list)
    conversations_started: int = 0

    def measured(self) -> list[TurnResult]:
        return [t for t in self.turns if self.warmup <= t.started < self.warmup + self.duration]

    def summary(self) -> dict:
        measured = self.measured()
        latencies = sorted(t.latency * 1000 for t in measured if t.error is None)
        errors = [t for t in measured if t.error is not None]
        end = self.warmup + self.duration
        completed = [t for t in measured if t.started + t.latency <= end]
        kinds: dict[str, int] = {}
        for t in errors:
            kind = t.error.split(":", 1)[0]
            kinds[kind] = kinds.get(kind, 0) + 1
        return {
            "system": self.system,
            "scenario": self.scenario,
            "concurrency": self.concurrency,
            "offered_rate": self.offered_rate,
            "warmup_s": self.warmup,
            "duration_s": self.duration,
            "turns": len(measured),
            "ok": len(latencies),
            "errors": len(errors),
            "error_rate": len(errors) / len(measured) if measured else 0.0,
            "error_kinds": kinds,
            # answered « le service est très sollicité » by the admission gate (bot/scale/admission.py)
            "overloaded": kinds.get("overloaded", 0),
            "overload_rate": kinds.get("overloaded", 0) / len(measured) if measured else 0.0,
            "first_errors": [t.error for t in errors[:3]],
            "throughput_msg_s": len(completed) / self.duration if self.duration else 0.0,
            "p50_ms": percentile(latencies, 0.50),
            "p95_ms": percentile(latencies, 0.95),
            "p99_ms": percentile(latencies, 0.99),
            "max_ms": latencies[-1] if latencies else None,
            "mean_ms": sum(latencies) / len(latencies) if latencies else None,
        }

    def raw(self) -> list[dict]:
        return [asdict(t) for t in self.turns]


def percentile(ordered: list[float], share: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def new_client(timeout_seconds: float = 30, connections: int = 256) -> httpx.AsyncClient:
    """One client for every simulated person: connection pool large enough for 100 people at once."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout_seconds, connect=10),
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )


class Target:
    """A Rasa server and the conversation its simulated people have with it."""

    def __init__(
        self, url: str, script: Script, processes: dict[str, int] | None = None, headers: dict[str, str] | None = None
    ):
        self.webhook = f"{url}/webhooks/rest/webhook"
        self.headers = headers or {}  # allocbot's REST channel needs its token (bot/channels/rest.py)
        self.script = script
        self.processes = processes or {}  # process name -> session id, for CPU accounting
        self.run_id = uuid.uuid4().hex[:8]
        self._counter = itertools.count()

    def next_conversation(self) -> tuple[str, list[Turn]]:
        index = next(self._counter)
        return f"bench-{self.script.name}-{self.run_id}-{index}", self.script.turns(index)

    async def say(self, client: httpx.AsyncClient, sender: str, turn: Turn) -> str | None:
        """Send one message; returns None when the reply is right, otherwise what went wrong."""
        try:
            response = await client.post(
                self.webhook, json={"sender": sender, "message": turn.text}, headers=self.headers
            )
        except httpx.TimeoutException as exc:
            return f"timeout: {type(exc).__name__}"
        except httpx.HTTPError as exc:
            return f"transport: {type(exc).__name__} {exc}"
        if response.status_code != 200:
            return f"http: {response.status_code} {response.text[:120]}"
        try:
            text = "\n".join(m.get("text") or "" for m in response.json())
        except ValueError:
            return f"invalid: {response.text[:120]}"
        if not text.strip():
            return f"empty: reply to {turn.text!r}"
        if OVERLOAD_MARKER in text:
            return f"overloaded: reply to {turn.text!r}"
        for marker in self.script.failure_markers:
            if marker in text:
                return f"failure: {text[:120]}"
        if turn.expect and not any(expected in text for expected in turn.expect):
            return f"unexpected: {turn.text!r} -> {text[:120]!r}"
        return None


async def _conversation(
    client: httpx.AsyncClient,
    target: Target,
    result: ScenarioResult,
    origin: float,
    stop_at: float,
    think: tuple[float, float] | None = None,
    rng: random.Random | None = None,
) -> None:
    sender, turns = target.next_conversation()
    result.conversations_started += 1
    for position, turn in enumerate(turns):
        if position and think:
            await asyncio.sleep(rng.uniform(*think))
        if time.monotonic() >= stop_at:
            return
        started = time.monotonic()
        error = await target.say(client, sender, turn)
        result.turns.append(TurnResult(position, started - origin, time.monotonic() - started, error))
        if error:
            return


async def closed_loop(
    client: httpx.AsyncClient,
    target: Target,
    concurrency: int,
    warmup: float,
    duration: float,
    conversations: int | None = None,
) -> ScenarioResult:
    """``concurrency`` people talking back to back during warm-up + duration.

    With ``conversations``, each person has exactly that many conversations
    instead (for tests): the whole run is then measured."""
    result = ScenarioResult(target.script.name, "closed", concurrency, None, warmup, duration)
    origin = time.monotonic()
    stop_at = float("inf") if conversations else origin + warmup + duration

    async def person() -> None:
        done = 0
        while time.monotonic() < stop_at and (conversations is None or done < conversations):
            await _conversation(client, target, result, origin, stop_at)
            done += 1

    await asyncio.gather(*(person() for _ in range(concurrency)))
    if conversations:
        result.warmup, result.duration = 0.0, time.monotonic() - origin
    return result


async def open_loop(
    client: httpx.AsyncClient,
    target: Target,
    rate: float,
    warmup: float,
    duration: float,
    think: tuple[float, float] = (1.0, 3.0),
    seed: int = 7,
) -> ScenarioResult:
    """Conversations arriving at random (Poisson) so that ``rate`` messages per second are offered.

    Each person pauses ``think`` seconds (uniform) between turns. The warm-up
    should last about one conversation, so that the measured part is steady."""
    result = ScenarioResult(target.script.name, "open", None, rate, warmup, duration)
    rng = random.Random(seed)
    arrivals_per_second = rate / target.script.turns_per_conversation
    origin = time.monotonic()
    stop_at = origin + warmup + duration
    running: set[asyncio.Task] = set()
    next_arrival = origin
    while next_arrival < stop_at:
        await asyncio.sleep(max(0.0, next_arrival - time.monotonic()))
        task = asyncio.create_task(
            _conversation(client, target, result, origin, stop_at, think, random.Random(rng.random()))
        )
        running.add(task)
        task.add_done_callback(running.discard)
        next_arrival += rng.expovariate(arrivals_per_second)
    if running:
        await asyncio.gather(*running)
    return result
