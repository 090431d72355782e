"""Intent classifier: Rasa's logistic regression, with TF-IDF weighting and a chosen regularisation.

Rasa 3.6's ``LogisticRegressionClassifier`` fits raw n-gram counts with sklearn's
default C=1, which under-fits our 28 intents of varied, short French messages
(cross-validation and the held-out set agree: see docs/evaluation.md). Here the
same sparse features go through a sublinear TF-IDF weighting first, and C is a
setting. It trains in seconds, where DIET took 11 minutes to train here for a
lower held-out accuracy.

With ``vector_weight`` > 0, a second logistic regression reads the pooled word vectors of the
message (mean, maximum, minimum: ``bot/nlu/vectors.py``) and its probabilities are blended in: words that no training
example contains still count through their neighbours (« carrément » near « absolument »).

Each featurizer's block of n-grams (words 1–2, characters 2–5) gets its own TF-IDF
weighting and its own l2 norm (``featurizer_blocks``, a ``ColumnTransformer``). With one
norm over the whole row, a message's fifty-odd character n-grams took almost all of it
and its handful of words next to nothing: in a replica of the cross-validation the
separate norms gave 0.947 macro F1 against 0.941 for the single one (docs/nlu.md).

Answering goes through ``LinearScorer``: the same arithmetic as the fitted
sklearn pipeline (TF-IDF weighting, l2 norm, linear scores, softmax) on the
message's own sparse row, without Rasa's matrix stacking and sklearn's input
checks, which cost 4 ms of the 9 ms of a whole NLU parse (0.3 ms now).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from bot.nlu import stored_models, vectors
from bot.nlu.normalizer import message_words


class LinearScorer:
    """``pipeline.predict_proba`` for one sparse row, computed directly from the fitted parameters.

    The pipeline is a TF-IDF weighting (one ``TfidfTransformer``, or one per featurizer block in a
    ``ColumnTransformer``) and a multinomial logistic regression.
    """

    def __init__(self, pipeline: Any):
        weighting, regression = pipeline[0], pipeline[-1]
        # (start, end, sublinear, idf or None, norm) of each block of columns, in order.
        self.blocks = [
            (start, end, tfidf.sublinear_tf, tfidf.idf_ if tfidf.use_idf else None, tfidf.norm)
            for start, end, tfidf in _tfidf_blocks(weighting)
        ]
        self.coef_t = np.ascontiguousarray(regression.coef_.T)
        self.intercept = regression.intercept_
        self.classes = regression.classes_

    @staticmethod
    def supports(pipeline: Any) -> bool:
        """Multinomial logistic regression after TF-IDF l2 (or no) norms: what ``probabilities`` computes."""
        if len(pipeline) != 2 or not hasattr(pipeline[-1], "coef_"):
            return False
        regression = pipeline[-1]
        ovr = regression.multi_class in ("ovr", "warn") or (
            regression.multi_class == "auto" and (regression.classes_.size <= 2 or regression.solver == "liblinear")
        )
        blocks = _tfidf_blocks(pipeline[0])
        return (
            not ovr
            and blocks is not None
            and all(tfidf.norm in ("l2", None) for _, _, tfidf in blocks)
            and blocks[-1][1] == regression.coef_.shape[1]
        )

    def probabilities(self, row: sp.spmatrix) -> np.ndarray:
        row = sp.csr_matrix(row, dtype=np.float64)  # a copy, duplicates summed
        row.sum_duplicates()
        values, columns = row.data.copy(), row.indices
        for start, end, sublinear, idf, norm in self.blocks:
            inside = (columns >= start) & (columns < end)
            block = values[inside]
            if sublinear:
                block = np.log(block) + 1
            if idf is not None:
                block = block * idf[columns[inside] - start]
            if norm == "l2":
                length = np.sqrt(np.dot(block, block))
                if length > 0:
                    block = block / length
            values[inside] = block
        scores = values @ self.coef_t[columns] + self.intercept
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()


def featurizer_blocks(widths: list[int]) -> ColumnTransformer:
    """A sublinear TF-IDF weighting and an l2 norm for each featurizer's block of columns, in order."""
    transformers, start = [], 0
    for index, width in enumerate(widths):
        if width:
            transformers.append((f"block{index}", TfidfTransformer(sublinear_tf=True), np.arange(start, start + width)))
        start += width
    return ColumnTransformer(transformers, sparse_threshold=1.0)


def _tfidf_blocks(weighting: Any) -> list[tuple[int, int, TfidfTransformer]] | None:
    """(start, end, transformer) of each block that ``weighting`` weighs, or None if it is not
    a TF-IDF (or contiguous, ordered, complete blocks of TF-IDF) that ``LinearScorer`` can reproduce."""
    if isinstance(weighting, TfidfTransformer):
        return [(0, weighting.n_features_in_, weighting)]
    if not isinstance(weighting, ColumnTransformer) or not hasattr(weighting, "transformers_"):
        return None
    blocks, end = [], 0
    for _, transformer, columns in weighting.transformers_:
        if isinstance(transformer, str) and len(np.atleast_1d(columns)) == 0:  # an empty remainder
            continue
        columns = np.asarray(columns)
        if (
            not isinstance(transformer, TfidfTransformer)
            or columns.dtype.kind not in "iu"
            or columns.size == 0
            or not np.array_equal(columns, np.arange(end, end + columns.size))
        ):
            return None
        blocks.append((end, end + columns.size, transformer))
        end += columns.size
    return blocks or None


