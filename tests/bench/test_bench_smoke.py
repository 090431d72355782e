"""The benchmark's load client and report against the real test stack (backend, actions, Rasa).

Structure and correctness only, never timings: two simulated people, one
whole conversation each, must all get the right answers, and the report built
from them must hold every figure the benchmark promises.
"""

from __future__ import annotations

import json
import os

import pytest

from bot.bench import report
from bot.bench.load import Target, closed_loop, new_client, open_loop
from bot.bench.memory import rss_by_session
from bot.bench.scripts import Script, Turn, allocbot_script, mix_script

# matplotlib 3.5 calls pyparsing's old names: not ours to fix, and it hides real warnings.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# Synthetic people 10 to 19 of the test population: the lock tests use lower indices.
FIRST_PERSON, PEOPLE = 10, 10


async def test_two_people_have_whole_conversations_without_error(dialogue):
    async with new_client(timeout_seconds=30) as client:
        result = await closed_loop(
            client,
            Target(dialogue.rasa_url, allocbot_script(PEOPLE, FIRST_PERSON), headers=dialogue.rest_headers),
            concurrency=2,
            warmup=0,
            duration=0,
            conversations=1,
        )
    summary = result.summary()
    assert summary["first_errors"] == []
    assert (summary["turns"], summary["ok"], summary["errors"]) == (10, 10, 0)
    assert result.conversations_started == 2
    assert sorted(t.turn for t in result.turns) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"] <= summary["max_ms"]
    assert summary["throughput_msg_s"] > 0


async def test_the_conversation_mix_runs_whole_through_the_real_servers(dialogue):
    """The four kinds of the benchmark's mix (bot/bench/scripts.py ``mix_turns``), one conversation each."""
    async with new_client(timeout_seconds=30) as client:
        result = await closed_loop(
            client,
            Target(dialogue.rasa_url, mix_script(PEOPLE, FIRST_PERSON), headers=dialogue.rest_headers),
            concurrency=4,
            warmup=0,
            duration=0,
            conversations=1,
        )
    summary = result.summary()
    assert summary["first_errors"] == []
    assert (summary["turns"], summary["errors"]) == (20, 0)
    assert summary["system"] == "allocbot-mix"


async def test_a_wrong_reply_is_counted_as_an_error_and_ends_the_conversation(dialogue):
    wrong = Script("allocbot", lambda i: [Turn("bonjour", ("réponse qui n'existe pas",)), Turn("merci")])
    async with new_client(timeout_seconds=30) as client:
        result = await closed_loop(
            client,
            Target(dialogue.rasa_url, wrong, headers=dialogue.rest_headers),
            concurrency=1,
            warmup=0,
            duration=0,
            conversations=1,
        )
    summary = result.summary()
    assert (summary["turns"], summary["errors"]) == (1, 1)
    assert summary["error_kinds"] == {"unexpected": 1}


async def test_an_unreachable_server_is_an_error_not_a_crash(tmp_path):
    from bot.cli.stack import free_port

    script = Script("allocbot", lambda i: [Turn("bonjour")], turns_per_conversation=1)
    async with new_client(timeout_seconds=5) as client:
        result = await open_loop(
            client, Target(f"http://127.0.0.1:{free_port()}", script), rate=20, warmup=0, duration=1
        )
    summary = result.summary()
    assert summary["turns"] > 0
    assert summary["errors"] == summary["turns"]
    assert set(summary["error_kinds"]) == {"transport"}


async def test_report_from_a_real_run_has_every_figure(dialogue, tmp_path):
    async with new_client(timeout_seconds=30) as client:
        result = await closed_loop(
            client,
            Target(dialogue.rasa_url, allocbot_script(PEOPLE, FIRST_PERSON), headers=dialogue.rest_headers),
            concurrency=2,
            warmup=0,
            duration=0,
            conversations=1,
        )
    summary = result.summary()
    rasa = next(s for s in dialogue.services if s.name == "rasa")
    memory = {name: b / 2**20 for name, b in rss_by_session({rasa.process.pid}).items()}
    results = {
        "meta": {
            "started_at": "2026-11-22T12:00:00+00:00",
            "command": "test",
            "cpus": os.cpu_count(),
            "memory_gb": 1,
            "load_before": [0, 0, 0],
            "load_after": [0, 0, 0],
            "rasa_version": "3.6",
            "commit": "test",
            "note": "",
        },
        "training": {},
        "cold_start": {"allocbot": {"ready_s": 1.0}},
        "floor": {},
        "memory_mb": {"allocbot": {"rasa": memory[rasa.process.pid]}},
        "scenarios": [summary, {**summary, "system": "stock"}],
    }
    results["ratios"] = report.ratios(results["scenarios"])
    results["floor_ratios"] = []
    results["goals"] = report.goals(results)
    written = report.write(results, tmp_path, "2026-11-22-1200")
    assert sorted(p.name for p in written) == sorted(
        ["latest.json", "latest.md", "latency.png", "2026-11-22-1200.json", "2026-11-22-1200.md", "2026-11-22-1200.png"]
    )
    assert json.loads((tmp_path / "latest.json").read_text())["scenarios"][0]["errors"] == 0
    assert (tmp_path / "latency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert results["ratios"] == [
        {"scenario": "closed N=2", "p50_ms": 1.0, "p95_ms": 1.0, "p99_ms": 1.0, "throughput_msg_s": 1.0}
    ]
    assert memory[rasa.process.pid] > 50  # Rasa with its model loaded is never this small
    table = (tmp_path / "latest.md").read_text()
    assert "| closed N=2 | allocbot | 10 |" in table
    assert "Rasa server memory no worse than before issue 21" in table
    assert "| two replicas" not in table and "scaled topology (two replicas) | not run" in table
