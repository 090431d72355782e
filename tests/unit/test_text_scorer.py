"""TextScorer gives the pipeline's own probabilities, on the clause and knowledge models' shape."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline, make_union

from bot.nlu.knowledge import build_model
from bot.nlu.normalizer import normalize
from bot.nlu.text_scorer import TextScorer, scorer_for

pytestmark = pytest.mark.unit

TRAINING = {
    "payment": ["quand je suis paye", "date du paiement", "c est quand le virement", "je touche quand"],
    "amount": ["combien je touche", "montant de mon allocation", "ca fait combien par jour", "combien en net"],
    "declaration": ["comment faire mon actualisation", "declarer mes heures", "jusqu a quand declarer"],
    "human": ["parler a un conseiller", "je veux un humain", "appeler quelqu un"],
}
TEXTS = [
    "et quand je suis payée ?",
    "combien",
    "",
    "zzzz qqqq",  # nothing known: a row of zeros
    "je veux parler a un conseiller pour declarer mes heures, combien je touche et quand",
    "COMBIEN en NET ??? 1200 €",
]


def trained(pipeline):
    texts = [t for examples in TRAINING.values() for t in examples]
    labels = [label for label, examples in TRAINING.items() for _ in examples]
    return pipeline.fit(texts, labels)


@pytest.mark.parametrize(
    "pipeline",
    [
        build_model(random_state=0, C=10.0),  # the knowledge selector's
        make_pipeline(  # the clause reader's (min_df drops rare n-grams)
            make_union(
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
                TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"),
            ),
            LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced", random_state=0),
        ),
    ],
)
def test_the_probabilities_are_the_pipeline_s(pipeline) -> None:
    model = trained(pipeline)
    scorer = scorer_for(model)
    assert isinstance(scorer, TextScorer)
    texts = [normalize(t) for t in TEXTS]
    assert np.allclose(scorer.predict_proba(texts), model.predict_proba(texts), atol=1e-12)
    assert list(scorer.classes_) == list(model.classes_)
    for text in texts:  # one at a time, as the components call it too
        assert np.allclose(scorer.predict_proba([text]), model.predict_proba([text]), atol=1e-12)


def test_a_pipeline_of_another_shape_is_used_as_it_is() -> None:
    two_classes = make_pipeline(make_union(TfidfVectorizer()), LogisticRegression()).fit(
        ["oui", "non", "oui oui", "non non"], ["a", "b", "a", "b"]
    )
    weighted = make_pipeline(
        FeatureUnion(
            [("words", TfidfVectorizer()), ("chars", TfidfVectorizer(analyzer="char"))],
            transformer_weights={"words": 2.0},
        ),
        LogisticRegression(),
    )
    weighted = trained(weighted)
    for pipeline in (two_classes, weighted, None):
        assert scorer_for(pipeline) is pipeline
