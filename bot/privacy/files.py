"""Files that hold personal data are readable by their owner only.

The databases (``var/*.db`` and their SQLite journals) and the logs hold
redacted conversations, sealed values, tickets and access logs: another local
account has no business reading them. Every process allocbot starts gets the
umask ``PRIVATE_UMASK``, so that what it creates is mode 0600 (0700 for
directories); ``make_private`` brings files made before that (or by hand) down
to 0600.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

PRIVATE_UMASK = 0o077


def make_private(paths: Iterable[Path]) -> int:
    """chmod 0600 every existing file among ``paths``; returns how many were changed."""
    changed = 0
    for path in paths:
        if path.is_file() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
            changed += 1
    return changed


def private_files(var: Path) -> list[Path]:
    """The databases and logs of ``var/``."""
    return sorted([*var.glob("*.db*"), *(var / "log").glob("*.log")])


def open_private_log(path: Path):
    """A log file to append to, created 0600."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab")
