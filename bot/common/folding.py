"""Character folding shared by the normalizer, the entity extractor and the handover summary.

``fold`` lowercases and removes accents *one character for one character*, so that
a match found in the folded text has the same offsets in the original text: the
entity extractor relies on that to report ``start``/``end`` in what the person
wrote. Characters whose lowercase or accent-free form is longer than one
character (``İ``, ``ﬁ``) are kept as they are; ``œ``/``æ`` stay single letters
here (the normalizer spells them ``oe``/``ae``, which changes lengths).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Typographic apostrophes and primes that phones and word processors put in place
# of "'": "l’alloc", "j`ai", "aujourd´hui".
APOSTROPHES = "'’‘`´ʼ′ʹ"
# Spaces that French typography puts inside numbers and before "€" / "?".
SPACES = "\u00a0\u202f\u2007\u2009"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in APOSTROPHES:
        return "'"
    if char in SPACES:
        return " "
    lower = char.lower()
    if len(lower) != 1:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))
    return base if len(base) == 1 else lower


def fold(text: str) -> str:
    """Lowercase, accent-free copy of ``text`` with exactly the same length.

    >>> fold("Décembre : 1 200 €")
    'decembre : 1 200 €'
    """
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)
