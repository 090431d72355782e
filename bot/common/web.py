"""What every web process of allocbot does the same way: hardening headers, client addresses.

* ``SecurityHeaders`` is the one ASGI middleware that puts the hardening headers
  on every answer of the backend, the counsellor console and the personal space;
  each passes its own list (the site allows the Rasa origin in its CSP, the
  backend allows nothing). A header of the list replaces the application's own
  header of that name, except ``Cache-Control`` under a cacheable prefix (the
  site's static files), which is left to the application.
* ``conversation_of`` is the website's conversation id for the session key the
  browser holds (``bot/channels/webchat.py``): one way, so that an id read in a
  log or a ticket never gives the key back.
* ``client_address`` says who is calling: the peer of the TCP connection, or the
  address a **configured** reverse proxy put in ``X-Forwarded-For``. A header
  sent by anyone else is ignored, so a client cannot pick the address its
  throttles are counted against (``ALLOCBOT_TRUSTED_PROXIES``, comma-separated
  addresses or networks; empty by default: no proxy is trusted).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from collections.abc import Iterable, Sequence

Header = tuple[bytes, bytes]

BASE_HEADERS: list[Header] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
NO_STORE: Header = (b"cache-control", b"no-store")


class SecurityHeaders:
    """ASGI middleware: ``headers`` on every HTTP answer, ``no-store`` outside ``cacheable_prefix``."""

    def __init__(self, app, headers: Sequence[Header], cacheable_prefix: str | None = None):
        self.app = app
        self.headers = list(headers)
        self.names = {name for name, _ in self.headers} | {NO_STORE[0]}
        self.cacheable_prefix = cacheable_prefix

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = bool(self.cacheable_prefix) and scope.get("path", "").startswith(self.cacheable_prefix)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                kept = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in self.names or (cacheable and name.lower() == NO_STORE[0])
                ]
                message["headers"] = kept + self.headers + ([] if cacheable else [NO_STORE])
            await send(message)

        await self.app(scope, receive, send_with_headers)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(value: str | None = None) -> tuple[Network, ...]:
    """The networks whose ``X-Forwarded-For`` is believed (``ALLOCBOT_TRUSTED_PROXIES``)."""
    raw = os.environ.get("ALLOCBOT_TRUSTED_PROXIES", "") if value is None else value
    networks = []
    for part in raw.split(","):
        part = part.strip()
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return tuple(networks)


def _is_in(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str | None, forwarded_for: str | None, proxies: Sequence[Network]) -> str:
    """The caller's address: the peer, unless the peer is a trusted proxy; then the last address of
    ``X-Forwarded-For`` that is not itself a trusted proxy (the first hops are the client's to forge)."""
    address = (peer or "").strip() or "?"
    if not forwarded_for or not _is_in(address, proxies):
        return address
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",") if hop.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # a garbled header: count the proxy itself
        if not _is_in(hop, proxies):
            return hop
        address = hop
    return address


def conversation_of(session_key: str) -> str:
    """The website's conversation id of a session key: ``web-`` + 32 hex digits of its SHA-256."""
    return "web-" + hashlib.sha256(b"allocbot-web-session|" + session_key.encode()).hexdigest()[:32]
