"""Scope guard: a question about another administration is never an allowance question.

"pk les impots m'ont preleve 200 euros", "ma pension de réversion est versée quel
jour", "combien je dois rembourser sur mon prêt auto" are built like allowance
questions ("pourquoi prélevé", "versée quel jour", "combien rembourser"), and the
intent classifier, which has seen these words in hundreds of allowance examples,
can pick an allowance need with high confidence. The fallback does not catch it,
and the bot would then ask the person to identify and show their ARE figures.

``ScopeGuard`` runs after the classifier. When the top intent is an allowance
need (``ALLOWANCE_INTENTS``), the message names another organisation or benefit
(``OTHER_BENEFITS``, ``OTHER_ADMINISTRATIONS``) and says nothing of the allowance
(``ALLOWANCE_WORDS``), it swaps the top intent with:

- ``ask_other_benefit`` for CAF/MSA benefits (RSA, APL, AAH, prime d'activité…):
  ``utter_other_benefit`` points to the CAF;
- ``out_of_scope`` for the others (taxes, pensions, health insurance, banks and
  loans, student grants, transport…): ``utter_out_of_scope``.

The two confidences are swapped, not invented: the ranking still sums to one and
the gap to the second intent is unchanged, so the ``FallbackClassifier`` after it
decides as it would have. A message that also names the allowance ("la CAF
me demande mon attestation France Travail", "ma retraite complémentaire est
retenue sur mon ARE ?") is left to the classifier.

The lexicon is matched on the normaliser's words (lowercase, no accents, SMS
spelling expanded), so it must sit after ``FrenchTextNormalizer``; a term is a
sequence of whole words, and a final "s"/"x" is ignored ("impots", "impot").
It is kept to names that are unambiguous in a job seeker's message: "banque",
loans and credit are in; "compte", "virement", "bancaire" or "découvert" (where
and how the allowance arrives) are not. The price: "ma banque n'a rien reçu",
with no allowance word, gets the out-of-scope answer, which lists what the bot
does answer, and the person can say "mon allocation n'est pas arrivée"; the
RIB counts as an allowance word ("j'ai changé de banque et de RIB").
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.common import needs
from bot.nlu.guards import IntentGuard
from bot.nlu.normalizer import message_words, normalize

ALLOWANCE_INTENTS = needs.ALLOWANCE_INTENTS
"""The allowance questions of the catalogue (``bot.common.needs``): the ones this guard may redirect."""

OTHER_BENEFITS = (
    # CAF and MSA benefits: utter_other_benefit names the CAF.
    "caf",
    "msa",
    "rsa",
    "apl",
    "aah",
    "als",
    "alf",
    "paje",
    "prime d activite",
    "prime activite",
    "allocation familiale",
    "allocation logement",
    "aide au logement",
    "allocation adulte handicape",
    "allocation de rentree scolaire",
    "complement familial",
    "allocation de soutien familial",
    "revenu de solidarite active",
)
OTHER_ADMINISTRATIONS = (
    # Taxes.
    "impot",
    "impots gouv",
    "fisc",
    "finances publiques",
    "taxe fonciere",
    "taxe d habitation",
    "avis d imposition",
    "declaration de revenu",
    "tresor public",
    # Pensions.
    "retraite",
    "pension",
    "reversion",
    "agirc",
    "arrco",
    "carsat",
    "cnav",
    # Health insurance.
    "cpam",
    "ameli",
    "secu",
    "securite sociale",
    "mutuelle",
    "carte vitale",
    # Banks and loans.
    "banque",
    "banquier",
    "agios",
    "carte bleue",
    "mon pret",
    "un pret",
    "le pret",
    "du pret",
    "pret auto",
    "pret immobilier",
    "pret bancaire",
    "pret etudiant",
    "pret conso",
    "pret personnel",
    "mon credit",
    "credit immobilier",
    "credit auto",
    "credit conso",
    "organisme de credit",
    # Students, transport, cars, fines.
    "crous",
    "bourse etudiante",
    "navigo",
    "sncf",
    "ratp",
    "carte grise",
    "permis de conduire",
    "amende",
    "pv de stationnement",
)
ALLOWANCE_WORDS = (
    "allocation",
    "chomage",
    "chomeur",
    "france travail",
    "indemnisation",
    "actualisation",
    "actualise",
    "actualiser",
    "unedic",
    "aide au retour",
    "allocation journaliere",
    "rib",
)
"""Words that make a message about the allowance, whatever else it names. The CAF's
"allocation ..." terms above are removed before these are looked for."""
# knowledge (issue 20): the ARE's own terms that the knowledge base answers (« l'ASS », « la dégressivité »,
# « un trop-perçu », « le délai d'attente »…) make a message about the allowance too: « l'ASS c'est la CAF qui
# la verse ? » is a general question about the ARE, not the CAF's.
KNOWLEDGE_WORDS = (
    "ass",
    "allocation de solidarite specifique",
    "aref",
    "arce",
    "degressivite",
    "partie fixe",
    "delai d attente",
    "differe",
    "trop percu",
    "rechargement",
    "pole emploi",
)
ALLOWANCE_WORDS = ALLOWANCE_WORDS + KNOWLEDGE_WORDS
RIGHTS_WORDS = ("mes droits", "fin de droit", "fin de mes droits")
"""The person's own rights: the allowance's when no CAF/MSA benefit is named ("je pars à la
retraite en mars, mes droits s'arrêtent quand ?" — the ARE ends at retirement), the CAF's
otherwise ("mes droits caf c'est jusqu'à quand"). They do not count inside ``PENSION_RIGHTS``."""
PENSION_RIGHTS = (
    "droit a la retraite",
    "droit a retraite",
    "droit retraite",
    "droit a pension",
    "droit a une pension",
    "droit a la pension",
    "droit a reversion",
    "droit a la reversion",
)
"""Rights that belong to a pension fund: "mes droits à la retraite" stays out of scope."""


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _terms(terms: tuple[str, ...]) -> dict[str, list[tuple[str, ...]]]:
    """Terms as tuples of stemmed words, indexed by their first word, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for term in terms:
        words = tuple(_stem(word) for word in normalize(term).split())
        index.setdefault(words[0], []).append(words)
    for candidates in index.values():
        candidates.sort(key=len, reverse=True)
    return index


_BENEFITS = _terms(OTHER_BENEFITS)
_ADMINISTRATIONS = _terms(OTHER_ADMINISTRATIONS)
_ALLOWANCE = _terms(ALLOWANCE_WORDS)
_RIGHTS = _terms(RIGHTS_WORDS)
_PENSION_RIGHTS = _terms(PENSION_RIGHTS)


def _find(words: list[str], terms: dict[str, list[tuple[str, ...]]]) -> list[tuple[int, int]]:
    """Spans (start, end) of ``words`` where a term occurs, left to right, the longest term at each place."""
    spans = []
    start = 0
    while start < len(words):
        for term in terms.get(words[start], ()):
            if tuple(words[start : start + len(term)]) == term:
                spans.append((start, start + len(term)))
                start += len(term)
                break
        else:
            start += 1
    return spans


def foreign_need(words: list[str]) -> str | None:
    """``ask_other_benefit`` or ``out_of_scope`` when normalised ``words`` name another
    organisation or benefit and not the allowance, else None.

    >>> foreign_need(normalize("ma pension de réversion est versée quel jour").split())
    'out_of_scope'
    >>> foreign_need(normalize("le rsa tombe quand").split())
    'ask_other_benefit'
    >>> foreign_need(normalize("la CAF veut mon attestation de chômage").split()) is None
    True
    >>> foreign_need(normalize("je pars à la retraite en mars, mes droits s'arrêtent quand ?").split()) is None
    True
    """
    stems = [_stem(word) for word in words]
    benefits = _find(stems, _BENEFITS)
    pension_rights = _find(stems, _PENSION_RIGHTS)
    # "allocation logement" is the CAF's: its "allocation" is not ours; nor are "mes droits à la retraite".
    owned = benefits + pension_rights
    rest = [word for i, word in enumerate(stems) if not any(start <= i < end for start, end in owned)]
    if _find(rest, _ALLOWANCE):
        return None
    if benefits:
        return needs.OTHER_BENEFIT
    if _find(rest, _RIGHTS):
        return None
    if pension_rights or _find(rest, _ADMINISTRATIONS):
        return needs.OUT_OF_SCOPE
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ScopeGuard(IntentGuard):
    """Turns an allowance intent into out_of_scope / ask_other_benefit when the message is about
    another organisation (see the module docstring)."""

    def guard(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        if intent.get("name") not in ALLOWANCE_INTENTS:
            return
        target = foreign_need(message_words(message))
        if target is None:
            return
        ranking = [dict(entry) for entry in message.get(INTENT_RANKING_KEY) or []]
        if not any(entry["name"] == target for entry in ranking):  # cut off by the ranking's length
            ranking.append({"name": target, "confidence": 0.0})
        top_confidence = intent.get("confidence", 0.0)
        target_confidence = next((e["confidence"] for e in ranking if e["name"] == target), 0.0)
        for entry in ranking:
            if entry["name"] == target:
                entry["confidence"] = top_confidence
            elif entry["name"] == intent["name"]:
                entry["confidence"] = target_confidence
        ranking.sort(key=lambda entry: -entry["confidence"])
        message.set(INTENT, {"name": target, "confidence": top_confidence}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
