"""Peak resident memory and CPU time of each server, read from /proc while the benchmark runs.

Each service is started in its own session (``bot.cli.processes``), so "the
process and its children" is every process whose session id is the service's
pid: Rasa's or uvicorn's helpers are counted with their parent. Read from
/proc rather than psutil: one less dependency for a Linux-only measurement.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _session_and_rss(pid_dir: Path) -> tuple[int, int] | None:
    try:
        stat = (pid_dir / "stat").read_text()
        rss_pages = int((pid_dir / "statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None  # the process ended between listing and reading
    # The command name (field 2) may hold spaces: the fields after it start after the last ')'.
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[3]), rss_pages * PAGE_SIZE


def cpu_by_session(sessions: set[int]) -> dict[int, float]:
    """CPU seconds (user + system) used so far by the live processes of each session.

    CPU per message does not depend on what else the machine runs, unlike
    latency: it is the figure to compare runs taken on a busy machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    totals = dict.fromkeys(sessions, 0.0)
    for pid_dir in Path("/proc").iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            fields = (pid_dir / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) in totals:
            totals[int(fields[3])] += (int(fields[11]) + int(fields[12])) / ticks
    return totals


def rss_by_session(sessions: set[int]) -> dict[int, int]:
    """Resident bytes of every process in each of ``sessions``, summed per session."""
    totals = dict.fromkeys(sessions, 0)
    for pid_dir in Path("/proc").iterdir():
        if not pid_dir.name.isdigit():
            continue
        found = _session_and_rss(pid_dir)
        if found and found[0] in totals:
            totals[found[0]] += found[1]
    return totals


class PeakMemory:
    """Samples the named process trees in a background thread; ``peaks_mb()`` gives each one's peak."""

    def __init__(self, interval_seconds: float = 0.5):
        self.interval = interval_seconds
        self.sessions: dict[str, int] = {}
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)

    def watch(self, name: str, pid: int) -> None:
        with self._lock:
            self.sessions[name] = pid
            self.peaks.setdefault(name, 0)

    def start(self) -> PeakMemory:
        self._thread.start()
        return self

    def sample(self) -> None:
        with self._lock:
            sessions = dict(self.sessions)
        totals = rss_by_session(set(sessions.values()))
        with self._lock:
            for name, sid in sessions.items():
                self.peaks[name] = max(self.peaks.get(name, 0), totals.get(sid, 0))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peaks_mb(self) -> dict[str, float]:
        with self._lock:
            return {name: round(peak / 2**20, 1) for name, peak in self.peaks.items()}
