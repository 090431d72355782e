"""HesitationGuard: a bare hesitation always gets the clarifying question, never an answer."""

from __future__ import annotations

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

from bot.cli.evaluate import CONFIG
from bot.nlu.hesitation import HesitationGuard, is_hesitation
from bot.nlu.normalizer import normalize
from tests.nlu.guard_harness import classified, guard_components

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.mark.parametrize(
    "text",
    [
        "euh",
        "Euuuuh...",
        "heu",
        "hein ?",
        "HEIN???",
        "hmm",
        "Hmmmm",
        "mmh",
        "hum hum",
        "bah",
        "ben",
        "pfff",
        "euh... hein ?",
    ],
)
def test_hesitations(text: str) -> None:
    assert is_hesitation(normalize(text).split())


@pytest.mark.parametrize(
    "text",
    [
        "euh oui",
        "hmm non",
        "ben non merci",
        "euh, cb je touche ce mois ?",
        "hum ok",
        "bof",
        "mouais",  # answers: a lukewarm no, a lukewarm yes
        "eu",
        "j'ai eu mon alloc",
        "m",
        "mm",  # « eu », « m' » and « mm » (« même ») are words
        "???",
        "",
        "ptdr",
    ],
)
def test_not_hesitations(text: str) -> None:
    assert not is_hesitation(normalize(text).split())


@pytest.fixture(scope="module")
def components(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return guard_components(tmp_path_factory.mktemp("storage"), HesitationGuard)


def test_a_hesitation_read_as_a_yes_loses_its_confidence(components: tuple) -> None:
    # « euh » came out as affirm at 0.30, a hair from the threshold: after the erasure question, a yes.
    message = classified(components, "euh", [("affirm", 0.31), ("deny", 0.2), ("out_of_scope", 0.1)])
    assert message.get(INTENT) == {"name": "affirm", "confidence": 0.0}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == [
        ("affirm", 0.0),
        ("deny", 0.0),
        ("out_of_scope", 0.0),
    ]


def test_other_messages_keep_the_classifier_s_answer(components: tuple) -> None:
    ranking = [("affirm", 0.7), ("deny", 0.2), ("thank", 0.1)]
    message = classified(components, "euh oui", ranking)
    assert message.get(INTENT) == {"name": "affirm", "confidence": 0.7}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == ranking


def test_the_guard_runs_after_the_other_guards_and_before_the_fallback() -> None:
    names = [step["name"] for step in yaml.safe_load(CONFIG.read_text())["pipeline"]]
    guard = names.index("bot.nlu.hesitation.HesitationGuard")
    assert names.index("bot.nlu.safety.SuicideCueGuard") < guard < names.index("FallbackClassifier")
