"""Which entry of the knowledge base a general ARE question asks for: Rasa's response selection, our way.

The classifier knows one intent for every general question, ``ask_knowledge`` (its examples are the
entries' example questions, generated into ``data/nlu/knowledge.yml``). ``KnowledgeSelector`` then
chooses the entry (``data/knowledge/answers.yml``) with a small seeded model of its own, trained on
the same example questions, each labelled with its entry: TF-IDF of characters (2–5, inside words)
and words (1–2) on the normalised text, and a logistic regression, like ``bot.nlu.clauses``. It
trains in well under a second and answers in about a tenth of a millisecond; DIET-based
``ResponseSelector`` would take minutes to train here for 66 entries of five examples (docs/nlu.md).

Its output is written where Rasa's ``ResponseSelector`` writes its own, so that the dialogue reads it
the same way (``parse_data["response_selector"]["ask_knowledge"]``): the chosen entry as
``intent_response_key`` ``ask_knowledge/<id>`` with its confidence, and the ranking of the next ones.
There is no ``utter_action``: the answer is a template that ``action_answer_knowledge`` fills with the
backend's figures. When a clause of a two-needs message is a general question, its own choice is kept
in ``clauses`` (the words of the clause, the entry), since the action then answers the clause only.
Only messages whose intent (or one of whose clauses) is ``ask_knowledge`` are read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.common import knowledge, needs
from bot.common.config import PROJECT_ROOT
from bot.nlu import stored_models
from bot.nlu.entities import extract_amounts
from bot.nlu.normalizer import message_words, normalize
from bot.nlu.scope import foreign_need
from bot.nlu.text_scorer import scorer_for

RESPONSE_SELECTOR = "response_selector"  # rasa.shared.nlu.constants.RESPONSE_SELECTOR_PROPERTY_NAME
RANKING_LENGTH = 5
KEYWORD_WEIGHT = 0.6
"""Share of the score given to the entries' keywords when the message names at least one of them."""
SIMULATION = needs.SIMULATION
PROMOTE_FROM = 0.2
"""An ``out_of_scope`` message whose second reading is ``ask_knowledge`` at least this sure…"""
PROMOTE_SURE = 0.5
"""…and that names the topic of an entry (a keyword) chosen at least this surely, is a general question."""
RIGHTS = needs.RIGHTS_DURATION
END_OF_RIGHTS = "end_of_rights"
AFTER_THE_END_ENTRIES = frozenset({"end_of_rights", "ass", "recharge", "training_end_of_rights", "option_right"})
"""The entries that say what comes after the rights: the only ones a promoted end-of-rights question may get."""

# On the normalised text (``normalize``: lowercase, no accents, elisions split, SMS words expanded).
_AFTER_THE_END = re.compile(
    r"\bet (?:apres|ensuite)\b"  # « et après ? », « et après c'est fini ? »
    r"|\bapres (?:ca|cela|la fin|mes droits|les droits|ses droits|l allocation|mon allocation|le chomage|mon chomage)\b"
    r"|\bapres\s*(?:\?|$)|\bensuite\s*(?:\?|$)"  # « …je fais quoi après ? »
    r"|\bune fois\b[^?.!,]{0,40}(?:fini|termin|epuis|arret|ecoul|consomm|plus)"  # « une fois mes droits épuisés »
    r"|\b(?:une |d )?autres? (?:chose|aide|allocation|indemnisation|droit|solution)|\bchose d autre\b"
    r"|\b(?:kelk|quelque) ?chose (?:d )?(?:autre|dotre)|\bprend(?:re|ra)? le relais\b|\bprendre la suite\b"
    r"|\bplus? rien\b|\bc est (?:tout|fini) (?:apres|ensuite)\b|\bou c est (?:tout|fini)\b"  # « j'aurai plus rien ? »
    r"|\b(?:l )?ass\b|\blass\b|\bsolidarite specifique\b|\brecharg|\brsa\b"  # what may follow, named
    r"|\bse passe (?:quoi|t il)\b|\bqu est ce qui (?:se passe|m attend|nous attend)\b"
    r"|\b(?:je|on) (?:fais|fait|ferai|fera|vais faire|va faire) (?:quoi|comment)\b"  # « …je fais comment ? »
    r"|\b(?:touche\w*|droit a|y a|aura\w*) quoi\b|\bqu est ce qu (?:on|je) (?:touche|aura|a droit)"
)
# The person's own end date or balance: when, until when, how many days or months are left.
_WHEN_OR_HOW_LONG = re.compile(
    r"\bjusqu a\b|\bquel(?:le)? date\b|\bdate de\b|\bquel mois\b|\bpour quand\b|\b(?:a partir de|des|depuis) quand\b"
    r"|\b(?:savoir|dire|connaitre|c est) quand\b|\bquand est ce\b"
    r"|\bquand\s*(?:\?|$|,|et\b|ou\b|exactement\b|precisement\b|svp\b|stp\b)"  # « …se terminent quand ? »
    r"|\bquand (?:se |s |vont |va |prend|prenn|finiss|termin|arret|expir|tomb)"  # « quand se terminent mes droits »
    r"|\bcombien de (?:jours|mois|semaines|temps)\b|\b(?:pendant|au bout de|encore) combien\b|\bdure\w* combien\b"
    r"|\bcombien (?:il )?(?:me |m |en )?reste|\breste\w* (?:combien|quoi)\b|\breste\s*(?:\?|$)"
    r"|\brestant|\breliquat\b|\bcompteur\b|\bsolde\b"
)

