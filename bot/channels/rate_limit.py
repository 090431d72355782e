"""Per-sender rate limiting for the public channels (SMS, WhatsApp, web widget).

A public webhook can be flooded by one sender (a loop on a phone, a script on the
widget). Each sender gets a sliding window of ``max_messages`` per ``per_seconds``;
beyond it the connector answers once in French and then stays silent until the
window has passed, so that a flood neither reaches Rasa nor costs SMS.

Memory is bounded: at most ``max_senders`` senders are tracked; the least
recently seen are forgotten first (forgetting a quiet sender only gives it a
fresh window, which is harmless). Single process, in memory: a restart resets
the windows, which is acceptable for a flood guard.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

DEFAULT_MAX_MESSAGES = 20
DEFAULT_PER_SECONDS = 60.0
DEFAULT_MAX_SENDERS = 10_000

# Said once when a sender goes over the limit.
RATE_LIMITED_TEXT = (
    "Vous avez envoyé beaucoup de messages en peu de temps. Merci de patienter une minute avant d'écrire à nouveau."
)


class SenderRateLimiter:
    """Sliding-window limiter keyed by sender (a hashed phone number, a session id)."""

    def __init__(
        self,
        max_messages: int,
        per_seconds: float,
        max_senders: int = DEFAULT_MAX_SENDERS,
        clock: Callable[[], float] = time.monotonic,
    ):
        if max_messages < 1 or per_seconds <= 0 or max_senders < 1:
            raise ValueError("max_messages, per_seconds and max_senders must be positive")
        self.max_messages = max_messages
        self.per_seconds = per_seconds
        self.max_senders = max_senders
        self._clock = clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._warned: set[str] = set()
        self._lock = threading.Lock()  # cheap; makes the limiter safe in threaded servers too

    @classmethod
    def from_env(
        cls, prefix: str = "ALLOCBOT_RATE_LIMIT", default_max_messages: int = DEFAULT_MAX_MESSAGES
    ) -> SenderRateLimiter:
        """``{prefix}_MAX_MESSAGES`` messages per ``{prefix}_PER_SECONDS`` (defaults 20 per 60 s)."""
        return cls(
            int(os.environ.get(f"{prefix}_MAX_MESSAGES") or default_max_messages),
            float(os.environ.get(f"{prefix}_PER_SECONDS") or DEFAULT_PER_SECONDS),
            int(os.environ.get(f"{prefix}_MAX_SENDERS") or DEFAULT_MAX_SENDERS),
        )

    def allow(self, sender: str) -> bool:
        """Record one message from ``sender``; False when it is over the limit (the message is not counted)."""
        now = self._clock()
        with self._lock:
            hits = self._hits.get(sender)
            if hits is None:
                hits = self._hits[sender] = deque()
                while len(self._hits) > self.max_senders:
                    forgotten, _ = self._hits.popitem(last=False)
                    self._warned.discard(forgotten)
            else:
                self._hits.move_to_end(sender)
            while hits and hits[0] <= now - self.per_seconds:
                hits.popleft()
            if len(hits) >= self.max_messages:
                return False
            hits.append(now)
            self._warned.discard(sender)
            return True

    def should_warn(self, sender: str) -> bool:
        """True the first time a refused sender is told (then silence until it is allowed again)."""
        with self._lock:
            if sender in self._warned:
                return False
            self._warned.add(sender)
            return True

    def __len__(self) -> int:
        return len(self._hits)
