"""The admission gate (bot/scale/admission.py): bounded turns at once, a French answer past the wait."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.scale.admission import OVERLOAD_TEXT, AdmissionGate, admitting

pytestmark = pytest.mark.unit


async def test_no_more_than_the_limit_run_at_once_and_the_others_wait_their_turn_in_order() -> None:
    gate = AdmissionGate(limit=2, max_wait_seconds=5)
    running, peak, order = 0, 0, []

    async def turn(name: str) -> None:
        nonlocal running, peak
        assert await gate.acquire()
        running += 1
        peak = max(peak, running)
        order.append(name)
        await asyncio.sleep(0.01)
        running -= 1
        gate.release()

    await asyncio.gather(*(turn(str(i)) for i in range(8)))
    assert peak == 2
    assert order == [str(i) for i in range(8)]  # first come, first served
    assert (gate.counts.admitted, gate.counts.turned_away, gate.counts.in_progress, gate.counts.waiting) == (8, 0, 0, 0)


async def test_a_message_that_waits_too_long_gets_the_overload_answer_and_is_not_processed() -> None:
    gate = AdmissionGate(limit=1, max_wait_seconds=0.05)
    processed = []
    release_first = asyncio.Event()

    async def handle(_agent, message):
        processed.append(message.text)
        if message.text == "premier":
            await release_first.wait()
        return []

    handle_message = admitting(handle, gate)
    first = asyncio.create_task(handle_message(None, UserMessage("premier", CollectingOutputChannel(), "a")))
    await asyncio.sleep(0)
    channel = CollectingOutputChannel()
    assert await handle_message(None, UserMessage("deuxième", channel, "b")) is None
    assert [m["text"] for m in channel.messages] == [OVERLOAD_TEXT]
    assert "très sollicité" in OVERLOAD_TEXT and "renvoyer" in OVERLOAD_TEXT
    assert processed == ["premier"]
    release_first.set()
    await first
    # the slot is free again: the next message is processed at once
    later = CollectingOutputChannel()
    await handle_message(None, UserMessage("troisième", later, "b"))
    assert processed == ["premier", "troisième"] and later.messages == []
    assert (gate.counts.turned_away, gate.counts.in_progress) == (1, 0)


async def test_a_waiter_cancelled_or_timed_out_leaks_no_slot() -> None:
    gate = AdmissionGate(limit=1, max_wait_seconds=0.05)
    assert await gate.acquire()
    cancelled = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert await gate.acquire() is False  # timed out behind the holder
    gate.release()
    assert gate.counts.in_progress == 0
    assert await gate.acquire() and gate.counts.in_progress == 1


async def test_a_turn_that_fails_still_frees_its_slot() -> None:
    gate = AdmissionGate(limit=1, max_wait_seconds=0.05)

    async def broken(_agent, _message):
        raise RuntimeError("store down")

    with pytest.raises(RuntimeError):
        await admitting(broken, gate)(None, UserMessage("x", CollectingOutputChannel(), "a"))
    assert gate.counts.in_progress == 0


def test_the_limits_come_from_the_environment_and_bad_values_are_refused() -> None:
    environ = {"ALLOCBOT_MAX_CONCURRENT_TURNS": "3", "ALLOCBOT_ADMISSION_WAIT_SECONDS": "2.5"}
    gate = AdmissionGate.from_environment(environ)
    assert (gate.limit, gate.max_wait_seconds) == (3, 2.5)
    with pytest.raises(ValueError, match="ALLOCBOT_MAX_CONCURRENT_TURNS"):
        AdmissionGate.from_environment({"ALLOCBOT_MAX_CONCURRENT_TURNS": "beaucoup"})
    with pytest.raises(ValueError, match="au moins 1"):
        AdmissionGate.from_environment({"ALLOCBOT_MAX_CONCURRENT_TURNS": "0"})
