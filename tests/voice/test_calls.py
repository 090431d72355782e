"""Phone calls end to end: signed Twilio Voice webhooks -> real Rasa + actions + backend -> TwiML back.

Each test calls from its own number (a persona's, or a fresh unknown one).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import httpx
import pytest

from bot.channels.spoken import amount_words, say_reference
from tests.channels.conftest import unknown_number
from tests.integration.conversation import BackendView
from tests.servers import RASA_TOKEN, VOICE_COUNSELLORS_NUMBER, VOICE_URGENT_NUMBER
from tests.voice.conftest import IDENTITY, tracker

FOR_THE_EAR = re.compile(r"[0-9€*#<>\[\]_]|https?:|www\.|\.fr\b")


def assert_spoken(text: str) -> None:
    assert text, "nothing said"
    assert not FOR_THE_EAR.search(text), f"written for the screen, not the ear: {text!r}"


def backend_amount(stack, identifier: str, born: date) -> Decimal:
    view = BackendView(stack, identifier, born)
    try:
        figures = view.get("allowance")
    finally:
        view.close()
    payment = figures.get("payment")
    paid = payment and payment["status"] == "paid"
    return Decimal(payment["net"]) if paid else Decimal(figures["monthly"]["net"])


def assert_gathers_in_french(twiml) -> None:
    gather = twiml.gather
    assert gather is not None, twiml.raw
    assert gather["input"] == "speech dtmf"
    assert gather["language"] == "fr-FR"
    assert "actualisation" in gather["hints"] and "trop-perçu" in gather["hints"]
    assert gather["bargeIn"] == "true"
    assert gather["speechTimeout"]
    assert gather["action"].startswith("https://allocbot.example.test/webhooks/twilio_voice/gather")
    assert 'language="fr-FR"' in twiml.raw and "voice=" in twiml.raw  # <Say language voice>


def test_a_persona_identified_by_number_and_typed_birth_date_hears_the_backends_amount(dialogue, phone_calls):
    call = phone_calls("+33612345601")  # Camille, born 12/04/1988
    greeting = call.dial_in()
    assert_gathers_in_french(greeting)
    assert "assistant automatique" in greeting.text and "pas une personne" in greeting.text
    asked = call.say("combien je vais toucher ce mois-ci")
    assert "date de naissance" in asked.text and "identifiant" not in asked.text
    assert_spoken(asked.text)
    answer = call.press("12041988")
    assert "Merci Camille" in answer.text
    expected = backend_amount(dialogue, "1234567A", date(1988, 4, 12))
    assert amount_words(expected) in answer.text, (amount_words(expected), answer.text)
    assert_spoken(answer.text)
    assert_gathers_in_french(answer)
    again = call.press("*")
    assert again.text == answer.text  # * repeats the last answer
    call.hang_up()
    assert "612345601" not in IDENTITY.sender_id("voice", "+33612345601")
    print("\n" + call.render())


def test_a_keypad_only_call_from_an_unknown_number(dialogue, phone_calls):
    call = phone_calls(unknown_number())  # Sofia's file, from a number that is not hers: identifier by keypad
    greeting = call.dial_in()
    assert "tapez un pour le montant" in greeting.text
    asked = call.press("1")
    assert "identifiant" in asked.text and "tapez" in asked.text
    asked = call.press("345678903")  # 3456789C: seven digits, then C's rank
    assert "date de naissance" in asked.text, asked.text
    answer = call.press("27011990")
    assert "Merci Sofia" in answer.text, answer.text
    assert "euros" in answer.text
    assert_spoken(answer.text)
    call.hang_up()


def test_two_misunderstandings_give_the_keypad_menu_then_a_counsellor(dialogue, phone_calls):
    call = phone_calls(unknown_number())
    call.dial_in()
    first = call.say("zorglub blabla patati")
    assert call.last.gather is not None
    second = call.press("#*#")  # unreadable keys: the misunderstanding path
    assert "tapez un pour le montant de votre allocation" in second.text, (first.text, second.text)
    assert "tapez trois pour parler à un conseiller" in second.text
    third = call.say("glou glou xyzzy")
    assert third.dial is not None or "référence" in third.text, third.raw


def test_a_handover_puts_the_call_through_with_the_reference(dialogue, phone_calls):
    call = phone_calls(unknown_number())
    call.dial_in()
    answer = call.say("je veux parler à un conseiller")
    assert answer.dial is not None, answer.raw
    target, attributes = answer.dialled[0]
    assert target == VOICE_COUNSELLORS_NUMBER
    assert "référence" in answer.text
    reference = re.search(r"reference=(AB-[A-Z0-9]{6})", attributes["url"]).group(1)
    assert_spoken(answer.text)
    whisper = call.whisper()
    assert say_reference(reference) in whisper.text
    ended = call.dial_ends("no-answer")
    assert ended.hangup and ended.text.count("référence") == 1 and "Je répète" in ended.text
    assert tracker(dialogue, call.caller)["slots"]["handoff_reference"] == reference
    call.hang_up()
    # Calling back while the counsellor still holds the conversation (bot paused): put through again.
    back = phone_calls(call.caller)
    assert "assistant automatique" in back.dial_in().text
    again = back.say("allô vous êtes là")
    assert again.dial is not None and reference in again.dial["action"], again.raw


def test_a_distress_call_hears_the_emergency_numbers_and_is_put_through_urgently(dialogue, phone_calls):
    call = phone_calls(unknown_number())
    call.dial_in()
    answer = call.say("je n'en peux plus je veux mourir")
    assert "trente et un quatorze" in answer.text, answer.text  # 3114
    assert answer.dial is not None, answer.raw
    assert answer.dialled[0][0] == VOICE_URGENT_NUMBER
    assert "urgent=1" in answer.dialled[0][1]["url"]
    assert "prioritaire" in call.whisper().text


def test_silence_is_reprompted_once_then_the_call_ends_politely(dialogue, phone_calls):
    call = phone_calls(unknown_number())
    greeting = call.dial_in()
    first = call.stay_silent()
    assert first.text.startswith("Je ne vous entends pas") and first.gather is not None
    assert greeting.text in first.text
    second = call.stay_silent()
    assert second.hangup and "Au revoir" in second.text


def test_a_hang_up_mid_identification_closes_the_call_cleanly(dialogue, phone_calls):
    call = phone_calls("+33612345604")  # Thomas
    call.dial_in()
    asked = call.say("quand est-ce que je serai payé")
    assert "date de naissance" in asked.text
    closed = call.hang_up()
    assert closed.status_code == 200
    events = tracker(dialogue, call.caller)
    assert events["active_loop"] in ({}, None) or not events["active_loop"].get("name")
    assert not events["slots"].get("identified")
    # a late webhook of the ended call is answered with a hang-up, not a crash
    late = call.post_raw("/webhooks/twilio_voice/gather", {"Digits": "18061985"})
    assert late.status_code == 200 and "<Hangup" in late.text
    # the next call starts afresh: asked the birth date again
    again = phone_calls("+33612345604")
    again.dial_in()
    assert "date de naissance" in again.say("quand est-ce que je serai payé").text
    again.hang_up()


@pytest.mark.parametrize("forgery", ["wrong token", "no signature", "other url"])
def test_a_forged_voice_webhook_gets_403(dialogue, phone_calls, forgery):
    call = phone_calls(unknown_number())
    if forgery == "wrong token":
        answer = call.post_raw("/webhooks/twilio_voice/webhook", {"CallStatus": "ringing"}, token="not-the-token")
    else:
        from urllib.parse import urlencode

        from tests.fakes.signing import twilio_signature, twilio_voice_form
        from tests.servers import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM

        form = twilio_voice_form(call.sid, call.caller, TWILIO_FROM, TWILIO_ACCOUNT_SID, status="ringing")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if forgery == "other url":
            headers["X-Twilio-Signature"] = twilio_signature(
                "https://evil.example/webhooks/twilio_voice/webhook", form, TWILIO_AUTH_TOKEN
            )
        answer = httpx.post(
            dialogue.rasa_url + "/webhooks/twilio_voice/webhook", content=urlencode(form), headers=headers, timeout=30
        )
    assert answer.status_code == 403
    sender = IDENTITY.sender_id("voice", call.caller)
    events = httpx.get(
        f"{dialogue.rasa_url}/conversations/{sender}/tracker",
        params={"token": RASA_TOKEN},
        timeout=30,
    ).json()["events"]
    assert not [e for e in events if e.get("event") == "user"]
