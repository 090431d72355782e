"""Distress, suicidal words, other benefits and out-of-scope questions, through the real servers."""

from __future__ import annotations

import pytest

from tests.integration.conversation import Conversation, unclear_messages


@pytest.mark.parametrize(
    "message",
    [
        "j'ai envie d'en finir, je n'en peux plus",
        "je veux mourir",
    ],
)
def test_suicidal_words_get_the_3114_at_once(dialogue, message):
    reply = Conversation(dialogue).say(message)
    assert "3114" in reply


def test_a_long_money_message_with_suicidal_words_gets_the_prevention_answer(dialogue):
    # The money words weigh for distress; the explicit expression decides (SuicideCueGuard).
    reply = Conversation(dialogue).say(
        "Bonjour, je suis au chômage depuis un an, mon loyer est impayé, la banque me relance tous les jours "
        "et mon dossier est bloqué. Franchement je pense à mettre fin à mes jours."
    )
    assert "prévention du suicide" in reply and "3114" in reply


@pytest.mark.parametrize(
    "message",
    [
        "j'ai plus rien pour manger ce mois ci",
        "je vais etre expulsé de mon logement la semaine prochaine",
    ],
)
def test_distress_gets_a_human_emergency_help_and_the_3114(dialogue, message):
    reply = Conversation(dialogue).say(message)
    assert "3949" in reply and "115" in reply and "3114" in reply


def test_other_benefits_are_sent_to_the_caf_without_identification(dialogue):
    conversation = Conversation(dialogue)
    reply = conversation.say("comment je fais pour toucher la prime d'activité ?")
    assert "CAF" in reply
    assert conversation.tracker()["slots"]["identified"] is False


def test_out_of_scope_gets_a_redirection_and_no_figure(dialogue):
    reply = Conversation(dialogue).say("vous pouvez m'aider à refaire mon CV ?")
    assert "francetravail.fr" in reply
    assert "€" not in reply


def test_declaration_window_needs_no_identification(dialogue):
    reply = Conversation(dialogue).say("c'est quand l'actualisation ce mois-ci ?")
    assert "28 novembre 2026" in reply  # the November window, on the pinned day 22 Nov 2026
    assert "identifiant" not in reply


def test_gibberish_gets_a_clarifying_question_with_choices(dialogue):
    conversation = Conversation(dialogue)
    messages = conversation.messages(unclear_messages(dialogue, 1)[0])
    text = " ".join(m.get("text", "") for m in messages)
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert "comprendre" in text or "reformuler" in text
    assert buttons[-2:] == [
        {"title": "Autre chose", "payload": "/out_of_scope"},
        {"title": "Parler à un conseiller", "payload": "/ask_human"},
    ]
