"""The scikit-learn models of the archive come back as they were fitted, and a file naming a type outside the
trusted ones is refused (``bot.nlu.stored_models``): a tampered archive must not run code."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from bot.nlu import stored_models

TEXTS = ["quand suis-je payé", "combien je touche", "date du paiement", "montant de mon allocation"]
LABELS = ["date", "montant", "date", "montant"]


def _shout(texts):  # a function of this test module: skops must not trust it
    return [text.upper() for text in texts]


def test_a_fitted_tfidf_pipeline_comes_back_with_the_same_predictions(tmp_path):
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(random_state=0)).fit(TEXTS, LABELS)
    path = tmp_path / "model.skops"
    stored_models.dump(model, path)

    loaded = stored_models.load(path, "de test")

    probe = ["c'est quand le paiement", "je touche combien"]
    assert list(loaded.predict(probe)) == list(model.predict(probe))
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe))


def test_a_file_naming_an_untrusted_function_is_refused_with_its_name(tmp_path):
    model = make_pipeline(FunctionTransformer(_shout), TfidfVectorizer(), LogisticRegression()).fit(TEXTS, LABELS)
    path = tmp_path / "tampered.skops"
    stored_models.dump(model, path)

    with pytest.raises(ValueError, match=r"Types inattendus dans le modèle de test.*_shout"):
        stored_models.load(path, "de test")
