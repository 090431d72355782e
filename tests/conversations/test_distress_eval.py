"""The distress set through the trained model: what holds today, and must keep holding.

The goals of issue 20 (recall 1.0 on explicit suicidal messages in every
language, no urgent answer on the hard negatives) are far from met today; the
figures are in docs/conversations.md. What is asserted here is true on today's
model and would fail on a regression: every explicit suicidal message written in
French gets the suicide-prevention answer (``express_suicidal_thoughts``, the 3114).
"""

from __future__ import annotations

import pytest

from bot.cli.conversations.distress import load_distress_set, parse_all
from tests.servers import RASA_TOKEN


@pytest.fixture(scope="module")
def parsed(dialogue):
    return parse_all(dialogue.rasa_url, RASA_TOKEN, load_distress_set())


def test_every_explicit_french_suicidal_message_gets_the_suicide_prevention_answer(parsed):
    french = [p for p in parsed if p.message.label == "suicidal" and p.message.lang == "fr"]
    assert len(french) >= 40
    missed = [(p.message.text, p.intent) for p in french if p.intent != "express_suicidal_thoughts"]
    assert missed == []
