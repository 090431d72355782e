"""Clauses of a message: sentences, then « et »/« puis » between parts of a few words (bot/nlu/clauses.py)."""

from __future__ import annotations

import pytest

from bot.nlu.clauses import question_part, readings, sentences, split_clauses

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


def test_a_clause_that_goes_on_with_the_one_before_is_read_with_it() -> None:
    text = "je voudrais savoir jusqu'à quand j'ai droit à l'allocation, et ce qui se passe ensuite si je trouve rien"
    clauses = split_clauses(text)
    assert [c.text for c in clauses] == [
        "je voudrais savoir jusqu'à quand j'ai droit à l'allocation",
        "ce qui se passe ensuite si je trouve rien",
    ]
    assert readings(clauses) == [clauses[0].text, f"{clauses[0].text} {clauses[1].text}"]
    both = split_clauses("combien je touche ce mois-ci et quand est-ce que je serai payé ?")
    assert readings(both) == [c.text for c in both]  # two questions of their own: each read alone


def trained_reader(tmp_path, examples: dict[str, list[str]]):
    """A ClauseReader trained on ``examples`` (intent: texts) alone, in ``tmp_path``."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.clauses import ClauseReader

    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in examples.items() for t in texts])
    reader = ClauseReader.create({}, LocalModelStorage(tmp_path), Resource("clauses"), None)  # type: ignore[arg-type]
    reader.train(data)
    return reader


def test_a_long_story_read_for_its_question_keeps_its_ranking_in_order(tmp_path) -> None:
    """The question's need leads the ranking, at least as sure as the classifier's reading of the story, so that
    the fallback does not take a ranking out of order for an ambiguous message (the clarifying question)."""
    from rasa.shared.nlu.training_data.message import Message

    examples = {
        "ask_amount_difference": [
            "pourquoi j'ai touché moins ce mois-ci",
            "pourquoi mon paiement est plus bas",
            "j'ai reçu moins que d'habitude pourquoi",
            "pourquoi si peu le mois dernier",
        ],
        "ask_how_to_declare_work": [
            "comment déclarer mes heures d'intérim",
            "je dois déclarer mon travail où",
            "comment je déclare une mission",
            "où mettre mon salaire dans l'actualisation",
        ],
    }
    reader = trained_reader(tmp_path, examples)
    story = (
        "Le mois dernier j'ai fait des missions d'intérim et je les ai déclarées dans mon actualisation avec "
        "le salaire de l'agence, comme on me l'a dit, en remplissant bien toutes les cases du formulaire. "
        "Là je regarde mon compte et il y a bien moins que prévu. Pourquoi j'ai touché si peu ?"
    )
    message = Message(data={"text": story})
    message.set("intent", {"name": "ask_how_to_declare_work", "confidence": 0.75})
    message.set(
        "intent_ranking",
        [
            {"name": "ask_how_to_declare_work", "confidence": 0.75},
            {"name": "ask_amount_difference", "confidence": 0.2},
        ],
    )
    (read,) = reader.process([message])
    ranking = read.get("intent_ranking")
    assert read.get("intent")["name"] == "ask_amount_difference" == ranking[0]["name"]
    assert read.get("intent")["confidence"] >= 0.75
    confidences = [r["confidence"] for r in ranking]
    assert confidences == sorted(confidences, reverse=True)


def _reader(tmp_path):

    examples = {
        "ask_allowance_amount": [
            "combien je vais toucher",
            "c'est quoi le montant de mon allocation",
            "je touche combien ce mois",
            "combien on va me verser",
        ],
        "ask_why": ["pourquoi", "pourquoi c'est comme ça", "pourquoi si tard", "mais pourquoi donc"],
        "thank": ["merci beaucoup", "merci bien", "super merci", "merci à vous"],
        "deny": ["non pas du tout", "non c'est pas ça", "non ce n'est pas ma question", "non pas vraiment"],
        "ask_payment_date": [
            "quand je serai payé",
            "c'est quand le paiement",
            "je suis payée quand",
            "date du virement",
        ],
    }
    return trained_reader(tmp_path, examples)


def _read(reader, text: str, intent: str):
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.66})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.66}, {"name": "thank", "confidence": 0.1}])
    (read,) = reader.process([message])
    return read.get("intent")["name"], [r["name"] for r in read.get("intent_ranking")]


def test_a_need_asked_with_its_why_is_the_intent_the_why_is_about(tmp_path) -> None:
    """« combien je touche et pourquoi c'est si peu ? » read whole is a bare why; its amount is what it asks."""
    reader = _reader(tmp_path)
    intent, ranking = _read(reader, "combien je touche et pourquoi c'est si peu ?", "ask_why")
    assert intent == "ask_allowance_amount" == ranking[0]
    assert ranking.count("ask_allowance_amount") == 1


def test_a_why_without_a_need_or_a_need_without_a_why_is_left_as_read(tmp_path) -> None:
    reader = _reader(tmp_path)
    assert _read(reader, "pourquoi c'est si peu ?", "ask_why")[0] == "ask_why"  # one clause: a follow-up
    assert _read(reader, "pourquoi c'est comme ça et merci beaucoup", "ask_why")[0] == "ask_why"
    assert (
        _read(reader, "combien je vais toucher et merci beaucoup", "ask_allowance_amount")[0] == "ask_allowance_amount"
    )


def test_a_no_said_with_the_question_asked_again_is_that_question(tmp_path) -> None:
    reader = _reader(tmp_path)
    text = "non c'est pas ça que je demandais, je voulais savoir quand je serai payée"
    assert [c.text for c in split_clauses(text)] == [
        "non c'est pas ça que je demandais",
        "je voulais savoir quand je serai payée",
    ]
    assert _read(reader, text, "deny")[0] == "ask_payment_date"
    assert _read(reader, "non pas du tout et merci beaucoup", "deny")[0] == "deny"  # no need in it
