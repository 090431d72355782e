"""Rasa's event classes found by name from a table: same answers as Rasa's own lookup."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered

from bot.rasa_runtime import install_event_type_lookup

pytestmark = pytest.mark.unit  # the fast loop: make unit

install_event_type_lookup()


@pytest.mark.parametrize(
    "name, cls",
    [("slot", SlotSet), ("user", UserUttered), ("action", ActionExecuted), ("session_started", SessionStarted)],
)
def test_known_names_twice(name, cls):
    assert Event.resolve_by_type(name) is cls
    assert Event.resolve_by_type(name) is cls  # from the table


def test_unknown_names_behave_as_before():
    with pytest.raises(ValueError):
        Event.resolve_by_type("nonsense")
    assert Event.resolve_by_type("nonsense", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):  # the default was not remembered for that name
        Event.resolve_by_type("nonsense")
    assert Event.resolve_by_type("topic") is None


def test_events_read_back_through_the_table():
    event = Event.from_parameters({"event": "slot", "name": "identifier", "value": "x"})
    assert isinstance(event, SlotSet) and event.value == "x"
