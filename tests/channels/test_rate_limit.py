"""The per-sender sliding-window limiter shared by the public channels."""

from __future__ import annotations

import pytest

from bot.channels.rate_limit import SenderRateLimiter

pytestmark = pytest.mark.unit  # the fast loop: make unit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_over_the_limit_then_allowed_again_when_the_window_passed():
    clock = Clock()
    limiter = SenderRateLimiter(3, 10, clock=clock)
    allowed = []
    for _ in range(4):
        allowed.append(limiter.allow("a"))
        clock.now += 1  # messages at 1000, 1001, 1002 (and a refused one at 1003)
    assert allowed == [True, True, True, False]
    assert limiter.allow("b")  # other senders are unaffected
    clock.now = 1009.9
    assert not limiter.allow("a")
    clock.now = 1010.1  # only the first message has left the window
    assert limiter.allow("a")
    assert not limiter.allow("a")


def test_refused_messages_do_not_extend_the_window():
    clock = Clock()
    limiter = SenderRateLimiter(1, 10, clock=clock)
    assert limiter.allow("a")
    for _ in range(50):
        clock.now += 0.1
        assert not limiter.allow("a")
    clock.now = 1010.0
    assert limiter.allow("a")


def test_warned_once_until_allowed_again():
    clock = Clock()
    limiter = SenderRateLimiter(1, 10, clock=clock)
    limiter.allow("a")
    assert not limiter.allow("a") and limiter.should_warn("a")
    assert not limiter.allow("a") and not limiter.should_warn("a")
    clock.now += 11
    assert limiter.allow("a")
    assert not limiter.allow("a") and limiter.should_warn("a")


def test_memory_is_bounded_by_forgetting_the_least_recent_senders():
    limiter = SenderRateLimiter(1, 60, max_senders=100, clock=Clock())
    for i in range(10_000):
        limiter.allow(f"s{i}")
    assert len(limiter) == 100
    assert not limiter.allow("s9999")  # the most recent are still limited


def test_configured_from_the_environment(monkeypatch):
    monkeypatch.setenv("ALLOCBOT_RATE_LIMIT_MAX_MESSAGES", "2")
    monkeypatch.setenv("ALLOCBOT_RATE_LIMIT_PER_SECONDS", "5")
    limiter = SenderRateLimiter.from_env()
    assert (limiter.max_messages, limiter.per_seconds) == (2, 5.0)


@pytest.mark.parametrize("args", [(0, 1), (1, 0), (1, -1)])
def test_nonsense_settings_are_refused(args):
    with pytest.raises(ValueError):
        SenderRateLimiter(*args)
