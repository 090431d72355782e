"""Clauses of a message: sentences, then « et »/« puis » between parts of a few words (bot/nlu/clauses.py)."""

from __future__ import annotations

import pytest

from bot.nlu.clauses import question_part, sentences, split_clauses

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "c'est combien mon allocation et c'est versé quand ?",
            ["c'est combien mon allocation", "c'est versé quand ?"],
        ),
        ("Quand se termine mon droit ? Et mon actualisation, elle est passée ?", 2),
        ("je voudrais le montant puis la date du virement svp", ["je voudrais le montant", "la date du virement svp"]),
        ("combien en brut et en net", ["combien en brut et en net"]),  # « en net » is no clause of its own
        ("euh alors voilà je voulais savoir quand je serai payé en fait", 1),
        ("", []),
    ],
)
def test_split(text: str, clauses: list[str] | int) -> None:
    found = split_clauses(text)
    if isinstance(clauses, int):
        assert len(found) == clauses
    else:
        assert [c.text for c in found] == clauses


def test_offsets_point_into_the_original_text() -> None:
    text = "Bonjour. Mon paiement est bloqué, et comment je mets à jour mon RIB ?"
    for clause in split_clauses(text):
        assert text[clause.start : clause.end] == clause.text


def test_a_text_without_punctuation_is_one_sentence() -> None:
    assert len(sentences("oui bonjour c'est pour savoir pourquoi j'ai rien reçu ce mois ci")) == 1


def test_the_question_of_a_long_message_is_its_question_sentences() -> None:
    story = (
        "J'ai travaillé six ans dans la même entreprise. Mon contrat s'est terminé en janvier. "
        "J'envoie mes actualisations chaque mois. Est-ce que vous pourriez me dire combien je vais toucher ? "
        "Merci d'avance."
    )
    assert question_part(story) == "Est-ce que vous pourriez me dire combien je vais toucher ?"
    assert question_part("J'ai travaillé six ans. Mon contrat s'est terminé.") is None
