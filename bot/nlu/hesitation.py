"""Hesitation guard: « euh », « hein ? », « hmm » carry no need, whatever the classifier makes of them.

No training example is a bare hesitation, so the classifier reads one through its
letters and its priors: « euh » came out as ``affirm`` at 0.30, a hair under the
fallback threshold. After the erasure question (« Voulez-vous effacer vos
données ? ») a hesitation read as a yes would be a serious mistake, and whether it
falls back should not depend on the third decimal of a retrained model.

``HesitationGuard`` runs after the classifier and the other guards. When every
normalised word of a message is a hesitation (``HESITATION``) or punctuation, it
sets every confidence to 0, so the ``FallbackClassifier`` after it always asks the
clarifying question. A hesitation with a word that means something (« euh oui »,
« hmm non », « euh cb je touche ») is left to the classifier, and « bof » or « mouais »,
which answer a question (a lukewarm no or yes), are not hesitations.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.guards import IntentGuard
from bot.nlu.normalizer import message_words

# Normalised words: lowercase, no accents, letters stretched beyond two shortened (« euuuuh » → « euuh »).
# Each needs its h or its doubled letters: « eu » (« j'ai eu ») and « m » (« m'a ») are words.
HESITATION = re.compile(r"h?e+u+h+|he+u+|h?u+m+|hm+h*|m{2,}h*|m+h|hein+|ba+h+|ben|pf+")
PUNCTUATION = re.compile(r"[^\w]+")


def is_hesitation(words: list[str]) -> bool:
    """True when ``words`` contain a hesitation and nothing but hesitations and punctuation.

    >>> is_hesitation(["euh"]), is_hesitation(["hein", "?"]), is_hesitation(["euh", "oui"]), is_hesitation([])
    (True, True, False, False)
    """
    spoken = [word for word in words if not PUNCTUATION.fullmatch(word)]
    return bool(spoken) and all(HESITATION.fullmatch(word) for word in spoken)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class HesitationGuard(IntentGuard):
    """Sets every intent confidence to 0 for a message made only of hesitations (see the module docstring)."""

    def guard(self, message: Message) -> None:
        intent = message.get(INTENT)
        if not intent or not is_hesitation(message_words(message)):
            return
        message.set(INTENT, {**intent, "confidence": 0.0}, add_to_output=True)
        ranking = [{**entry, "confidence": 0.0} for entry in message.get(INTENT_RANKING_KEY) or []]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
