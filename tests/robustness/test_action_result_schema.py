"""The faster check of the action server's answers accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa_sdk.events import ActionExecuted, ActiveLoop, BotUttered, FollowupAction, SessionStarted, SlotSet

from bot.rasa_runtime import action_result_errors

pytestmark = pytest.mark.unit  # the fast loop: make unit

SCHEMA = RemoteAction.action_response_format_spec()
RASA = validator_for(SCHEMA)(SCHEMA)
OURS = action_result_errors(SCHEMA)

VALID = [
    {
        "events": [SlotSet("identifier", "1234567A"), ActiveLoop(None), FollowupAction("action_listen")],
        "responses": [{"text": "Vous êtes identifié."}],
    },
    {
        "events": [
            BotUttered("Bonjour", {"buttons": [{"title": "Oui", "payload": "/affirm"}]}),
            SessionStarted(),
            ActionExecuted("action_listen"),
        ],
        "responses": [],
    },
    {"events": [], "responses": []},
    {},
]
INVALID = [
    {"events": [{"event": "unknown_kind"}]},
    {"events": [{"name": "identifier"}]},  # no "event"
    {"events": [{"event": 3}]},
    {"events": ["slot"]},
    {"events": [{"event": "slot", "name": "identifier", "value": "x", "timestamp": "hier"}]},
    {"events": [{"event": "user", "text": "bonjour", "parse_data": {"intent_ranking": "beaucoup"}}]},
    {"events": {"event": "slot"}},
    {"responses": ["texte seul"]},
    [],
]


@pytest.mark.parametrize("answer", VALID + INVALID)
def test_same_verdict_as_rasa_on_known_answers(answer):
    assert RASA.is_valid(answer) == (next(OURS(answer), None) is None)
    assert RASA.is_valid(answer) == (answer in VALID)


EVENT_KINDS = st.sampled_from(
    [
        "user",
        "bot",
        "slot",
        "action",
        "active_loop",
        "followup",
        "session_started",
        "restart",
        "reminder",
        "pause",
        "nonsense",
        "",
        "SLOT",
    ]
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
EVENTS = st.builds(
    lambda kind, extra: {"event": kind, **extra},
    EVENT_KINDS,
    st.dictionaries(
        st.sampled_from(
            [
                "name",
                "text",
                "value",
                "timestamp",
                "policy",
                "confidence",
                "data",
                "metadata",
                "parse_data",
                "intent",
                "entities",
            ]
        ),
        VALUES,
        max_size=4,
    ),
)


@given(st.lists(st.one_of(EVENTS, VALUES), max_size=4))
def test_same_verdict_as_rasa_on_generated_events(events):
    answer = {"events": events, "responses": []}
    assert RASA.is_valid(answer) == (next(OURS(answer), None) is None)