_OWN = re.compile(r"\b(?:je|j|me|m|moi|mes|mon|ma)\b")
_IN_GENERAL = re.compile(r"\ben general\b|\bles gens\b|\btout le monde\b|\bon\b")


def asks_what_comes_after(text: str) -> bool:
    """Whether a message about the end of rights asks what comes *after* it, not *when* it comes.

    « quand mes droits sont finis, j'ai droit à autre chose ? », « une fois l'ARE terminée j'aurai plus rien ? »,
    « et après c'est fini ? », « l'ASS », « recharger mes droits »: what follows the rights is the same for everyone
    (ASS, rechargement, RSA: the knowledge base). « mes droits se terminent quand ? », « il me reste combien de
    jours », « jusqu'à quand je suis indemnisé » ask the person's own date or balance: the file's. A message that
    asks both (« jusqu'à quand j'ai droit, et après ? ») stays the file's, whose answer says what comes next when
    the end is near. The « quand » of « quand mes droits sont finis » (once) is no question of time; the one at
    the end or before its verb (« …finissent quand ? », « quand se terminent… ») is."""
    words = normalize(text)
    return bool(_AFTER_THE_END.search(words)) and not _WHEN_OR_HOW_LONG.search(words)


def asks_own_end_date(text: str) -> bool:
    """Whether a message asks when the person's own rights end or how much of them is left (« mes droits finissent
    quand, et après ? », « il me reste combien de jours ? »), not in general (« en général », « on », « les gens »)."""
    words = normalize(text)
    return bool(_WHEN_OR_HOW_LONG.search(words)) and bool(_OWN.search(words)) and not _IN_GENERAL.search(words)


