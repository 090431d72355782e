"""The dialogue states shared by the policies of one prediction are Rasa's own, and never stale."""

from __future__ import annotations

import pytest
from rasa.core.featurizers.tracker_featurizers import TrackerFeaturizer
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_runtime
from bot.common.config import PROJECT_ROOT
from bot.scale.prediction_states import shared_states

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module", autouse=True)
def patched() -> None:
    rasa_runtime.install_patches()


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def conversation(domain: Domain) -> DialogueStateTracker:
    tracker = DialogueStateTracker("states-test", domain.slots)
    for event in (
        ActionExecuted("action_session_start"),
        ActionExecuted("action_listen"),
        UserUttered("combien je touche ?", {"name": "ask_allowance_amount", "confidence": 0.9}),
    ):
        tracker.update(event, domain)
    return tracker


def rasa_s(tracker: DialogueStateTracker, domain: Domain, **arguments) -> list:
    return rasa_runtime.unpatched(TrackerFeaturizer._create_states)(tracker, domain, **arguments)


@pytest.mark.parametrize("arguments", [{}, {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["x"]}}])
def test_the_states_are_rasa_s_and_each_caller_may_edit_its_own(domain: Domain, arguments: dict) -> None:
    tracker = conversation(domain)
    first = TrackerFeaturizer._create_states(tracker, domain, **arguments)
    assert first == rasa_s(tracker, domain, **arguments)
    first[-1]["user"].clear()  # what Rasa does to the last message (text or intent dropped)
    assert TrackerFeaturizer._create_states(tracker, domain, **arguments) == rasa_s(tracker, domain, **arguments)


def test_a_new_event_another_tracker_or_other_arguments_compute_them_again(domain: Domain) -> None:
    tracker = conversation(domain)
    before = TrackerFeaturizer._create_states(tracker, domain)
    tracker.update(ActionExecuted("action_answer_allowance_amount"), domain)
    tracker.update(SlotSet("month", "2026-11"), domain)
    after = TrackerFeaturizer._create_states(tracker, domain)
    assert after == rasa_s(tracker, domain) and after != before
    other = conversation(domain)
    assert TrackerFeaturizer._create_states(other, domain) == rasa_s(other, domain) == before
    assert TrackerFeaturizer._create_states(tracker, domain, omit_unset_slots=True) == rasa_s(
        tracker, domain, omit_unset_slots=True
    )


def test_the_policies_of_one_prediction_share_one_computation(domain: Domain) -> None:
    calls = []

    def counted(tracker, domain, **arguments):
        calls.append(len(tracker.events))
        return rasa_s(tracker, domain, **arguments)

    create_states = shared_states(counted)
    tracker = conversation(domain)
    for _ in range(2):  # RulePolicy on the text, then on the intent
        create_states(tracker, domain, rule_only_data={"slots": []})
    create_states(tracker, domain, ignore_rule_only_turns=True, rule_only_data={"slots": []})  # MemoizationPolicy
    assert calls == [3, 3]
    tracker.update(ActionExecuted("action_listen"), domain)
    create_states(tracker, domain, rule_only_data={"slots": []})
    assert calls == [3, 3, 4]
