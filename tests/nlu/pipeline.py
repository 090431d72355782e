"""A small NLU pipeline trained inside a test: the tokenizer and our normaliser, a word featurizer,
then the components under test, on a few examples per intent.

Trained by Rasa itself (``train_nlu``) into the test's directory, with a training
cache of its own, so the components are tested through Rasa's graph, saved and loaded
as in the real model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

HEAD = [
    {"name": "WhitespaceTokenizer"},
    {"name": "bot.nlu.normalizer.FrenchTextNormalizer"},
    {"name": "CountVectorsFeaturizer"},
]


def config(*components: str | dict[str, Any]) -> dict[str, Any]:
    """A default.v1 NLU configuration: ``HEAD``, then ``components`` (a name, or a name with options)."""
    tail = [{"name": c} if isinstance(c, str) else c for c in components]
    return {"recipe": "default.v1", "language": "fr", "assistant_id": "test", "pipeline": HEAD + tail, "policies": []}


def nlu(examples: dict[str, list[str]]) -> str:
    blocks = [
        {"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)} for intent, texts in examples.items()
    ]
    return yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False)


def train(
    directory: Path,
    components: list[str | dict[str, Any]],
    examples: dict[str, list[str]],
    cache: Path | None = None,
) -> str:
    """The trained model's path. Trainings that share a ``cache`` reuse the parts they have in common."""
    from rasa.model_training import train_nlu

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config.yml").write_text(yaml.safe_dump(config(*components), sort_keys=False))
    (directory / "nlu.yml").write_text(nlu(examples))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("RASA_CACHE_DIRECTORY", str(cache or directory / "cache"))
        return train_nlu(str(directory / "config.yml"), str(directory / "nlu.yml"), str(directory / "models"))


def agent(
    directory: Path,
    components: list[str | dict[str, Any]],
    examples: dict[str, list[str]],
    cache: Path | None = None,
):
    """The trained model, loaded as Rasa loads one (``Agent.load``)."""
    from rasa.core.agent import Agent

    return Agent.load(train(directory, components, examples, cache))