def _swap_with_top(message: Message, chosen: str) -> None:
    """``chosen`` becomes the message's intent with the top intent's confidence, and the top intent takes
    ``chosen``'s (0 when it was not ranked): the reading changes, the classifier's certainty stays where it was
    (as ``ScopeGuard`` does). Both promotions of ``KnowledgeSelector`` go through here."""
    intent = message.get(INTENT) or {}
    top, top_confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    ranking = [dict(entry) for entry in message.get(INTENT_RANKING_KEY) or []]
    before = next((e["confidence"] for e in ranking if e["name"] == chosen), 0.0)
    ranking = [e for e in ranking if e["name"] not in (chosen, top)]
    ranking += [{"name": chosen, "confidence": top_confidence}, {"name": top, "confidence": before}]
    ranking.sort(key=lambda entry: -entry["confidence"])
    message.set(INTENT, {"name": chosen, "confidence": top_confidence}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


class KeywordScorer:
    """The entries whose keywords a message names, the longest match weighing most.

    A question about an entry nearly always names its topic (« partie fixe », « RIB », « déménage »):
    with five examples an entry, the regression alone confuses neighbours that the topic word tells
    apart. Keywords are normalised like the messages and matched at word starts (« demenag » finds
    « déménagement »)."""

    def __init__(self, keywords: dict[str, list[str]]):
        self.keywords = keywords
        self.patterns = {
            entry_id: [
                (re.compile(r"(?<![a-z0-9])" + re.escape(normalize(k).strip())), len(normalize(k).strip()))
                for k in words
                if normalize(k).strip()
            ]
            for entry_id, words in keywords.items()
        }

    def scores(self, text: str) -> dict[str, float]:
        words = normalize(text)
        found: dict[str, float] = {}
        for entry_id, patterns in self.patterns.items():
            best = max((length for pattern, length in patterns if pattern.search(words)), default=0)
            if best:
                found[entry_id] = float(best) ** 2
        total = sum(found.values())
        return {entry_id: score / total for entry_id, score in found.items()} if total else {}


def blend(probabilities: np.ndarray, classes: list[str], keywords: dict[str, float]) -> np.ndarray:
    """The regression's probabilities, with the keywords' share when the message names a topic."""
    if not keywords:
        return probabilities
    named = np.array([keywords.get(c, 0.0) for c in classes])
    return (1 - KEYWORD_WEIGHT) * probabilities + KEYWORD_WEIGHT * named


def build_model(random_state: int, C: float) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    return make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"),
        ),
        LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=random_state),
    )


