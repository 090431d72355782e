"""SuicideCueGuard: an explicit suicidal expression always gets the suicide-prevention answer."""

from __future__ import annotations

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

from bot.cli.evaluate import CONFIG
from bot.nlu.normalizer import normalize
from bot.nlu.safety import SUICIDAL_INTENT, SuicideCueGuard, suicidal_cue
from tests.nlu.guard_harness import classified, guard_components

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, depuis la fin de mes droits je n'arrive plus à payer mon loyer. Je pense à mettre fin à mes jours.",
        "Mon dossier est bloqué, je suis endetté et je ne vois plus qu'une solution : me suicider.",
        "si je touche pas mon alloc je me tue",
        "je touche pas mon alloc, je vais me tuer",
        "J'ai décidé d'en finir avec la vie",
        "jvais me foutre en l'air",
        "j'ai plus envie de vivre",
        "je pense au SUICIDE",
        "je vais m'ouvrir les veines",
    ],
)
def test_explicit_expressions(text: str) -> None:
    assert suicidal_cue(normalize(text).split()) is not None


@pytest.mark.parametrize(
    "text",
    [
        "je ne suis pas suicidaire mais j'ai plus rien à manger",
        "je n'ai jamais pensé au suicide",
        "j'ai pas envie de mourir, j'ai envie qu'on me paie",
        "ce boulot va me tuer à la tâche",
        "ça me tue ce site",
        "mdr tu me tues",
        "mort de rire",
        "je vais finir à la rue",
        "quand tombe mon chômage",
        "",
    ],
)
def test_no_cue(text: str) -> None:
    assert suicidal_cue(normalize(text).split()) is None


@pytest.fixture(scope="module")
def components(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return guard_components(tmp_path_factory.mktemp("storage"), SuicideCueGuard)


def test_the_rule_is_certain_and_beats_the_fallback(components: tuple) -> None:
    # Even a low top confidence (which the FallbackClassifier would turn into a clarifying question).
    message = classified(
        components,
        "plus d'argent pour le loyer, je pense à mettre fin à mes jours",
        [("express_distress", 0.25), ("ask_payment_date", 0.2), (SUICIDAL_INTENT, 0.15)],
    )
    assert message.get(INTENT) == {"name": SUICIDAL_INTENT, "confidence": 1.0}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == [
        (SUICIDAL_INTENT, 1.0),
        ("express_distress", 0.0),
        ("ask_payment_date", 0.0),
    ]


def test_other_messages_keep_the_classifier_s_answer(components: tuple) -> None:
    ranking = [("express_distress", 0.6), (SUICIDAL_INTENT, 0.3), ("out_of_scope", 0.1)]
    message = classified(components, "je ne suis pas suicidaire mais j'ai plus rien à manger", ranking)
    assert message.get(INTENT) == {"name": "express_distress", "confidence": 0.6}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == ranking


def test_the_guard_runs_after_the_classifiers_and_before_the_fallback() -> None:
    names = [step["name"] for step in yaml.safe_load(CONFIG.read_text())["pipeline"]]
    guard = names.index("bot.nlu.safety.SuicideCueGuard")
    assert names.index("bot.nlu.classifier.TfidfLogisticRegressionClassifier") < guard
    assert names.index("bot.nlu.scope.ScopeGuard") < guard < names.index("FallbackClassifier")
