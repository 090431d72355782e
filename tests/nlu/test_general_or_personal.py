"""A general question about the ARE gets the rules' answer, the person's own question their file, through the real
Rasa and action servers (issue 20, part « nlu »; docs/nlu.md, « General or personal »).

The two are worded alike (« la part fixe c'est combien » / « combien je vais toucher »): the data tells them apart
by the kind of answer (a definition, a parameter, a delay, « en général », against a date, an amount or a balance
of one's own). The probes were written for this test and must stay out of the training data (checked below), or
the test would only measure memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.evaluate import load_examples
from bot.common import knowledge
from bot.nlu.normalizer import normalize
from tests.integration.conversation import Conversation

GENERAL = [
    ("la dégressivité ça consiste en quoi", "degressivity"),
    ("en général on est payé quand", "payment_delay"),
    ("la part fixe c'est combien", "fixed_part"),
    ("c combien la part fixe de l'ARE par jour", "fixed_part"),
    ("un trop-perçu c'est quoi", "overpayment_rule"),
    ("combien de temps dure l'ARE en général", "rights_duration_rule"),
]
PERSONAL = [
    ("quand je serai payé", "ask_payment_date"),
    ("je vais toucher combien au juste, moi", "ask_allowance_amount"),
    ("j'ai un trop-perçu ?", "ask_overpayment"),
    ("jusqu'à quand j'ai droit", "ask_rights_duration"),
]


def test_probes_are_not_training_examples():
    training = {normalize(text) for path in Path("data/nlu").glob("*.yml") for text, _ in load_examples(path)}
    training |= {normalize(example) for entry in knowledge.load_entries() for example in entry.examples}
    assert [text for text, _ in GENERAL + PERSONAL if normalize(text) in training] == []


@pytest.mark.parametrize(("text", "entry"), GENERAL)
def test_a_general_question_gets_the_rule_without_identification(dialogue, text, entry):
    conversation = Conversation(dialogue)
    reply = conversation.say(text)
    message = conversation.tracker()["latest_message"]
    assert message["intent"]["name"] == knowledge.INTENT, (text, message["intent"])
    chosen = message["response_selector"][knowledge.INTENT]["response"]["intent_response_key"]
    assert chosen == f"{knowledge.INTENT}/{entry}", (text, chosen)
    assert "Source :" in reply and "identifiant" not in reply, (text, reply)


@pytest.mark.parametrize(("text", "intent"), PERSONAL)
def test_a_personal_question_reads_the_file(dialogue, text, intent):
    conversation = Conversation(dialogue)
    reply = conversation.say(text)
    assert conversation.tracker()["latest_message"]["intent"]["name"] == intent, text
    assert "identifiant" in reply, (text, reply)