def softmax_scores(features: np.ndarray, regression: LogisticRegression) -> np.ndarray:
    """``regression.predict_proba`` of one dense row, without sklearn's input checks.

    lbfgs fits a multinomial model (a softmax) for three classes or more, a logistic one for two.
    """
    scores = features @ regression.coef_.T + regression.intercept_
    if regression.coef_.shape[0] == 1:
        positive = 1.0 / (1.0 + np.exp(-scores[0]))
        return np.array([1.0 - positive, positive])
    scores = np.exp(scores - scores.max())
    return scores / scores.sum()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TfidfLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 10.0,
            "max_iter": 3000,
            "vector_weight": 0.0,
            "vector_C": 100.0,
        }

    def __init__(self, config: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.clf = make_pipeline(
            TfidfTransformer(sublinear_tf=True),
            LogisticRegression(
                C=float(self.config["C"]),
                solver=self.config["solver"],
                max_iter=self.config["max_iter"],
                tol=self.config["tol"],
                random_state=self.config["random_state"],
                class_weight="balanced",
            ),
        )
        self.vector_weight = float(self.config["vector_weight"])
        self.word_vectors: vectors.WordVectors | None = None
        self.vector_clf: LogisticRegression | None = None

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa's training cache fingerprints this class's source only: the helpers of this module,
        # the vector table's code and the vectors' package must also retrain the classifier.
        return _SOURCE_FINGERPRINT + ("/" + _package_version() if float(config.get("vector_weight", 0)) > 0 else "")

    def train(self, training_data: TrainingData) -> Resource:
        """The n-gram model (Rasa's training), then, with ``vector_weight`` > 0, the vector model."""
        if self.vector_weight > 0:
            examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
            if examples:
                self.word_vectors = vectors.from_package()
                features = np.vstack([self.word_vectors.features(message_words(e)) for e in examples])
                self.vector_clf = LogisticRegression(
                    C=float(self.config["vector_C"]),
                    max_iter=self.config["max_iter"],
                    tol=self.config["tol"],
                    random_state=self.config["random_state"],
                    class_weight="balanced",
                ).fit(features, [e.get(INTENT) for e in examples])
        widths = _featurizer_widths(training_data)
        if widths:
            self.clf.steps[0] = ("columntransformer", featurizer_blocks(widths))
        return super().train(training_data)  # fits self.clf, then calls persist()

    def persist(self) -> None:
        super().persist()
        if self.vector_clf is None or self.word_vectors is None:
            return
        with self._model_storage.write_to(self._resource) as model_dir:
            stored_models.dump(self.vector_clf, model_dir / "vector_classifier.skops")
            self.word_vectors.save(model_dir)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfLogisticRegressionClassifier:
        """Load the fitted models; fail loudly rather than answer with an untrained or partial model.

        skops only trusts types it knows (``stored_models``): anything else in a file is refused.
        """
        component = cls(config, execution_context.node_name, model_storage, resource)
        with model_storage.read_from(resource) as model_dir:
            component.clf = stored_models.load(model_dir / f"{resource.name}.skops", "d'intention")
            if component.vector_weight > 0:
                component.vector_clf = stored_models.load(
                    model_dir / "vector_classifier.skops", "d'intention (vecteurs)"
                )
                component.word_vectors = vectors.WordVectors.load(model_dir)
                if list(component.vector_clf.classes_) != list(component.clf.classes_):
                    raise ValueError("Les deux modèles d'intention n'ont pas les mêmes intentions")
        return component

    def probabilities(self, message: Message) -> np.ndarray:
        """The blended intent probabilities of one message, in the order of ``self.clf.classes_``."""
        scorer = getattr(self, "_scorer", None)
        if scorer is None:
            scorer = self._scorer = LinearScorer(self.clf) if LinearScorer.supports(self.clf) else False
        sparse = message.get_sparse_features(attribute=TEXT)[1]
        dense = message.get_dense_features(attribute=TEXT)[1]
        if scorer and sparse is not None and dense is None:
            result = scorer.probabilities(sparse.features)
        else:  # not our pipeline's features: Rasa's own way
            result = self.clf.predict_proba(self._create_X([message]))[0]
        if self.vector_clf is not None and self.word_vectors is not None:
            features = self.word_vectors.features(message_words(message))
            result = (1 - self.vector_weight) * result + self.vector_weight * softmax_scores(features, self.vector_clf)
        return result

    def process(self, messages: list[Message]) -> list[Message]:
        """The intent and its ranking, as Rasa's ``process`` sets them."""
        classes = self.clf.classes_
        for message in messages:
            probabilities = self.probabilities(message)
            order = np.argsort(-probabilities, kind="stable")  # Rasa sorts stably on -confidence too
            ranking = [{"name": classes[index], "confidence": float(probabilities[index])} for index in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


def _featurizer_widths(training_data: TrainingData) -> list[int]:
    """The width of each featurizer's sentence block in the rows that Rasa stacks, in its order."""
    for example in training_data.intent_examples:
        blocks = [
            f.features.shape[1]
            for f in example.features
            if f.attribute == TEXT and f.is_sparse() and f.type == FEATURE_TYPE_SENTENCE
        ]
        if blocks:
            return blocks
    return []


def _package_version() -> str:
    from importlib.metadata import version

    return f"{vectors.PACKAGE}=={version(vectors.PACKAGE)}"


_SOURCE_FINGERPRINT = hashlib.sha256(
    b"".join((Path(__file__).parent / name).read_bytes() for name in ("classifier.py", "vectors.py"))
).hexdigest()
