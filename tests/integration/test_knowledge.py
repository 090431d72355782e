"""General questions about the ARE through the real Rasa server, action server and backend (issue 20).

Answered at once, with no identification, with the backend's figure of the day; inside the
identification form the question is answered and the form goes on.
"""

from __future__ import annotations

from decimal import Decimal

import httpx

from bot.common.formatting import format_eur
from tests.integration.conversation import Conversation
from tests.servers import SERVICE_TOKEN


def rule(stack, name: str):
    served = httpx.get(
        f"{stack.backend_url}/v1/rules/parameters", headers={"X-Service-Token": SERVICE_TOKEN}, timeout=10
    ).json()
    return served["parameters"][name]["value"]


def test_a_general_question_is_answered_with_the_backends_figure_and_no_identification(dialogue):
    reply = Conversation(dialogue).say("c'est quoi la partie fixe de l'ARE en ce moment ?")
    assert format_eur(Decimal(rule(dialogue, "aj_fixed_part"))) in reply
    assert "identifiant" not in reply and "Source :" in reply


def test_a_general_question_inside_the_identification_form_is_answered_and_the_form_goes_on(dialogue):
    conversation = Conversation(dialogue)
    assert "identifiant" in conversation.say("combien je vais toucher ce mois ci ?")
    reply = conversation.say("attendez, c'est combien de jours le delai de carence deja ?")
    assert f"{rule(dialogue, 'waiting_period_days')} jours" in reply
    assert "identifiant" in reply
