"""AnswerGuard: a yes or a no said with thanks is the answer, an acknowledgement with thanks is thanks."""

from __future__ import annotations

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

from bot.cli.evaluate import CONFIG, NLU_DATA, load_examples
from bot.nlu.answers import AnswerGuard, answer_with_thanks
from bot.nlu.normalizer import normalize
from tests.nlu.guard_harness import classified, guard_components

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Cross-validation read each of these as thank: « merci » outweighed the yes or the no.
        ("yes merci", "affirm"),
        ("ouai merci bcp", "affirm"),
        ("Oui svp, merci", "affirm"),
        ("oui s'il vous plaît, merci d'avance", "affirm"),
        ("ouais merci c'est gentil", "affirm"),
        ("nn merci", "deny"),
        ("no merci", "deny"),
        ("Non non, ça ira, merci quand même !", "deny"),
        ("nan c'est bon merci", "deny"),
        ("OUI MERCIII", "affirm"),
        # An acknowledgement is not a yes: an erasure is never confirmed by « d'accord merci ».
        ("d'accord merci", "thank"),
        ("ok merci", "thank"),
        ("ok ça marche, merci à vous", "thank"),
        ("super, merci beaucoup", "thank"),
    ],
)
def test_short_answers_with_thanks_follow_the_labelling_rule(text: str, intent: str) -> None:
    assert answer_with_thanks(normalize(text).split()) == intent


@pytest.mark.parametrize(
    "text",
    [
        "merci",
        "merci beaucoup",  # thanks alone: the classifier's, it knows them well
        "oui",
        "non",
        "ok",  # no thanks: the classifier's
        "merci au revoir",
        "bonne soirée et merci",
        "oui merci, bonne journée",  # farewells are goodbye
        "oui merci, vous pouvez supprimer",
        "non merci, mais pourquoi mon montant a baissé ?",  # more than an answer
        "oui non merci",  # a yes and a no: nothing to decide on
        "merci pour votre aide",
    ],
)
def test_other_messages_are_left_to_the_classifier(text: str) -> None:
    assert answer_with_thanks(normalize(text).split()) is None


def test_every_training_example_it_reads_already_has_its_label() -> None:
    # The guard writes down the labelling rule; it must agree with every example that the rule covers.
    covered = [
        (text, intent, answer_with_thanks(normalize(text).split()))
        for path in sorted(NLU_DATA.glob("*.yml"))
        for text, intent in load_examples(path)
    ]
    covered = [(text, intent, answer) for text, intent, answer in covered if answer is not None]
    assert len(covered) >= 30
    assert [(text, intent, answer) for text, intent, answer in covered if answer != intent] == []


@pytest.fixture(scope="module")
def components(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return guard_components(tmp_path_factory.mktemp("storage"), AnswerGuard)


def test_a_yes_with_thanks_read_as_thanks_becomes_the_yes(components: tuple) -> None:
    message = classified(components, "yes merci", [("thank", 0.93), ("affirm", 0.05), ("goodbye", 0.02)])
    assert message.get(INTENT) == {"name": "affirm", "confidence": 1.0}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == [
        ("affirm", 1.0),
        ("thank", 0.0),
        ("goodbye", 0.0),
    ]


def test_other_messages_keep_the_classifier_s_answer(components: tuple) -> None:
    ranking = [("thank", 0.8), ("goodbye", 0.15), ("affirm", 0.05)]
    message = classified(components, "merci pour votre aide", ranking)
    assert message.get(INTENT) == {"name": "thank", "confidence": 0.8}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == ranking


def test_the_guard_runs_after_the_other_guards_and_before_the_fallback() -> None:
    names = [step["name"] for step in yaml.safe_load(CONFIG.read_text())["pipeline"]]
    guard = names.index("bot.nlu.answers.AnswerGuard")
    assert names.index("bot.nlu.hesitation.HesitationGuard") < guard < names.index("FallbackClassifier")
