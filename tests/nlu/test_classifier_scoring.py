"""The classifier's direct scoring gives sklearn's probabilities, to the last bits."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from bot.nlu.classifier import LinearScorer, featurizer_blocks

pytestmark = pytest.mark.unit  # the fast loop: make unit

FEATURES, CLASSES = 300, 12


def fitted(sublinear: bool = True, blocks: list[int] | None = None, **regression) -> object:
    generator = np.random.default_rng(42)
    counts = sp.random(
        400,
        FEATURES,
        density=0.03,
        random_state=42,
        format="csr",
        data_rvs=lambda n: generator.integers(1, 4, n).astype(float),
    )
    labels = generator.integers(0, CLASSES, 400).astype(str)
    weighting = featurizer_blocks(blocks) if blocks else TfidfTransformer(sublinear_tf=sublinear)
    pipeline = make_pipeline(weighting, LogisticRegression(C=30, max_iter=2000, random_state=42, **regression))
    return pipeline.fit(counts, labels)


PIPELINE, PLAIN = fitted(), fitted(sublinear=False)
# One TF-IDF and one norm per featurizer, as the classifier trains it (an empty block, as a featurizer
# without patterns gives, included).
BLOCKS = fitted(blocks=[0, 120, 180])
ROWS = st.lists(st.tuples(st.integers(0, FEATURES - 1), st.integers(1, 5)), max_size=40)


@given(ROWS)
def test_same_probabilities_as_predict_proba(entries):
    # A coo row may repeat a column (Rasa's featurizers do): both sides must sum the repeats.
    columns = [column for column, _ in entries]
    row = sp.coo_matrix(([float(count) for _, count in entries], ([0] * len(entries), columns)), shape=(1, FEATURES))
    for pipeline in (PIPELINE, PLAIN, BLOCKS):
        expected = pipeline.predict_proba(row.tocsr())[0]
        assert np.allclose(LinearScorer(pipeline).probabilities(row), expected, rtol=0, atol=1e-12)


def test_each_block_is_normalised_apart():
    # A row with words in the first block and characters in the second: each block has unit length.
    row = sp.csr_matrix(([1.0, 2.0, 1.0, 1.0, 3.0], ([0] * 5, [3, 7, 130, 150, 170])), shape=(1, FEATURES))
    weighted = BLOCKS[0].transform(row).toarray()[0]
    assert np.isclose(np.linalg.norm(weighted[:120]), 1.0) and np.isclose(np.linalg.norm(weighted[120:]), 1.0)


def test_one_versus_rest_models_are_left_to_sklearn():
    assert LinearScorer.supports(PIPELINE) and LinearScorer.supports(BLOCKS)
    assert not LinearScorer.supports(fitted(multi_class="ovr"))
    assert not LinearScorer.supports(fitted(solver="liblinear"))
    assert not LinearScorer.supports(fitted(blocks=[100, 100]))  # columns left out: not what it computes
