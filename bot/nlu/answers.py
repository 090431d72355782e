"""Answer guard: a yes or a no said with thanks is the answer, as the labelling rule says.

The labelling rules (docs/nlu.md) say that « oui merci » is ``affirm``, « non merci »
``deny``, and « ok merci » / « d'accord merci » ``thank``: the only yes/no question of
the dialogue is the erasure confirmation, and a yes or a no is what it waits for,
while an acknowledgement with thanks must never confirm an erasure. The
classifier cannot keep to that rule by itself: « merci » is in a hundred ``thank``
examples and weighs more than « oui » or « nan », so « yes merci », « nn merci » or
« oui svp, merci » came out as ``thank`` in cross-validation (and « d'accord
merci » as ``affirm``), whatever the data said.

``AnswerGuard`` runs after the classifier. It only reads short answers: a message
whose every normalised word is a yes, a no, a thanks or a word of politeness
(``ANSWER_WORDS``: « svp », « beaucoup », « c'est gentil », « ça ira », « pas
besoin »…) and that thanks. With one explicit yes word and no no word it is
``affirm``; the other way round, ``deny``; with neither but an acknowledgement
(« ok », « d'accord », « super »…), ``thank``. Anything else — a farewell (« merci,
au revoir » is ``goodbye``), a question, a word outside the list (« oui merci,
vous pouvez supprimer »), both a yes and a no — is left to the classifier. Like
the other guards it is a rule, not a probability: the chosen intent gets
confidence 1.0 and the others stay in the ranking at 0.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.common import needs
from bot.nlu.guards import IntentGuard, impose
from bot.nlu.normalizer import message_words

# Normalised words: lowercase, no accents, elisions split, stretched letters shortened to two.
YES_WORDS = frozenset({"oui", "ouii", "ouais", "ouai", "ouep", "ouaip", "yes", "yep", "yup", "si"})
NO_WORDS = frozenset({"non", "nonn", "nan", "nn", "no", "nope", "nop"})
THANKS_WORDS = frozenset({"merci", "mercii", "merki", "thx", "thanks", "remercie"})
ACKNOWLEDGEMENTS = frozenset(
    {
        "ok",
        "okay",
        "okk",
        "accord",
        "dac",
        "daccord",
        "super",
        "top",
        "parfait",
        "nickel",
        "cool",
        "genial",
        "entendu",
        "compris",
        "marche",
    }
)
# What may surround a yes, a no or an acknowledgement in a short answer with thanks, and nothing more:
# « s'il vous plaît, merci d'avance », « merci c'est gentil », « non ça ira, merci quand même ».
POLITENESS = frozenset(
    {
        "s",
        "il",
        "vous",
        "te",
        "plait",
        "svp",
        "stp",
        "beaucoup",
        "bcp",
        "bien",
        "infiniment",
        "mille",
        "fois",
        "d",
        "avance",
        "c",
        "est",
        "gentil",
        "sympa",
        "aimable",
        "tres",
        "trop",
        "bon",
        "ca",
        "ira",
        "pas",
        "besoin",
        "la",
        "peine",
        "quand",
        "meme",
        "a",
        "toi",
        "encore",
        "ah",
        "oh",
        "bah",
        "ben",
        "madame",
        "monsieur",
        "je",
        "veux",
        "avec",
        "plaisir",
        "vas",
        "y",
        "volontiers",
        "du",
        "coup",
    }
)
ANSWER_WORDS = YES_WORDS | NO_WORDS | THANKS_WORDS | ACKNOWLEDGEMENTS | POLITENESS
PUNCTUATION = frozenset({",", ".", "!", "?", ";", ":", "...", "!!", "??", "-"})


def answer_with_thanks(words: list[str]) -> str | None:
    """The intent the labelling rule gives a short answer with thanks in normalised ``words``, else None.

    >>> answer_with_thanks("oui s il vous plait , merci".split()), answer_with_thanks("nn merci".split())
    ('affirm', 'deny')
    >>> answer_with_thanks("d accord merci".split()), answer_with_thanks("merci au revoir".split())
    ('thank', None)
    >>> answer_with_thanks("oui merci , vous pouvez supprimer".split()) is None
    True
    """
    spoken = [word for word in words if word not in PUNCTUATION]
    if not spoken or not all(word in ANSWER_WORDS for word in spoken):
        return None
    if not any(word in THANKS_WORDS for word in spoken):
        return None
    says_yes = any(word in YES_WORDS for word in spoken)
    says_no = any(word in NO_WORDS for word in spoken)
    if says_yes and not says_no:
        return needs.AFFIRM
    if says_no and not says_yes:
        return needs.DENY
    if not says_yes and any(word in ACKNOWLEDGEMENTS for word in spoken):
        return needs.THANK
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AnswerGuard(IntentGuard):
    """Sets affirm, deny or thank on a short answer with thanks, as the labelling rule says."""

    def guard(self, message: Message) -> None:
        answer = answer_with_thanks(message_words(message))
        if answer is None:
            return
        impose(message, answer)
