"""Runs one guard after Rasa's tokenizer and our normaliser, on a message given an intent ranking."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.guards import IntentGuard
from bot.nlu.normalizer import FrenchTextNormalizer


def guard_components(storage_dir: Path, guard: type[IntentGuard]) -> tuple:
    args = (LocalModelStorage(storage_dir), Resource("t"), ExecutionContext(GraphSchema({}), "t"))
    return (
        WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), *args),
        FrenchTextNormalizer.create({}, *args),
        guard.create({}, *args),
    )


def classified(components: tuple, text: str, ranking: list[tuple[str, float]]) -> Message:
    """``text`` as the classifier would leave it with ``ranking``, then through the guard."""
    tokenizer, normalizer, guard = components
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    normalizer.process([message])
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking], add_to_output=True)
    guard.process([message])
    return message
