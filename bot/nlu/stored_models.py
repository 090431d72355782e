"""Scikit-learn models inside Rasa's model archive, written and read with skops, never with pickle.

The intent classifier, the clause reader and the knowledge selector each keep
scikit-learn models in the archive. skops reads back only the types it trusts
(its own list of scikit-learn, NumPy and built-in types) and the ones named in
``TRUSTED_TYPES``: a file naming anything else is refused with a clear error rather
than loaded (a tampered archive must not run code).

The trusted list is given to skops once, when it loads: asking skops first which
types a file holds (``get_untrusted_types``) read each file's tree a second time,
3.2 of the 7.3 s of CPU the four models took at every start of Rasa.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]
"""Beyond skops's own list: the sparse matrices the fitted TF-IDF weightings keep (``idf_``)."""


def dump(model: Any, path: Path) -> None:
    import skops.io as sio

    sio.dump(model, path)


def load(path: Path, what: str) -> Any:
    """The model at ``path``; ``ValueError`` naming ``what`` and the types if the file holds one skops does not
    trust and ``TRUSTED_TYPES`` does not name."""
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        return sio.load(path, trusted=TRUSTED_TYPES)
    except UntrustedTypesFoundException as error:
        raise ValueError(f"Types inattendus dans le modèle {what} : {error}") from None
