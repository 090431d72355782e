"""Admission control: under overload, a bounded number of turns at once, and a clear answer to the rest.

Past saturation, a Rasa server that starts every message it receives does not
serve more: a hundred turns interleave on one event loop, each waits for its
action-server and backend calls behind the ninety-nine others, memory and
garbage collection grow with them, and every turn gets slower — the benchmark
showed throughput *falling* from N = 50 to N = 100 (54.5 → 29.8 msg/s) while
stock Rasa's stayed flat, and people waited up to the client's timeout for
nothing.

``AdmissionGate`` keeps at most ``limit`` turns in progress per Rasa process;
the others wait their turn, first come first served. A message that has waited
``max_wait_seconds`` without a slot is not processed at all: the person gets
``OVERLOAD_TEXT`` (« le service est très sollicité, réessayez dans un instant »)
on their channel. Nothing of that message was stored, so sending it again is
safe. The counts (admitted, turned away, waiting, in progress) are logged at
most every ``report_every_seconds`` while messages are turned away, and the
benchmark counts the answers (``bot/bench/load.py``, error kind ``overloaded``).

The gate wraps Rasa's ``Agent.handle_message`` (``bot/rasa_runtime.py``), the
one entry every channel's messages go through (REST, socket.io, SMS, WhatsApp,
phone). It is a per-process bound: with several replicas each keeps its own,
and the load balancer spreads the load (docs/deployment.md).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

OVERLOAD_TEXT = (
    "Le service est très sollicité en ce moment et votre message n'a pas pu être traité. "
    "Merci de le renvoyer dans un instant."
)
LIMIT_VARIABLE = "ALLOCBOT_MAX_CONCURRENT_TURNS"
WAIT_VARIABLE = "ALLOCBOT_ADMISSION_WAIT_SECONDS"
# Measured with `make bench` (docs/performance.md): enough turns at once to keep both cores busy while
# some wait for the action server, few enough that each turn keeps its speed.
DEFAULT_LIMIT = 12
# Below the 30 s a client (the widget, Twilio's 15 s for a webhook aside) waits for an answer.
DEFAULT_MAX_WAIT_SECONDS = 10.0


@dataclass
class GateCounts:
    admitted: int = 0
    turned_away: int = 0
    in_progress: int = 0
    waiting: int = 0


class AdmissionGate:
    """At most ``limit`` holders at once; the others queue, first come first served, for ``max_wait_seconds``."""

    def __init__(self, limit: int, max_wait_seconds: float, report_every_seconds: float = 10.0):
        if limit < 1:
            raise ValueError(f"{LIMIT_VARIABLE} doit valoir au moins 1 (reçu {limit}).")
        if max_wait_seconds < 0:
            raise ValueError(f"{WAIT_VARIABLE} ne peut pas être négatif (reçu {max_wait_seconds}).")
        self.limit = limit
        self.max_wait_seconds = max_wait_seconds
        self.report_every_seconds = report_every_seconds
        self.counts = GateCounts()
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._last_report = 0.0

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> AdmissionGate:
        environ = dict(os.environ if environ is None else environ)
        try:
            limit = int(environ.get(LIMIT_VARIABLE) or DEFAULT_LIMIT)
            wait = float(environ.get(WAIT_VARIABLE) or DEFAULT_MAX_WAIT_SECONDS)
        except ValueError as error:
            raise ValueError(f"{LIMIT_VARIABLE} / {WAIT_VARIABLE} : nombre attendu ({error}).") from None
        return cls(limit, wait)

    async def acquire(self) -> bool:
        """True once a slot is held (``release`` it); False when none came within ``max_wait_seconds``."""
        if self.counts.in_progress < self.limit and not self._waiters:
            self.counts.in_progress += 1
            self.counts.admitted += 1
            return True
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(granted)
        self.counts.waiting += 1
        try:
            await asyncio.wait_for(asyncio.shield(granted), self.max_wait_seconds)
        except asyncio.TimeoutError:
            pass
        except asyncio.CancelledError:
            self._leave(granted)
            raise
        finally:
            self.counts.waiting -= 1
        if granted.done() and not granted.cancelled():  # handed a slot, possibly at the last instant
            self.counts.admitted += 1
            return True
        self._leave(granted)
        self.counts.turned_away += 1
        self._report()
        return False

    def release(self) -> None:
        """Hand the slot to the first one still waiting, else free it."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes on: in_progress is unchanged
                return
        self.counts.in_progress -= 1

    def _leave(self, granted: asyncio.Future[None]) -> None:
        """A waiter that gives up: out of the queue, and a slot handed to it meanwhile passed on."""
        if granted.done() and not granted.cancelled():
            self.release()
            return
        granted.cancel()
        try:
            self._waiters.remove(granted)
        except ValueError:
            pass

    def _report(self) -> None:
        now = time.monotonic()
        if now - self._last_report < self.report_every_seconds:
            return
        self._last_report = now
        c = self.counts
        logger.warning(
            "Service saturé : %d message(s) refusé(s) depuis le démarrage (%d admis), %d en cours, %d en attente.",
            c.turned_away,
            c.admitted,
            c.in_progress,
            c.waiting,
        )


def admitting(handle_message: Callable, gate: AdmissionGate) -> Callable:
    """``Agent.handle_message`` behind ``gate``: a message turned away gets ``OVERLOAD_TEXT`` on its channel."""

    async def wrapper(self, message):
        if not await gate.acquire():
            channel = getattr(message, "output_channel", None)
            if channel is not None:
                try:
                    await channel.send_text_message(message.sender_id, OVERLOAD_TEXT)
                except Exception as error:  # the channel itself failed: nothing more can be said
                    logger.error("Réponse de saturation non envoyée (%s).", type(error).__name__)
            return None
        try:
            return await handle_message(self, message)
        finally:
            gate.release()

    wrapper._allocbot_wrapped = True  # type: ignore[attr-defined]
    wrapper._allocbot_original = handle_message  # type: ignore[attr-defined]
    wrapper._allocbot_gate = gate  # type: ignore[attr-defined]
    return wrapper
