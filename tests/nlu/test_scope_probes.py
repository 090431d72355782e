"""Out-of-scope messages never get an allowance answer, through the real Rasa server.

The probes below are built like allowance questions ("combien", "quand",
"pas versé", "rembourser") but are about something else: taxes, pensions, health
insurance, banks, transport, the CAF. Each one goes, in a conversation of its
own, to the real Rasa server and action server; the bot may redirect it (out of
scope, other benefit) or ask a clarifying question (fallback), but never pick an
allowance need, which would start an identification and show the person's
figures. They were written for this test and must stay out of the training
data (checked below), or the test would only measure memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.evaluate import ALLOWANCE_ANSWERS, load_examples
from bot.nlu.normalizer import normalize
from tests.integration.conversation import Conversation

# A probe that gets an allowance intent is kept and marked pytest.mark.xfail(strict=True) rather than
# removed, so that the mark must go as soon as the model gets it right. None is marked today: the three
# that leaked (taxes, a survivor's pension, a car loan) are caught by bot.nlu.scope.ScopeGuard.
PROBES = [
    "combien je vais payer d'impôt sur le revenu l'an prochain",
    "pk les impots m'ont preleve 200 euros",
    "quand est-ce que l'avis de taxe foncière arrive",
    "ma pension de réversion est versée quel jour",
    "cb je toucherai de retraite complémentaire",
    "la cpam m'a pas remboursé ma consultation",
    "quand la secu verse les indemnités de mon congé maternité",
    "ma banque a rejeté mon prélèvement, pourquoi",
    "combien coute le forfait navigo par mois",
    "le train de 8h est supprimé demain ?",
    "ma bourse crous a pas été versée ce mois",
    "combien je dois rembourser sur mon prêt auto",
    "combien je vais avoir de prime d'activité ce trimestre",
    "l'apl arrive quand ce mois ci",
    "quel temps il fera samedi a marseille",
    "tu peux me raconter une blague",
    "combien de calories dans une pizza",
    "mon patron me doit deux mois de salaire, je fais quoi",
    "comment contester un pv de stationnement",
    "combien coûte une carte grise",
]
FOREIGN_NEEDS = {"out_of_scope", "ask_other_benefit", "nlu_fallback"}


def test_probes_are_not_training_examples():
    training = {normalize(text) for path in Path("data/nlu").glob("*.yml") for text, _ in load_examples(path)}
    texts = [probe.values[0] if hasattr(probe, "values") else probe for probe in PROBES]
    assert [text for text in texts if normalize(text) in training] == []


@pytest.mark.parametrize("probe", PROBES)
def test_out_of_scope_probe_gets_no_allowance_answer(dialogue, probe):
    conversation = Conversation(dialogue)
    reply = conversation.say(probe)
    intent = conversation.tracker()["latest_message"]["intent"]["name"]
    assert intent not in ALLOWANCE_ANSWERS, (probe, intent)
    assert intent in FOREIGN_NEEDS, (probe, intent)
    assert "identifiant" not in reply, (probe, reply)
