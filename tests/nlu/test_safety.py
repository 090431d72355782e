"""SuicideCueGuard: an explicit suicidal expression always gets the suicide-prevention answer."""

from __future__ import annotations

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY

from bot.cli.evaluate import CONFIG
from bot.nlu.normalizer import normalize
from bot.nlu.safety import SUICIDAL_INTENT, SuicideCueGuard, foreign_suicidal_cue, suicidal_cue
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


# Issue 20: the other languages people write in.
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I want to kill myself", "en"),
        ("i dont want to live anymore", "en"),
        ("I'm thinking about suicide", "en"),
        ("I'm not ok, I want to end my life", "en"),
        ("quiero quitarme la vida", "es"),
        ("me voy a matar", "es"),
        ("não quero mais viver", "pt"),
        ("vou me matar", "pt"),
        ("voglio farla finita", "it"),
        ("ich will mich umbringen", "de"),
        ("ich will nicht mehr leben", "de"),
        ("kendimi öldürmek istiyorum", "tr"),
        ("vreau să mă sinucid", "ro"),
        ("chcę się zabić", "pl"),
        ("я хочу покончить с собой", "ru"),
        ("хочу померти", "uk"),
        ("أريد أن أنتحر", "ar"),
        ("بغيت نموت", "ar"),
        ("bghit nmout", "ar-latn"),
        ("ghadi nqtel rasi", "ar-latn"),
        ("nalingi kokufa", "ln"),
    ],
)
def test_explicit_expressions_in_other_languages(text: str, lang: str) -> None:
    found = foreign_suicidal_cue(text)
    assert found is not None and found[0] == lang


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal, I just want my money",
        "I don't want to die, I want to be paid",
        "I would never kill myself",
        "no quiero morir",
        "nie chcę umrzeć",
        "لا أريد أن أموت",
        "Hello, when will I be paid?",
        "ça va me tuer cette histoire",
        "je suis mort de rire",
    ],
)
def test_no_cue_in_other_languages(text: str) -> None:
    assert foreign_suicidal_cue(text) is None


@pytest.mark.parametrize("text", ["ce dossier va me tuer", "tu vas me tuer avec tes questions", "ça va me tuer"])
def test_someone_else_killing_is_an_idiom(text: str) -> None:
    assert suicidal_cue(normalize(text).split()) is None


def test_a_foreign_cue_is_certain_and_carries_the_language(components: tuple) -> None:
    message = classified(components, "ya no puedo más, quiero quitarme la vida", [("out_of_scope", 0.9)])
    assert message.get(INTENT) == {"name": SUICIDAL_INTENT, "confidence": 1.0}
    assert [e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == "language"] == ["es"]
