"""Client addresses for the tests: each simulated person behind the reverse proxy has their own.

The test stack trusts 127.0.0.1 as its proxy (``ALLOCBOT_TRUSTED_PROXIES``), so a
test client that sends ``X-Forwarded-For`` plays the proxy and its client at
once; the per-origin throttles (new sessions, tickets, identification) then
count each simulated person apart, as they would count real people.
"""

from __future__ import annotations

import itertools

_counter = itertools.count()


def new_address() -> str:
    """An address of the benchmarking range (198.18.0.0/15, RFC 2544) never given twice in this run."""
    index = next(_counter)
    return f"198.{18 + index // 65024 % 2}.{index // 254 % 256}.{index % 254 + 1}"
