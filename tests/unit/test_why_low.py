"""« Pourquoi si peu ? »: the decisive reason of a low amount comes first, within the five steps of the answer."""

from __future__ import annotations

import pytest

from actions.explanations import MAX_STEPS, level_of, topic_of

pytestmark = pytest.mark.unit


def step(label: str) -> dict:
    return {"label": label, "detail": f"détail de {label}"}


# In the file's order (bot/backend/rules): the calculation first, its floor last.
FILE = [
    step("Fin du dernier contrat"),
    step("Salaires retenus"),
    step("Jours retenus"),
    step("Salaire journalier de référence"),
    step("Calcul de l'allocation journalière"),
    step("Allocation minimale"),
    step("Allocation journalière brute"),
    step("Montant brut du mois"),
]


@pytest.mark.parametrize(
    "question",
    ["pourquoi c'est si peu ?", "c'est pas beaucoup, pourquoi ?", "pk c si faible", "pourquoi pas plus ?"],
)
def test_a_low_amount_is_a_topic_of_its_own(question):
    assert topic_of(question) == "low"


def test_the_minimum_is_said_first_when_it_raised_the_amount():
    said = level_of(FILE, "low", 1)
    assert said[0]["label"] == "Allocation minimale"
    assert len(said) == MAX_STEPS
    assert "Fin du dernier contrat" not in [s["label"] for s in said]


def test_deeper_levels_go_through_what_was_not_said():
    first, second = level_of(FILE, "low", 1), level_of(FILE, "low", 2)
    assert not {s["label"] for s in first} & {s["label"] for s in second}
    assert "Fin du dernier contrat" in [s["label"] for s in second]
