"""Counsellor accounts of the demo, password checks and login throttling.

The demo has a few named counsellors sharing one password from the environment
(``ALLOCBOT_COUNSELLOR_PASSWORD``). In production the console would sit behind the
organisation's single sign-on and this module would go: the rest of the console
only needs a login name.

Passwords are hashed with scrypt when the console starts and compared in constant
time; an unknown login costs the same scrypt as a known one, so that timing does
not tell which logins exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass

# Login name -> name shown in the console.
DEMO_COUNSELLORS = {
    "c.martin": "Claire Martin",
    "p.durand": "Paul Durand",
    "a.nguyen": "Amina Nguyen",
    "s.leroy": "Sophie Leroy",
}
# Supervisors may read every ticket's conversation (quality review, a colleague absent).
DEMO_SUPERVISORS = frozenset({"s.leroy"})

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)


@dataclass(frozen=True)
class Counsellor:
    login: str
    name: str
    supervisor: bool = False

    def may_read(self, ticket: dict) -> bool:
        """Who reads a ticket's conversation (docs/console.md): any counsellor while it waits (to decide
        to take it), then only the counsellor who holds or held it, and the supervisors."""
        return ticket.get("status") == "waiting" or ticket.get("counsellor") == self.login or self.supervisor


class Accounts:
    """The known counsellors and their password hashes (held in memory only)."""

    def __init__(
        self,
        password: str,
        counsellors: dict[str, str] = DEMO_COUNSELLORS,
        supervisors: frozenset[str] = DEMO_SUPERVISORS,
    ):
        self._names = dict(counsellors)
        self._supervisors = supervisors
        self._hashes: dict[str, tuple[bytes, bytes]] = {}
        for login in counsellors:
            salt = secrets.token_bytes(16)
            self._hashes[login] = (salt, _hash(password, salt))
        self._decoy = (secrets.token_bytes(16), secrets.token_bytes(32))

    def check(self, login: str, password: str) -> Counsellor | None:
        salt, expected = self._hashes.get(login, self._decoy)
        matches = hmac.compare_digest(_hash(password[:200], salt), expected)
        return self.get(login) if matches else None

    def get(self, login: str) -> Counsellor | None:
        if login not in self._names:
            return None
        return Counsellor(login, self._names[login], login in self._supervisors)

    @property
    def logins(self) -> list[str]:
        return list(self._names)


class LoginThrottle:
    """Refuse further tries after too many failures, per login and per client address.

    In memory, per console process: the embedded default; with several consoles,
    ``bot.console.login_throttle.RedisLoginThrottle`` counts the same in Redis.
    """

    def __init__(self, per_login: int = 5, per_address: int = 20, window_seconds: float = 15 * 60):
        self.per_login = per_login
        self.per_address = per_address
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> int:
        failures = self._failures[key]
        while failures and failures[0] < time.monotonic() - self.window:
            failures.popleft()
        return len(failures)

    def blocked(self, login: str, address: str) -> bool:
        return (
            self._recent(f"login:{login}") >= self.per_login or self._recent(f"address:{address}") >= self.per_address
        )

    def failed(self, login: str, address: str) -> None:
        now = time.monotonic()
        self._failures[f"login:{login}"].append(now)
        self._failures[f"address:{address}"].append(now)

    def succeeded(self, login: str) -> None:
        self._failures.pop(f"login:{login}", None)
