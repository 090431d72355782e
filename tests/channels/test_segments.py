"""The SMS splitter: segment arithmetic and sentence-boundary cuts (examples and properties)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.segments import (
    chosen_payload,
    numbered_choices,
    plain_text,
    segment_info,
    split_sms,
)

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension table: two septets each
        ("€" * 81, "GSM-7", 162, 2),
        ("é" * 160, "GSM-7", 160, 1),  # é is in the GSM-7 basic table
        ("ê" * 70, "UCS-2", 70, 1),  # ê is not: the whole message is UCS-2
        ("ê" * 71, "UCS-2", 71, 2),
        ("ê" * 134, "UCS-2", 134, 2),
        ("ê" * 135, "UCS-2", 135, 3),
        ("🙂" * 35, "UCS-2", 70, 1),  # surrogate pairs count two
        ("", "GSM-7", 0, 0),
    ],
)
def test_segment_arithmetic(text, encoding, units, segments):
    info = segment_info(text)
    assert (info.encoding, info.units, info.segments) == (encoding, units, segments)


def test_escape_pairs_are_never_cut_between_segments():
    # 152 plain characters then "€": 154 septets in the first segment would split the escape pair
    info = segment_info("a" * 152 + "€" + "a" * 10)
    assert info.units == 164 and info.segments == 2
    assert segment_info("a" * 152 + "€" * 77).segments == 3  # 152 + 2*77 = 306 but the pair moves over


def test_typography_is_made_gsm_but_accents_stay():
    assert (
        plain_text("Vous n’avez « rien » à faire…\u00a01\u202f234,56\u00a0€")
        == 'Vous n\'avez "rien" à faire... 1 234,56 €'
    )
    assert segment_info(plain_text("Vous n’avez « rien » à faire")).encoding == "GSM-7"
    assert "ç" in plain_text("reçu")


def test_a_long_answer_is_cut_between_sentences():
    sentences = [
        "Votre allocation de novembre est de 1 234,56 €.",
        "Elle sera versée le lundi 3 décembre 2026.",
        "Vous n'avez rien à faire.",
        "Votre déclaration a bien été reçue.",
        "Pour parler à un conseiller, appelez le 3949.",
    ]
    parts = split_sms(" ".join(sentences), max_segments=1)
    assert len(parts) > 1
    for part in parts:
        assert segment_info(part).segments == 1
        assert part.endswith((".", "!", "?"))
    assert " ".join(parts) == plain_text(" ".join(sentences))


def test_a_short_answer_is_one_message():
    assert split_sms("Merci Camille, vous êtes identifiée.") == ["Merci Camille, vous êtes identifiée."]
    assert split_sms("   ") == []


def test_a_sentence_longer_than_a_message_is_cut_between_words():
    sentence = "Votre " + " ".join(["allocation"] * 40) + "."
    parts = split_sms(sentence, max_segments=1)
    assert all(segment_info(p).segments == 1 for p in parts)
    assert all(w == "allocation" or w in ("Votre", "allocation.") for p in parts for w in p.split(" "))


def test_a_word_longer_than_a_message_is_the_only_thing_cut():
    link = "https://www.francetravail.fr/" + "x" * 300
    parts = split_sms(f"Voici le lien : {link}", max_segments=1)
    assert "".join(parts[1:]) == link or "".join(parts).endswith(link)
    assert all(segment_info(p).segments == 1 for p in parts)


def test_buttons_become_numbered_choices_and_numbers_come_back():
    text, payloads = numbered_choices(
        "Voulez-vous parler à un conseiller ?",
        [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}],
    )
    assert text == "Voulez-vous parler à un conseiller ?\n1. Oui\n2. Non\nRépondez par le numéro de votre choix."
    assert payloads == ["/affirm", "/deny"]
    assert chosen_payload("1", payloads) == "/affirm"
    assert chosen_payload(" 2) ", payloads) == "/deny"
    assert chosen_payload("2.", payloads) == "/deny"
    assert chosen_payload("3", payloads) is None
    assert chosen_payload("0", payloads) is None
    assert chosen_payload("1 234", payloads) is None
    assert chosen_payload("1", []) is None


words = st.text(alphabet=st.sampled_from("abcdeéèêçàôù€[]ABC0123456789'🙂"), min_size=1, max_size=25)
sentence = st.builds(
    lambda ws, end: " ".join(ws) + end, st.lists(words, min_size=1, max_size=30), st.sampled_from([".", "!", "?", ""])
)
texts = st.builds(
    lambda ss, sep: sep.join(ss), st.lists(sentence, min_size=1, max_size=12), st.sampled_from([" ", "\n"])
)


@given(texts, st.integers(min_value=1, max_value=4))
def test_every_part_fits_and_no_word_is_lost_or_cut(text, max_segments):
    parts = split_sms(text, max_segments)
    for part in parts:
        assert 1 <= segment_info(part).segments <= max_segments
        assert part == part.strip()
    # The words come back in order, none cut (no generated word is longer than one segment).
    assert " ".join(parts).split() == plain_text(text).split()


@given(texts)
def test_parts_end_at_sentence_boundaries_when_sentences_fit(text):
    parts = split_sms(text, 4)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n", plain_text(text)) if s.strip()]
    if all(segment_info(s.strip()).segments <= 4 for s in sentences):
        ends = {s.strip() for s in sentences}
        # every cut falls at the end of a sentence: each part's last line ends a sentence
        for part in parts:
            last_line = part.split("\n")[-1]
            assert any(last_line.endswith(s) for s in ends)
