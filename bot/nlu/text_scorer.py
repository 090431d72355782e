"""``predict_proba`` of a TF-IDF text pipeline, computed from its fitted parameters.

The clause reader (``bot.nlu.clauses``) and the knowledge selector (``bot.nlu.knowledge``) each hold a
scikit-learn pipeline: a ``FeatureUnion`` of ``TfidfVectorizer`` (characters, words) and a multinomial
logistic regression. scikit-learn 1.1 spends most of such a prediction on a few short texts outside the
arithmetic: the logistic regression multiplies the sparse features by ``coef_.T``, a transposed view that
scipy copies whole at each call (classes × features, about 6 MB for the clause model); the union goes
through joblib; each vectorizer checks that it is fitted by rebuilding its idf vector. The profile of
the Rasa server (``bot.bench.profile``) put those three at about 5 % of its CPU per message.

``TextScorer`` keeps what the pipeline computes (the vectorizers' counts, sublinear tf, idf, l2 norm,
the softmax of the regression) and does it once per call on arrays prepared at load: the same
probabilities (``tests/unit/test_text_scorer.py`` compares them with the pipeline's). A pipeline of
another shape is used as it is (``scorer_for``).
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer


class TextScorer:
    """Probabilities of a ``make_pipeline(make_union(TfidfVectorizer, ...), LogisticRegression)``."""

    def __init__(self, pipeline: Any):
        union, regression = pipeline[0], pipeline[-1]
        # (vectorizer, sublinear, idf or None, l2 norm) per block of columns, in the union's order.
        self.blocks = [
            (vectorizer, vectorizer.sublinear_tf, vectorizer.idf_ if vectorizer.use_idf else None, vectorizer.norm)
            for _, vectorizer in union.transformer_list
        ]
        self.coef = regression.coef_  # what the scorer was built from (``scorer_for``)
        self.coef_t = np.ascontiguousarray(regression.coef_.T)
        self.intercept = regression.intercept_
        self.classes_ = regression.classes_

    @staticmethod
    def supports(pipeline: Any) -> bool:
        """Two steps: a union of TF-IDF vectorizers (l2 or no norm, no weights) and a softmax regression."""
        try:
            union, regression = pipeline[0], pipeline[-1]
            steps = len(pipeline)
        except (TypeError, IndexError, KeyError):
            return False
        if steps != 2 or not hasattr(regression, "coef_") or not hasattr(union, "transformer_list"):
            return False
        vectorizers = [v for _, v in union.transformer_list]
        multinomial = regression.classes_.size > 2 and (
            regression.multi_class == "multinomial"
            or (regression.multi_class == "auto" and regression.solver != "liblinear")
        )
        return (
            multinomial
            and union.transformer_weights is None
            and bool(vectorizers)
            and all(type(v) is TfidfVectorizer and v.norm in ("l2", None) for v in vectorizers)
            and sum(len(v.vocabulary_) for v in vectorizers) == regression.coef_.shape[1]
        )

    def _features(self, texts: list[str]) -> sp.csr_matrix:
        blocks = []
        for vectorizer, sublinear, idf, norm in self.blocks:
            counts = CountVectorizer.transform(vectorizer, texts).astype(np.float64)  # the counts, no tf-idf
            data = counts.data
            if sublinear:
                np.log(data, out=data)
                data += 1
            if idf is not None:
                data *= idf[counts.indices]
            if norm == "l2":
                rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
                lengths = np.sqrt(np.bincount(rows, weights=data * data, minlength=counts.shape[0]))
                data /= lengths[rows]  # every stored value is > 0 (counts ≥ 1, idf ≥ 1): no row of length 0 here
            blocks.append(counts)
        return sp.hstack(blocks, format="csr")

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        scores = self._features(texts) @ self.coef_t + self.intercept
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)


_SCORERS: weakref.WeakKeyDictionary[Any, TextScorer] = weakref.WeakKeyDictionary()


def scorer_for(pipeline: Any) -> Any:
    """A ``TextScorer`` for ``pipeline`` when it has the shape it reproduces, else ``pipeline`` itself.

    Built once per fitted pipeline (a pipeline fitted again has a new ``coef_``, and gets a new scorer)."""
    if pipeline is None or not TextScorer.supports(pipeline):
        return pipeline
    scorer = _SCORERS.get(pipeline)
    if scorer is None or scorer.coef is not pipeline[-1].coef_:
        scorer = _SCORERS[pipeline] = TextScorer(pipeline)
    return scorer
