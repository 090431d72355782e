"""Safety guard: a message that says it in so many words gets the suicide-prevention answer.

The classifier weighs every word of a message. In a long message about money
(« je n'arrive plus à payer mon loyer… je pense à mettre fin à mes jours »), the
money words can outweigh the one sentence that matters, and the message is then
read as distress (handed to a counsellor, with the emergency numbers) or worse,
as an allowance question. A public service cannot leave the 3114 to a
probability: ``SuicideCueGuard`` runs after the classifier and, when the
normalised words contain an explicit suicidal expression (``CUES``: « suicide »,
« me tuer », « mettre fin à mes jours », « envie de mourir », « me pendre »…)
that is not negated (« je ne suis pas suicidaire »), sets the intent to
``express_suicidal_thoughts`` with confidence 1.0, so that the fallback never
turns it into a clarifying question. This is a rule, not a probability: the other
intents stay in the ranking, in the classifier's order, at 0.

The cues are kept to expressions with no everyday meaning in a job seeker's
message; idioms (« ce boulot me tue », « mort de rire ») are not cues, and
« me tuer à la tâche / au travail / de rire » is excluded. Indirect wordings
(« j'ai la corde prête », « je veux disparaître ») are left to the classifier,
which has examples of them.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT
from rasa.shared.nlu.training_data.message import Message

from bot.common import needs
from bot.nlu.guards import IntentGuard, impose
from bot.nlu.normalizer import message_words

SUICIDAL_INTENT = needs.SUICIDAL_THOUGHTS

# Normalised words (lowercase, no accents, elisions split: « m'ouvrir » → « m ouvrir »).
CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "suicide",
        "suicider",
        "suicidaire",
        "suicidaires",
        "suicidais",
        "suicidait",
        "me tuer",
        "je me tue",
        "me tuerai",
        "me tuerais",
        "me tuais",
        "fin a mes jours",
        "fin a ma vie",
        "en finir avec la vie",
        "en finir avec ma vie",
        "envie de mourir",
        "veux mourir",
        "plus envie de vivre",
        "me pendre",
        "me donner la mort",
        "me foutre en l air",
        "me tirer une balle",
        "me tailler les veines",
        "m ouvrir les veines",
        "me jeter sous",
        "me jeter par la fenetre",
    )
)
# « me tuer à la tâche », « au travail », « de rire »: idioms, not cues.
IDIOM_ENDINGS: tuple[tuple[str, ...], ...] = (("a", "la", "tache"), ("au", "travail"), ("au", "boulot"), ("de", "rire"))
NEGATIONS = frozenset({"pas", "jamais", "aucunement", "nullement"})
NEGATION_WINDOW = 3  # words before the cue: « je ne suis pas suicidaire », « je n'ai jamais pensé au suicide »
# A negation before one of these belongs to another clause: « si je touche pas mon alloc, je vais me tuer ».
CLAUSE_STARTS = frozenset(
    {"je", "j", "jvais", "tu", "il", "elle", "on", "si", "mais", "et", "car", "sinon", ",", ".", ";", "!", "?"}
)


def suicidal_cue(words: list[str]) -> str | None:
    """The first explicit, non-negated suicidal expression in normalised ``words``, else None.

    >>> suicidal_cue("je pense a mettre fin a mes jours".split())
    'fin a mes jours'
    >>> suicidal_cue("je ne suis pas suicidaire".split()) is None
    True
    >>> suicidal_cue("ce boulot va me tuer a la tache".split()) is None
    True
    >>> suicidal_cue("si je touche pas mon allocation je me tue".split())
    'je me tue'
    """
    for start in range(len(words)):
        for cue in CUES:
            end = start + len(cue)
            if tuple(words[start:end]) != cue:
                continue
            if any(tuple(words[end : end + len(idiom)]) == idiom for idiom in IDIOM_ENDINGS):
                continue
            if _negated(words, start):
                continue
            return " ".join(cue)
    return None


def _negated(words: list[str], start: int) -> bool:
    """A negation in the few words before ``start``, in the same clause."""
    if words[start] in CLAUSE_STARTS:  # « je me tue »: a negated form would not match the cue
        return False
    for word in reversed(words[max(0, start - NEGATION_WINDOW) : start]):
        if word in NEGATIONS:
            return True
        if word in CLAUSE_STARTS:
            return False
    return False


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SuicideCueGuard(IntentGuard):
    """Sets ``express_suicidal_thoughts`` when a message contains an explicit suicidal expression."""

    def guard(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        if intent.get("name") == SUICIDAL_INTENT and intent.get("confidence", 0.0) >= 1.0:
            return
        if suicidal_cue(message_words(message)) is None:
            return
        impose(message, SUICIDAL_INTENT)
