"""Normalise French chat and SMS spelling for the featurizers, never for the transcript.

People write "cb jvais toucher ce mois-ci", "Combien vais-je percevoir ?", "jsp qd
l'alloc tombe". The intent classifier should see the same words in all of these:
``combien``, ``quand``, ``allocation``. ``FrenchTextNormalizer`` lowercases, removes
accents, splits elisions and hyphens, shortens stretched letters and expands a
small lexicon of SMS abbreviations (``LEXICON``).

Why tokens and not text
-----------------------
Rasa 3.6 builds the parse result from ``message.data["text"]`` (it is what
``/model/parse`` returns as ``"text"`` and what the tracker stores inside
``UserUttered.parse_data``), and the offsets of annotated entities in the
training data point into that same text. A component that rewrote ``text`` would
put the normalised wording in stored conversations and in the counsellor's
transcript, and shift every entity offset. So this component sits *after* the
tokenizer and rewrites the tokens instead:

- ``message.data["text"]`` is never touched: ``/model/parse``, the tracker
  (``UserUttered.text`` and its ``parse_data["text"]``) and the transcripts keep
  what the person wrote;
- each token is replaced by its normalised word(s) (text and lemma, since
  ``CountVectorsFeaturizer`` reads the lemma); words produced from one token keep
  that token's ``start``/``end``, so offsets still point into the original text;
- a "€" that the whitespace tokenizer drops becomes a token "euros", so that
  "800€" and "800 euros" give the same features.

Entity extractors that work on the text (``bot.nlu.entities``) read the original
words, with their accents and capitals.

Pipeline position (config.yml)::

    - name: WhitespaceTokenizer
    - name: bot.nlu.normalizer.FrenchTextNormalizer
    - name: RegexFeaturizer          # and the other featurizers after it

It is registered as a ``MESSAGE_TOKENIZER`` so that the default recipe runs it in
pipeline order on the training data (``process_training_data``) and on every
message (``process``); it declares that it needs a ``Tokenizer`` before it, so a
config that puts it first fails validation instead of silently doing nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.common import folding
from bot.common.folding import APOSTROPHES

LEXICON: dict[str, str] = {
    # Question words: they carry the intent of most allowance questions
    # ("how much", "when", "why", "what").
    "cb": "combien",
    "cmb": "combien",
    "qd": "quand",
    "qnd": "quand",
    "kan": "quand",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pkoi": "pourquoi",
    "pourkoi": "pourquoi",
    "koi": "quoi",
    "ke": "que",
    "ki": "qui",
    "kel": "quel",
    # Short forms of frequent words and phrases in SMS French.
    "c": "c est",  # only a standalone "c" ("c quand"), never the "c" of "c'est"
    "g": "j ai",
    "jai": "j ai",
    "chui": "je suis",
    "jsuis": "je suis",
    "jsp": "je sais pas",
    "ya": "il y a",
    "ds": "dans",
    "pr": "pour",
    "mm": "meme",
    "bcp": "beaucoup",
    "tjrs": "toujours",
    "tjr": "toujours",
    "vs": "vous",
    "qqn": "quelqu un",
    "pcq": "parce que",
    "mtn": "maintenant",
    "auj": "aujourd hui",
    "pb": "probleme",
    # Greetings, thanks, agreement: small-talk intents and answers to the bot.
    "slt": "salut",
    "bjr": "bonjour",
    "bsr": "bonsoir",
    "cc": "coucou",
    "stp": "s il vous plait",
    "svp": "s il vous plait",
    "mrc": "merci",
    "mci": "merci",
    "dac": "d accord",
    "dacc": "d accord",
    "oki": "ok",
    "okk": "ok",
    "dsl": "desole",
    # The allowance and the agency, as people name them. "ARE" is the allowance's
    # own acronym; the English "are" is rare here and an English message is handed
    # to a counsellor anyway. Pôle emploi became France Travail in January 2024:
    # both names, and their initials, mean the same agency.
    "alloc": "allocation",
    "allocs": "allocation",
    "are": "allocation",
    "chomdu": "chomage",
    "actu": "actualisation",
    "ft": "france travail",
    "pe": "france travail",
    "pole emploi": "france travail",
    "rdv": "rendez vous",
    "msg": "message",
    "tel": "telephone",
    # Money: "200 balles", "800€" and "800 euros" should look alike.
    "balles": "euros",
    "€": "euros",
}
"""SMS and colloquial French spellings -> full words (keys are folded: lowercase,
no accents). Kept small on purpose: each entry is a frequent way to write a word
that matters for the intents (question words, greetings and thanks, the allowance
and the agency, money); spelling mistakes are left to the character n-grams of
the featurizer. A key is only ever matched against a whole word, never inside a
longer one ("cb" in "cbd" stays), and a key with a space matches consecutive
words."""

_PHRASES: dict[tuple[str, ...], list[str]] = {
    tuple(key.split()): value.split() for key, value in LEXICON.items() if " " in key
}
_MAX_PHRASE = max((len(key) for key in _PHRASES), default=1)

# A word: letters, or a number with its separators, or "€", or basic punctuation.
# Everything else (quotes, hyphens, symbols, emoji) separates words and is dropped.
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*|€|[?!.,;:%]+")
_STRETCH = re.compile(r"(\D)\1{2,}")
_SQUEEZE = re.compile(r"(\D)\1+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", **{a: "'" for a in APOSTROPHES}})


def _strip_accents(text: str) -> str:
    text = text.lower().translate(_LIGATURES)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _expand(word: str, elided: bool) -> list[str]:
    """The normalised word(s) for one written word."""
    squeezed = _STRETCH.sub(r"\1\1", word)
    if elided:
        return [squeezed]
    expansion = LEXICON.get(squeezed)
    if expansion is None and squeezed != word:
        # "svppp", "cbbb", "merciii": stretched for emphasis; try the plain spelling.
        expansion = LEXICON.get(_SQUEEZE.sub(r"\1", word))
    return expansion.split() if expansion is not None else [squeezed]


def normalized_words(text: str, elided: bool = False) -> list[str]:
    """The normalised words of ``text``; ``elided`` says that ``text`` is followed by an apostrophe.

    >>> normalized_words("J'ai")
    ['j', 'ai']
    >>> normalized_words("c", elided=True)
    ['c']
    """
    folded = _strip_accents(text)
    words: list[str] = []
    for match in _WORD.finditer(folded):
        word = match.group()
        is_elided = word[0].isalpha() and (
            folded[match.end() : match.end() + 1] == "'" or (elided and match.end() == len(folded))
        )
        words.extend(_expand(word, is_elided))
    return words


def _merge_phrases(items: list[tuple[str, int, int, dict]]) -> list[tuple[str, int, int, dict]]:
    """Replace lexicon phrases spread over consecutive words ("pole emploi")."""
    if not _PHRASES:
        return items
    merged: list[tuple[str, int, int, dict]] = []
    i = 0
    while i < len(items):
        for size in range(_MAX_PHRASE, 1, -1):
            key = tuple(item[0] for item in items[i : i + size])
            replacement = _PHRASES.get(key)
            if replacement is not None:
                start, end = items[i][1], items[i + size - 1][2]
                merged.extend((word, start, end, dict(items[i][3])) for word in replacement)
                i += size
                break
        else:
            merged.append(items[i])
            i += 1
    return merged


def normalize(text: str) -> str:
    """The normalised form of a whole message, as the featurizers see it.

    >>> normalize("Cb jvais toucher ce mois-ci ? Pôle Emploi m'a rien dit, svppp")
    'combien jvais toucher ce mois ci ? france travail m a rien dit , s il vous plait'
    """
    items = [(word, 0, 0, {}) for word in normalized_words(text)]
    return " ".join(item[0] for item in _merge_phrases(items))


def normalize_tokens(text: str, tokens: list[Token]) -> list[Token]:
    """Tokens of ``text`` rewritten into normalised words, offsets kept in ``text``."""
    items: list[tuple[str, int, int, dict]] = []
    for token in tokens:
        elided = text[token.end : token.end + 1] in APOSTROPHES if token.end < len(text) else False
        for word in normalized_words(token.text, elided):
            items.append((word, token.start, token.end, token.data))
    if "€" in text:
        # The whitespace tokenizer drops "€"; give it a word of its own.
        covered = [(token.start, token.end) for token in tokens]
        for position, char in enumerate(text):
            if char == "€" and not any(start <= position < end for start, end in covered):
                items.extend((word, position, position + 1, {}) for word in _expand("€", elided=False))
        items.sort(key=lambda item: item[1])  # stable: the words of one token stay in order
    if not items:
        # Only emoji or symbols: keep what the tokenizer made rather than nothing.
        return tokens
    return [Token(word, start, end, data=dict(data), lemma=word) for word, start, end, data in _merge_phrases(items)]


def message_words(message: Message) -> list[str]:
    """The normalised words of a processed message, as this normaliser left them in its tokens."""
    return [token.text for token in message.get(TOKENS_NAMES[TEXT]) or []]


def _source_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (Path(__file__), Path(folding.__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()


_SOURCE_FINGERPRINT = _source_fingerprint()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class FrenchTextNormalizer(GraphComponent):
    """Rewrites the text tokens into normalised French words; leaves ``text`` as written."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FrenchTextNormalizer:
        return cls()

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa's training cache fingerprints this class's source only; the lexicon and
        # helpers live beside it, so a change to them must retrain what comes after.
        return _SOURCE_FINGERPRINT

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalize_message(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._normalize_message(message)
        return messages

    @staticmethod
    def _normalize_message(message: Message) -> None:
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT])
        if not isinstance(text, str) or not tokens:
            return
        message.set(TOKENS_NAMES[TEXT], normalize_tokens(text, tokens))
