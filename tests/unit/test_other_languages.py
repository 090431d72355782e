"""The answer to a message in another language: in that language, with the 3949, and speakable.

The action is run as the action server runs it (rasa_sdk's Tracker and dispatcher); each wording of
its table goes through the phone's renderer (bot/channels/spoken.py) like any other answer.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.languages import DISTRESS, FRENCH_NOTE, SPEAK, SUICIDAL, WORDINGS, ActionAnswerOtherLanguage, wording
from bot.channels.spoken import spoken_form
from tests.voice.test_spoken import assert_for_the_ear

pytestmark = pytest.mark.unit

LANGUAGES = {"en", "es", "pt", "it", "de", "tr", "ro", "pl", "ru", "uk", "ar", "ar-latn"}


def test_every_language_has_every_wording() -> None:
    for table in WORDINGS.values():
        assert set(table) == LANGUAGES


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_wordings_give_the_right_numbers(language: str) -> None:
    assert "3949" in SPEAK[language] and "conseiller" in SPEAK[language]
    assert "3114" in SUICIDAL[language] and "112" in SUICIDAL[language]
    assert "115" in DISTRESS[language] and "CCAS" in DISTRESS[language]
    assert wording("speak", language).endswith(FRENCH_NOTE)


@pytest.mark.parametrize(("kind", "language"), [(k, lang) for k in WORDINGS for lang in sorted(LANGUAGES)])
def test_every_wording_is_speakable(kind: str, language: str) -> None:
    spoken = spoken_form({"text": wording(kind, language)}, date(2026, 11, 22))
    assert_for_the_ear(spoken.text)
    assert not re.search(r"\d", spoken.text)


def _run(intent: str, language: str | None) -> list[dict]:
    entities = [{"entity": "language", "value": language}] if language else []
    latest = {"text": "…", "intent": {"name": intent, "confidence": 1.0}, "entities": entities}
    tracker = Tracker("t", {}, latest, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOtherLanguage().run(dispatcher, tracker, {}))
    return dispatcher.messages


def test_the_action_answers_in_the_person_s_language() -> None:
    [message] = _run("speak_other_language", "es")
    assert "francés" in message["text"] and "3949" in message["text"]
    [message] = _run("express_suicidal_thoughts", "de")
    assert "3114" in message["text"] and "Suizid" in message["text"]
    [message] = _run("express_distress", "tr")
    assert "115" in message["text"]


def test_an_unknown_language_is_answered_in_english() -> None:
    [message] = _run("speak_other_language", "other")
    assert "French" in message["text"]
