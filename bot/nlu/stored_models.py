"""Scikit-learn models inside Rasa's model archive, written and read with skops, never with pickle.

The clause reader and the knowledge selector each keep a small scikit-learn model
in the archive. skops reads back only the types it is told to trust: a file naming
anything but scikit-learn, NumPy, SciPy or built-in types is refused with a clear
error rather than loaded (a tampered archive must not run code).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def dump(model: Any, path: Path) -> None:
    import skops.io as sio

    sio.dump(model, path)


def load(path: Path, what: str) -> Any:
    """The model at ``path``; ``ValueError`` naming ``what`` if the file holds any type outside ``TRUSTED_PREFIXES``."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    unexpected = [name for name in untrusted if not name.startswith(TRUSTED_PREFIXES)]
    if unexpected:
        raise ValueError(f"Types inattendus dans le modèle {what} : {unexpected}")
    return sio.load(path, trusted=untrusted)
