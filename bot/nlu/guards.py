"""What the rule-based guards after the intent classifier share (``ScopeGuard``, ``SuicideCueGuard``,
``HesitationGuard``, ``AnswerGuard``).

A guard reads the normaliser's words of a message and may change the intent the
classifier chose, before the ``FallbackClassifier`` decides. It has nothing to
train; a subclass only says what it does to one message, in ``guard``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalizer import FrenchTextNormalizer


class IntentGuard(GraphComponent):
    """A Rasa component that applies ``guard`` to every message it is given."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [FrenchTextNormalizer]

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
    ) -> IntentGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.guard(message)
        return messages

    def guard(self, message: Message) -> None:
        raise NotImplementedError


def impose(message: Message, intent: str) -> None:
    """Set ``intent`` at confidence 1.0, as a rule decides: the other intents stay in the ranking,
    in the classifier's order, at 0, so that the fallback never turns the rule's answer into a question."""
    others = [
        {"name": entry["name"], "confidence": 0.0}
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry["name"] != intent
    ]
    message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *others], add_to_output=True)
