"""The user messages of the test stories are understood as their stories say.

`rasa test core` checks the dialogue with the labelled intents; this checks the
NLU on the same realistic messages, through the running Rasa server.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from tests.servers import RASA_TOKEN

STORIES = Path(__file__).resolve().parent.parent / "stories"


def story_messages() -> list[tuple[str, str]]:
    messages = set()
    for path in sorted(STORIES.glob("*.yml")):
        for story in yaml.safe_load(path.read_text())["stories"]:
            for step in story["steps"]:
                if "user" in step:
                    messages.add((step["user"].strip(), step["intent"]))
    return sorted(messages)


@pytest.mark.parametrize(("text", "intent"), story_messages())
def test_story_message_is_understood(dialogue, text, intent):
    parsed = httpx.post(
        f"{dialogue.rasa_url}/model/parse", params={"token": RASA_TOKEN}, json={"text": text}, timeout=10
    ).json()
    assert parsed["intent"]["name"] == intent, parsed["intent_ranking"][:3]
