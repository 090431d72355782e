"""ScopeGuard: a question about another administration never keeps an allowance intent.

Unit tests of the lexicon rule (``foreign_need``) and of the component on Rasa
``Message`` objects, then a tiny model trained through the default recipe: the
guard runs after the classifier and before the ``FallbackClassifier``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

from bot.cli.evaluate import ALLOWANCE_ANSWERS
from bot.nlu.normalizer import normalize
from bot.nlu.scope import ALLOWANCE_INTENTS, ScopeGuard, foreign_need
from tests.nlu import pipeline
from tests.nlu.guard_harness import classified, guard_components

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quand tombe ma retraite", "out_of_scope"),
        ("Les IMPÔTS m'ont prélevé trop", "out_of_scope"),
        ("la cpam rembourse quand", "out_of_scope"),
        ("combien il me reste sur mon crédit auto", "out_of_scope"),
        ("ma bourse du crous est en retard", "out_of_scope"),
        ("ma banque me facture des frais, pourquoi", "out_of_scope"),
        ("le rsa tombe quand", "ask_other_benefit"),
        ("cb d'APL ce mois", "ask_other_benefit"),
        ("l'allocation logement a baissé", "ask_other_benefit"),
        ("la caf et les impots me reclament de l'argent", "ask_other_benefit"),
        # "mes droits" is the CAF's when a CAF benefit is named, the pension fund's in "droits à la retraite".
        ("mes droits caf c'est jusqu'a quand", "ask_other_benefit"),
        ("combien de trimestres pour mes droits à la retraite", "out_of_scope"),
        ("j'ai droit à une pension de réversion ?", "out_of_scope"),
    ],
)
def test_other_organisations(text: str, expected: str) -> None:
    assert foreign_need(normalize(text).split()) == expected


@pytest.mark.parametrize(
    "text",
    [
        "cb je touche ce mois",
        "je suis prêt à reprendre, ça change quoi pour mon alloc",  # "prêt" as in ready
        "la CAF me demande mon attestation France Travail",
        "ma retraite complémentaire est retenue sur mon ARE ?",
        "ma banque n'a rien reçu de France Travail",
        "j'ai changé de banque, voici mon nouveau RIB",
        # The ARE ends at retirement: a question about the end of one's rights is ours.
        "je pars a la retraite en mars, mes droits s'arretent quand ?",
        "départ en retraite en juin, c'est la fin de mes droits ?",
        "mon chômage et mes APL ont baissé",
        "",
    ],
)
def test_allowance_or_nothing_named(text: str) -> None:
    assert foreign_need(normalize(text).split()) is None


def test_guarded_intents_are_the_allowance_answers() -> None:
    assert ALLOWANCE_INTENTS == ALLOWANCE_ANSWERS


@pytest.fixture(scope="module")
def components(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return guard_components(tmp_path_factory.mktemp("storage"), ScopeGuard)


def test_guard_swaps_the_confidences(components: tuple) -> None:
    message = classified(
        components,
        "ma pension de réversion est versée quel jour",
        [("ask_payment_date", 0.8), ("ask_rights_duration", 0.15), ("out_of_scope", 0.05)],
    )
    assert message.get(INTENT) == {"name": "out_of_scope", "confidence": 0.8}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == [
        ("out_of_scope", 0.8),
        ("ask_rights_duration", 0.15),
        ("ask_payment_date", 0.05),
    ]


def test_guard_ranks_the_target_even_when_the_ranking_left_it_out(components: tuple) -> None:
    message = classified(
        components, "pk les impots m'ont preleve 200 euros", [("ask_amount_difference", 0.9), ("ask_overpayment", 0.1)]
    )
    assert message.get(INTENT) == {"name": "out_of_scope", "confidence": 0.9}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == [
        ("out_of_scope", 0.9),
        ("ask_overpayment", 0.1),
        ("ask_amount_difference", 0.0),
    ]


@pytest.mark.parametrize(
    ("text", "ranking"),
    [
        # Not an allowance intent: left to the classifier (the followups, distress, small talk).
        ("et après impôt ?", [("followup_net_gross", 0.7), ("out_of_scope", 0.3)]),
        ("la banque me menace, j'ai plus rien", [("express_distress", 0.9), ("out_of_scope", 0.1)]),
        # An allowance intent on an allowance message.
        ("quand tombe mon chômage", [("ask_payment_date", 0.9), ("out_of_scope", 0.1)]),
    ],
)
def test_guard_leaves_other_messages(components: tuple, text: str, ranking: list[tuple[str, float]]) -> None:
    message = classified(components, text, ranking)
    assert message.get(INTENT)["name"] == ranking[0][0]
    assert [e["name"] for e in message.get(INTENT_RANKING_KEY)] == [name for name, _ in ranking]


async def test_trained_pipeline_routes_other_administrations(tmp_path: Path) -> None:
    agent = pipeline.agent(
        tmp_path,
        [
            {"name": "bot.nlu.classifier.TfidfLogisticRegressionClassifier", "random_state": 42},
            "bot.nlu.scope.ScopeGuard",
            {"name": "FallbackClassifier", "threshold": 0.2},
        ],
        {
            "ask_payment_date": ["quand est versée mon allocation", "qd tombe le paiement", "c'est quand le versement"],
            "out_of_scope": ["quel temps fait il", "raconte une blague", "une recette de crepes"],
        },
    )

    ours = await agent.parse_message("qd est versé le paiement de mon allocation")
    assert ours["intent"]["name"] == "ask_payment_date"
    theirs = await agent.parse_message("qd est versée ma pension")
    assert theirs["intent"]["name"] == "out_of_scope"
    assert theirs["intent_ranking"][0]["name"] == "out_of_scope"
    assert theirs["text"] == "qd est versée ma pension"
