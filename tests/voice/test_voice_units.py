"""The phone channel's reading of keys and speech, in process."""

from __future__ import annotations

import json

import pytest

from bot.channels.voice import TwilioVoiceInput, read_digits, read_speech, typed_date, typed_identifier
from bot.channels.voice_state import Call, VoiceCallStore
from tests.fakes.saas import read_twiml

pytestmark = pytest.mark.unit


def test_typed_birth_date_and_identifier():
    assert typed_date("12041988") == "12/04/1988"
    assert typed_date("31021988") is None
    assert typed_identifier("123456701") == "1234567A"
    assert typed_identifier("345678903") == "3456789C"
    assert typed_identifier("123456727") is None


@pytest.mark.parametrize(
    ("digits", "expecting", "choices", "expected"),
    [
        ("*", None, [], ("repeat", None)),
        ("0", None, [], ("text", "/ask_human")),
        ("12041988", "birth_date", [], ("text", "12/04/1988")),
        ("12041988#", None, [], ("text", "12/04/1988")),
        ("1204", "birth_date", [], ("text", "1204")),
        ("123456701", "identifier", [], ("text", "1234567A")),
        ("800", "amount", [], ("text", "800 €")),
        ("2", None, ["/a", "/b"], ("text", "/b")),
        ("5", None, ["/a", "/b"], ("unreadable", None)),
        ("#*#", None, [], ("unreadable", None)),
        ("", None, [], ("unreadable", None)),
        ("1" * 40, None, [], ("unreadable", None)),
    ],
)
def test_what_keys_mean(digits, expecting, choices, expected):
    assert read_digits(digits, expecting, choices) == expected


def test_speech():
    assert read_speech("étoile", None) == ("repeat", None)
    assert read_speech("   ", None)[0] == "unreadable"
    assert read_speech("?!", None)[0] == "unreadable"
    assert read_speech("combien je vais toucher", None) == ("text", "combien je vais toucher")
    assert read_speech("un deux trois quatre cinq six sept A", "identifier") == ("text", "1234567 A")
    kind, text = read_speech("douze avril mille neuf cent quatre-vingt-huit", "birth_date")
    assert kind == "text" and text == "12 avril 1988"
    assert read_speech("zéro cinq zéro trois un neuf huit cinq", "birth_date") == ("text", "05/03/1985")


def channel(tmp_path, **settings) -> TwilioVoiceInput:
    options = {
        "auth_token": "token-0123456789",
        "secret": "secret-0123456789",
        "public_base_url": "https://allocbot.example.test",
        "store_url": f"sqlite:///{tmp_path / 'channels.db'}",
        "counsellors_number": "+33140000000",
    }
    options.update(settings)
    return TwilioVoiceInput(**options)


def test_a_transfer_dials_the_counsellors_with_the_reference_whispered(tmp_path):
    twiml = read_twiml(str(channel(tmp_path).transfer("Je vous passe un conseiller.", "AB-K7M4PQ", urgent=False)))
    assert twiml.text == "Je vous passe un conseiller."
    assert twiml.dial["action"] == "https://allocbot.example.test/webhooks/twilio_voice/transfer?reference=AB-K7M4PQ"
    number, attributes = twiml.dialled[0]
    assert number == "+33140000000"
    assert attributes["url"].endswith("/webhooks/twilio_voice/whisper?reference=AB-K7M4PQ&urgent=0")


def test_a_distress_transfer_goes_to_the_urgent_line(tmp_path):
    twiml = read_twiml(str(channel(tmp_path, urgent_number="+33140000099").transfer("x", "AB-K7M4PQ", urgent=True)))
    assert twiml.dialled[0][0] == "+33140000099" and "urgent=1" in twiml.dialled[0][1]["url"]


def test_a_transfer_to_a_sip_line_carries_the_reference_in_a_header(tmp_path):
    twiml = read_twiml(
        str(channel(tmp_path, counsellors_number="sip:conseillers@pbx.example").transfer("x", "AB-K7M4PQ", False))
    )
    assert twiml.dialled[0][0] == "sip:conseillers@pbx.example?X-Allocbot-Reference=AB-K7M4PQ"


def test_a_transfer_into_taskrouter_enqueues_a_task_with_the_reference(tmp_path):
    voice = channel(tmp_path, counsellors_number="", workflow_sid="WW" + "0" * 32)
    assert voice.missing_settings() == []
    twiml = read_twiml(str(voice.transfer("x", "AB-K7M4PQ", urgent=True)))
    assert twiml.enqueue == {"workflowSid": "WW" + "0" * 32}
    assert json.loads(twiml.task) == {"reference": "AB-K7M4PQ", "priority": "urgent"}


def test_the_gather_listens_in_french_with_barge_in_and_the_configured_voice(tmp_path):
    twiml = read_twiml(str(channel(tmp_path, voice="Polly.Lea-Neural").listen("Bonjour.")))
    assert twiml.gather["input"] == "speech dtmf" and twiml.gather["language"] == "fr-FR"
    assert twiml.gather["bargeIn"] == "true" and twiml.gather["actionOnEmptyResult"] == "true"
    assert 'voice="Polly.Lea-Neural"' in twiml.raw


def test_the_call_store_forgets_what_was_said_when_the_call_ends(tmp_path):
    store = VoiceCallStore(f"sqlite:///{tmp_path / 'calls.db'}")
    call = Call("CA" + "1" * 32, "voice-abc", phone_encrypted="enc", last_said="said", choices=["/a"])
    assert store.start(call)
    assert not store.start(call)  # Twilio announcing the same call twice
    assert store.get(call.call_sid).choices == ["/a"]
    assert store.end(call.call_sid)
    assert not store.end(call.call_sid)
    ended = store.get(call.call_sid)
    assert ended.ended and ended.last_said == "" and ended.phone_encrypted == "" and ended.choices == []


def test_the_conversation_id_is_a_keyed_hash_never_the_number(tmp_path):
    voice = channel(tmp_path)
    sender = voice.sender_of("+33612345601", "CA" + "2" * 32)
    assert sender.startswith("voice-") and "612345601" not in sender
    assert sender == voice.sender_of("+33612345601", "CA" + "3" * 32)  # one conversation per number
    withheld = voice.sender_of(None, "CA" + "2" * 32)
    assert withheld.startswith("voice-") and withheld != voice.sender_of(None, "CA" + "3" * 32)