def training_pairs(entries: tuple[knowledge.Entry, ...]) -> tuple[list[str], list[str]]:
    """The normalised example questions and their entry ids (the entry's title counts as one example)."""
    texts, labels = [], []
    for entry in entries:
        for example in (*entry.examples, entry.title):
            texts.append(normalize(example))
            labels.append(entry.id)
    return texts, labels


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class KnowledgeSelector(GraphComponent):
    """Chooses the knowledge base's entry of an ``ask_knowledge`` message (see the module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"knowledge_base": "data/knowledge/answers.yml", "C": 20.0, "random_state": 42}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model: Any = None
        self.keywords: KeywordScorer | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeSelector:
        return cls(config, model_storage, resource)

    def _base_path(self) -> Path:
        path = Path(self.config["knowledge_base"])
        return path if path.is_absolute() else PROJECT_ROOT / path

    def train(self, training_data: TrainingData) -> Resource:
        entries = knowledge.load_entries(self._base_path())
        texts, labels = training_pairs(entries)
        if not texts:
            return self._resource
        self.model = build_model(int(self.config["random_state"]), float(self.config["C"]))
        self.model.fit(texts, labels)
        self.keywords = KeywordScorer({entry.id: list(entry.keywords) for entry in entries})
        self.persist()
        return self._resource

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            stored_models.dump(self.model, model_dir / "knowledge_model.skops")
            keywords = self.keywords.keywords if self.keywords else {}
            (model_dir / "knowledge_keywords.json").write_text(json.dumps(keywords, ensure_ascii=False))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KnowledgeSelector:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                component.model = stored_models.load(model_dir / "knowledge_model.skops", "de la base de connaissances")
                component.keywords = KeywordScorer(json.loads((model_dir / "knowledge_keywords.json").read_text()))
        except ValueError:
            raise
        except Exception:  # no entries at training (a test model): the component then does nothing
            component.model = None
        return component

    def rank(self, texts: list[str]) -> list[list[dict[str, Any]]]:
        """For each text, the entries by probability, best first (``RANKING_LENGTH`` of them)."""
        scorer = scorer_for(self.model)
        probabilities = scorer.predict_proba([normalize(text) for text in texts])
        classes = [str(c) for c in scorer.classes_]
        ranked = []
        for text, row in zip(texts, probabilities, strict=True):
            row = blend(row, classes, self.keywords.scores(text) if self.keywords else {})
            order = np.argsort(-row)[:RANKING_LENGTH]
            ranked.append(
                [
                    {
                        "id": classes[i],
                        "intent_response_key": f"{knowledge.INTENT}/{classes[i]}",
                        "confidence": round(float(row[i]), 4),
                    }
                    for i in order
                ]
            )
        return ranked

    def _in_scope_after_all(self, message: Message, text: str) -> None:
        """An in-scope question never gets the out-of-scope answer: « comment je change mon RIB ? » read as
        out of scope, with ``ask_knowledge`` next and the RIB entry named, is the RIB entry's. The two
        confidences are swapped (as ``ScopeGuard`` does), never when the message names another
        administration and no allowance word (``ScopeGuard``'s own reading stands).

        A simulation needs an amount: « si je reprends un petit boulot je perds tout mon chômage ? » read as
        ``simulate_earnings`` with no amount in it, ``ask_knowledge`` next and the cumul entry named, asks the
        rule; its answer gives it and offers the simulation on the file (no identification for a rule)."""
        intent = message.get(INTENT) or {}
        if intent.get("name") == SIMULATION:
            if extract_amounts(text):
                return
        elif intent.get("name") != needs.OUT_OF_SCOPE:
            return
        ranking = [dict(entry) for entry in message.get(INTENT_RANKING_KEY) or []]
        second = next((e for e in ranking if e["name"] == knowledge.INTENT), None)
        if second is None or second["confidence"] < PROMOTE_FROM or foreign_need(message_words(message)):
            return
        if not self.keywords or not self.keywords.scores(text):
            return
        if self.rank([text])[0][0]["confidence"] < PROMOTE_SURE:
            return
        _swap_with_top(message, knowledge.INTENT)

    def _after_the_end(self, message: Message, text: str) -> None:
        """What comes after the rights is a general question: « quand mes droits sont finis, j'ai droit à autre
        chose ? » read as ``ask_rights_duration`` (the words of the end of rights are those of the file's end date)
        is ``ask_knowledge`` when it asks what follows and not when (``asks_what_comes_after``), and when the
        entry chosen is one of what follows (``AFTER_THE_END_ENTRIES``: the end of rights, ASS, rechargement…).
        The two confidences are swapped (``_swap_with_top``), as in ``_in_scope_after_all``. The other way, an
        ``ask_knowledge`` message given the end of rights' entry that asks the person's own date or balance
        (``asks_own_end_date``: « mes droits finissent quand, et après ? ») is ``ask_rights_duration``. A message
        whose clauses carry needs of their own (« jusqu'à quand j'ai droit et après j'aurai droit à quoi ? ») is
        left to them: both are answered, after the identification."""
        intent = message.get(INTENT) or {}
        if intent.get("name") not in (RIGHTS, knowledge.INTENT):
            return
        if any(e.get("entity") == "need" for e in message.get(ENTITIES) or []):
            return
        if intent.get("name") == RIGHTS:
            if not asks_what_comes_after(text) or self.rank([text])[0][0]["id"] not in AFTER_THE_END_ENTRIES:
                return
            chosen = knowledge.INTENT
        else:
            # The other way: « mes droits finissent quand, et après ? » read as the end of rights' entry asks the
            # person's own date first (the file's answer says what follows when the end is near).
            if not asks_own_end_date(text) or self.rank([text])[0][0]["id"] != END_OF_RIGHTS:
                return
            chosen = RIGHTS
        _swap_with_top(message, chosen)

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            self._in_scope_after_all(message, text)
            self._after_the_end(message, text)
            asked = (message.get(INTENT) or {}).get("name") == knowledge.INTENT
            clauses = [
                e
                for e in message.get(ENTITIES) or []
                if e.get("entity") == "need" and e.get("value") == knowledge.INTENT and isinstance(e.get("start"), int)
            ]
            if not asked and not clauses:
                continue
            clause_texts = [text[e["start"] : e["end"]] for e in clauses]
            rankings = self.rank([text, *clause_texts])
            selected: dict[str, Any] = {
                "response": {**rankings[0][0], "responses": None, "template_name": None},
                "ranking": rankings[0],
            }
            if clauses:
                selected["clauses"] = [
                    {"text": words, "start": e["start"], "end": e["end"], "response": ranking[0], "ranking": ranking}
                    for words, e, ranking in zip(clause_texts, clauses, rankings[1:], strict=True)
                ]
            message.set(
                RESPONSE_SELECTOR,
                {"all_retrieval_intents": [knowledge.INTENT], knowledge.INTENT: selected},
                add_to_output=True,
            )
        return messages
