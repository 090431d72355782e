"""Clauses of a message: two needs in one message, the question of a long one, unpunctuated speech.

« combien je touche et quand je suis payé ? » holds two needs; a 1 500-character story ends
with its question; a phone transcript has no punctuation at all. The intent classifier reads a
message whole and gives one intent. ``split_clauses`` cuts a message into its sentences and,
inside a sentence, at « et », « puis », « mais aussi » between two parts of a few words each
(pure text, offsets into the original). ``ClauseReader``, after the classifier, reads each clause
with a small model of its own (TF-IDF of characters and words and a logistic regression, trained
with the model on the same examples, normalised like the featurizers' tokens):

- when two clauses or more carry distinct needs of the catalogue (personal or general), it adds a
  ``need`` entity per need, in the order written: the actions answer each (``actions/``);
- in a long message, the need of its question sentences (a « ? », « combien », « je voudrais
  savoir »…) becomes the message's intent when the classifier, reading the whole story, was less
  sure of another: a long message is read for its question.

Distress, suicidal words and a request for a human are never replaced: the guards after this
component (``bot.nlu.safety``) and the rules keep them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.common import needs
from bot.nlu import stored_models
from bot.nlu.normalizer import normalize
from bot.nlu.text_scorer import scorer_for

MIN_WORDS = 3  # a part shorter than this is no clause of its own (« et en net »)
LONG = 220  # characters: a message this long is a story with a question in it
NEED_CONFIDENCE = 0.45  # a clause carries a need when the clause model is at least this sure
QUESTION_CONFIDENCE = 0.3  # a question sentence with a « ? » carries its need from this probability
SURE_QUESTION = 0.5  # a question sentence without one, from this probability

_SENTENCE_END = re.compile(r"[.?!;…]+(?=\s|$)|\n+")
_JOINT = re.compile(
    r"(?:,\s*)?\b(?:et|puis|mais aussi|et aussi|ou bien)\b\s+(?=\S)"
    r"|,\s+(?=(?:et |est ce|est-ce|quand|combien|pourquoi|comment|c'est quand|jusqu"
    r"|je voulais|je voudrais|je veux|j.aimerais|je demandais)\b)",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"\?|\b(?:combien|quand|pourquoi|comment|est[ -]ce qu|jusqu.{0,3}(?:a|à) quand|je voudrais savoir|"
    r"j.aimerais savoir|je veux savoir|pourriez[ -]vous|pouvez[ -]vous|dites[ -]moi|c.est quoi|"
    r"qu.est[ -]ce qu|quel(?:le)?s? (?:est|sont)|si je)\b",
    re.IGNORECASE,
)
# A clause that only goes on with the one before it: a relative (« ce qui se passe ensuite »), « ensuite », « après ».
_CONTINUATION = re.compile(r"(?:ce qu|ensuite\b|apr[eè]s (?:ça|ca|cela)\b|et apr[eè]s\b|dans ce cas\b)", re.IGNORECASE)
# The needs a clause may carry: what a person asks for; conversation moves (a yes, thanks, a follow-up) are not.
CLAUSE_NEEDS = frozenset(
    need.intent for need in needs.NEEDS if need.group in (needs.Group.PERSONAL, needs.Group.ALLOWANCE)
)
WHY = "ask_why"
# The moves that, said in a clause of their own with a need in another, give way to the need.
MOVES_BEFORE_A_NEED: dict[str, frozenset[str]] = {
    WHY: needs.EXPLAINED_WHEN_ASKED_WHY,
    "deny": CLAUSE_NEEDS,
    "affirm": CLAUSE_NEEDS,
}
NEVER_REPLACED = frozenset(
    need.intent for need in needs.NEEDS if need.group in (needs.Group.HUMAN, needs.Group.PRIVACY)
)


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str

    @property
    def is_question(self) -> bool:
        return _QUESTION.search(self.text) is not None


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def sentences(text: str) -> list[Clause]:
    """The sentences of a message, with their offsets; a text without punctuation is one sentence."""
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            found.append(Clause(start + lead, end, piece.strip()))
        start = end
    if text[start:].strip():
        piece = text[start:]
        lead = len(piece) - len(piece.lstrip())
        found.append(Clause(start + lead, len(text), piece.strip()))
    return found


def split_clauses(text: str) -> list[Clause]:
    """Sentences, each cut at « et »/« puis »… when both sides have a few words (offsets into ``text``)."""
    clauses: list[Clause] = []
    for sentence in sentences(text or ""):
        parts, start = [], 0
        for match in _JOINT.finditer(sentence.text):
            left = sentence.text[start : match.start()]
            right = sentence.text[match.end() :]
            if _words(left) >= MIN_WORDS and _words(right) >= MIN_WORDS:
                parts.append((start, match.start()))
                start = match.end()
        parts.append((start, len(sentence.text)))
        for begin, end in parts:
            piece = sentence.text[begin:end].strip(" ,")
            if piece:
                offset = sentence.start + sentence.text.index(piece, begin)
                clauses.append(Clause(offset, offset + len(piece), piece))
    return clauses


def readings(clauses: list[Clause]) -> list[str]:
    """The text each clause is read as: a clause that continues the one before it (« …jusqu'à quand j'ai droit,
    et ce qui se passe ensuite si je n'ai rien trouvé ») is read with it, since it speaks of the same thing;
    read alone, « si je n'ai toujours rien trouvé » would be a payment that did not come."""
    texts = []
    for index, clause in enumerate(clauses):
        if index and _CONTINUATION.match(clause.text):
            texts.append(f"{clauses[index - 1].text} {clause.text}")
        else:
            texts.append(clause.text)
    return texts


def question_part(text: str) -> str | None:
    """The question sentences of a long message, or None when it has no recognisable question."""
    asked = [s.text for s in sentences(text) if s.is_question]
    return " ".join(asked[-2:]) if asked else None


def questions(text: str) -> list[Clause]:
    """The question sentences of a message, those with a question mark last (the likeliest to be *the* question)."""
    asked = [s for s in sentences(text) if s.is_question]
    return [s for s in asked if "?" not in s.text] + [s for s in asked if "?" in s.text]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ClauseReader(GraphComponent):
    """Reads the clauses of a message with a small model of its own (see the module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 10.0, "random_state": 42}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model: Any = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClauseReader:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        self.model = make_pipeline(
            make_union(
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
                TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"),
            ),
            LogisticRegression(
                C=float(self.config["C"]),
                max_iter=3000,
                class_weight="balanced",
                random_state=self.config["random_state"],
            ),
        )
        self.model.fit([normalize(e.get(TEXT)) for e in examples], [e.get(INTENT) for e in examples])
        self.persist()
        return self._resource

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            stored_models.dump(self.model, model_dir / "clause_model.skops")

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ClauseReader:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                component.model = stored_models.load(model_dir / "clause_model.skops", "des propositions")
        except ValueError:
            raise
        except Exception:  # no examples at training (a test model): the component then does nothing
            component.model = None
        return component

    def read(self, texts: list[str]) -> list[tuple[str, float]]:
        """The most likely intent of each text, with its probability."""
        return [intent for intent, _ in self.read_both(texts)]

    def read_need(self, texts: list[str]) -> list[tuple[str | None, float]]:
        """The most likely *need* of each text (a personal or general question), with its probability."""
        return [need for _, need in self.read_both(texts)]

    def read_both(self, texts: list[str]) -> list[tuple[tuple[str, float], tuple[str | None, float]]]:
        """Each text's most likely intent and most likely need, from one pass of the model."""
        if not texts:
            return []
        scorer = scorer_for(self.model)
        probabilities = scorer.predict_proba([normalize(text) for text in texts])
        classes = [str(c) for c in scorer.classes_]
        wanted = np.array([c in CLAUSE_NEEDS for c in classes])
        found: list[tuple[tuple[str, float], tuple[str | None, float]]] = []
        for row in probabilities:
            top = int(np.argmax(row))
            masked = np.where(wanted, row, -1.0)
            best = int(np.argmax(masked))
            need = (classes[best], float(row[best])) if masked[best] >= 0 else (None, 0.0)
            found.append(((classes[top], float(row[top])), need))
        return found

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue  # a button's payload is an intent already
            intent = message.get(INTENT) or {}
            if intent.get("name") in NEVER_REPLACED:
                continue
            if len(text) >= LONG:
                self._read_question(message, text, intent)
                # In a story, the needs are those of its question sentences, not of what it tells.
                self._mark_needs(message, text, only=questions(text))
            else:
                self._read_need_and_why(message, text, intent)
                self._mark_needs(message, text)
        return messages

    def _read_need_and_why(self, message: Message, text: str, intent: dict) -> None:
        """A conversation move said with a need: the need is the intent.

        « combien je touche et pourquoi c'est si peu ? » read whole is a bare « pourquoi ? » (``ask_why``),
        which has nothing to be about in a first message; its other clause holds the question the why is
        about, and the need's answer reads the message's « pourquoi … » and gives the file's reasons
        (``actions.personal.why_from_the_file``). « non c'est pas ça que je demandais, je voulais savoir
        quand je serai payée » read whole is a « non » (``deny``): its other clause is the question asked
        again. The move must have a clause of its own, and the need another one."""
        move_of_message = intent.get("name")
        wanted = MOVES_BEFORE_A_NEED.get(move_of_message or "")
        if wanted is None:
            return
        clauses = split_clauses(text)
        if len(clauses) < 2:
            return
        read = self.read_both([c.text for c in clauses])
        moves = [move for (move, _), _ in read]
        for (move, _), (need, probability) in read:
            if move != move_of_message and need in wanted and probability >= NEED_CONFIDENCE:
                if move_of_message not in moves:
                    return  # no clause of its own is the move: the classifier's reading stands
                current = float(intent.get("confidence") or 0)
                chosen = {"name": need, "confidence": max(probability, current)}
                others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != need]
                message.set(INTENT, chosen, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [chosen, *others], add_to_output=True)
                return

    def _read_question(self, message: Message, text: str, intent: dict) -> None:
        """A long story: the need of its question (the last asked with a « ? », else the surest) is the intent."""
        asked = questions(text)
        read = self.read_need([q.text for q in asked])
        chosen_need, confidence = None, 0.0
        for (need, probability), question in reversed(list(zip(read, asked, strict=True))):
            if need and "?" in question.text and probability >= QUESTION_CONFIDENCE:
                chosen_need, confidence = need, probability
                break
        else:
            for need, probability in read:
                if need and probability >= max(confidence, SURE_QUESTION):
                    chosen_need, confidence = need, probability
        if chosen_need is None:
            return
        current = float(intent.get("confidence") or 0)
        if intent.get("name") in CLAUSE_NEEDS and current >= 0.8 and chosen_need != intent.get("name"):
            return  # the classifier was sure of a need: the story did not mislead it
        # The story is read for its question: the question's need leads the ranking, at least as sure as the
        # classifier's reading of the whole story was (else the fallback would see a ranking out of order and
        # call it ambiguous: the clarifying question instead of the answer).
        chosen = {"name": chosen_need, "confidence": max(confidence, current)}
        others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != chosen_need]
        ranking = [chosen] + sorted(others, key=lambda r: -float(r.get("confidence") or 0))
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def _mark_needs(self, message: Message, text: str, only: list[Clause] | None = None) -> None:
        clauses = split_clauses(text)
        if only is not None:
            clauses = [c for c in clauses if any(q.start <= c.start and c.end <= q.end for q in only)]
        # An identifier or a date with a question (« 5678901E, né le 05/11/1980. Jusqu'à quand… ? »): the
        # message is read as information; its question is the need that waits for the identification.
        single = (message.get(INTENT) or {}).get("name") == "inform"
        if len(clauses) < (1 if single else 2):
            return
        found: list[dict] = []
        for clause, (need, confidence) in zip(clauses, self.read(readings(clauses)), strict=True):
            if need in CLAUSE_NEEDS and confidence >= NEED_CONFIDENCE and need not in [f["value"] for f in found]:
                found.append(
                    {
                        "entity": "need",
                        "value": need,
                        "start": clause.start,
                        "end": clause.end,
                        "confidence_entity": round(confidence, 3),
                        "extractor": type(self).__name__,
                    }
                )
        if len(found) >= (1 if single else 2):
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), *found], add_to_output=True)
