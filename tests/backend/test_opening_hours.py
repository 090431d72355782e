"""Counsellors' opening hours: weekly ranges in Paris time, French public holidays closed."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.common.clock import PARIS
from bot.handoff.opening_hours import DEFAULT_HOURS, InvalidSchedule, is_public_holiday, parse

pytestmark = pytest.mark.unit  # the fast loop: make unit


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_default_hours_are_weekdays_8_30_to_17():
    schedule = parse(DEFAULT_HOURS)
    assert schedule.is_open(at(2026, 11, 23, 8, 30))
    assert not schedule.is_open(at(2026, 11, 23, 8, 29))
    assert not schedule.is_open(at(2026, 11, 23, 17, 0))
    assert not schedule.is_open(at(2026, 11, 22, 10, 0))  # Sunday
    assert schedule.describe() == "du lundi au vendredi de 8 h 30 à 17 h (sauf jours fériés)"


def test_public_holidays_are_closed_and_skipped():
    schedule = parse(DEFAULT_HOURS)
    assert is_public_holiday(at(2026, 11, 11, 0, 0).date())  # Armistice
    assert not schedule.is_open(at(2026, 11, 11, 10, 0))
    assert schedule.next_opening(at(2026, 12, 24, 18, 0)) == at(2026, 12, 28, 8, 30)  # 25th, weekend
    assert schedule.next_opening(at(2026, 11, 10, 17, 30)) == at(2026, 11, 12, 8, 30)


def test_utc_times_are_read_in_paris():
    schedule = parse(DEFAULT_HOURS)
    from datetime import timezone

    assert schedule.is_open(datetime(2026, 7, 6, 6, 45, tzinfo=timezone.utc))  # 8:45 in summer time
    assert not schedule.is_open(datetime(2026, 1, 5, 7, 15, tzinfo=timezone.utc))  # 8:15 in winter


def test_lunch_breaks_and_saturdays():
    schedule = parse("lun-ven 08:30-12:30,13:30-17:00; sam 09:00-12:00")
    assert not schedule.is_open(at(2026, 11, 23, 13, 0))
    assert schedule.is_open(at(2026, 11, 28, 11, 0))
    assert schedule.next_opening(at(2026, 11, 23, 12, 45)) == at(2026, 11, 23, 13, 30)


@pytest.mark.parametrize("text", ["lundi 8-17", "lun-ven 17:00-08:30", "ven-lun 08:00-12:00", "xyz 08:00-12:00"])
def test_unreadable_hours_are_refused(text):
    with pytest.raises(InvalidSchedule):
        parse(text)
