"""The phone channel's reading of keys and speech, in process."""

from __future__ import annotations

import pytest

from bot.channels.voice import read_digits, read_speech, typed_date, typed_identifier

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
