"""The dialogue states of a conversation computed once per prediction, not once per policy call.

To predict the next action, Rasa 3.6 turns the whole conversation into its list of states
(``TrackerFeaturizer._create_states``: every event replayed on a fresh copy of the tracker, one state
per step). ``RulePolicy`` does it twice per prediction (once to match rules on the message's text,
once on its intent) with the same arguments, ``MemoizationPolicy`` once more with its own; a turn
makes two or three predictions. The profile of the Rasa server (``bot.bench.profile``, N = 1) put
``_create_states`` at about 11 % of its CPU per message.

The states are a function of the tracker's events, the domain and the arguments only (the replay
starts from an empty tracker), so ``shared_states`` keeps the last ones computed, per thread, for
the last tracker seen, keyed on its number of events and its last event: a new event, another
tracker or other arguments compute them again. Rasa then edits the states it gets (it drops the
text or the intent of the last message), so each caller gets its own copy of the dictionaries.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

_last = threading.local()


def _copy(states: list[dict]) -> list[dict]:
    """States are dictionaries of sub-states (dictionaries of strings and tuples): two levels to copy."""
    return [
        {key: dict(value) if isinstance(value, dict) else value for key, value in state.items()} for state in states
    ]


def _key(tracker: Any, domain: Any, omit_unset_slots: bool, ignore_rule_only_turns: bool, rule_only_data: Any) -> tuple:
    events = tracker.events
    last = events[-1] if events else None
    rules = None if rule_only_data is None else repr(sorted(rule_only_data.items()))
    return (len(events), id(last), id(domain), omit_unset_slots, ignore_rule_only_turns, rules)


def shared_states(create_states: Callable) -> Callable:
    """``TrackerFeaturizer._create_states`` (a static method) computing each tracker's states once."""

    def wrapper(tracker, domain, omit_unset_slots=False, ignore_rule_only_turns=False, rule_only_data=None):
        key = _key(tracker, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        seen = getattr(_last, "tracker", None)
        if seen is None or seen() is not tracker:
            _last.tracker, _last.states = weakref.ref(tracker), {}
        states = _last.states.get(key)
        if states is None:
            states = _last.states[key] = create_states(
                tracker,
                domain,
                omit_unset_slots=omit_unset_slots,
                ignore_rule_only_turns=ignore_rule_only_turns,
                rule_only_data=rule_only_data,
            )
        return _copy(states)

    wrapper._allocbot_wrapped = True  # type: ignore[attr-defined]
    wrapper._allocbot_original = create_states  # type: ignore[attr-defined]
    return wrapper
