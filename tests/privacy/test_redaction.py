"""Redaction of identifiers in French text: examples, then properties over generated identifiers."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.fr import nir as stdnum_nir

from bot.formatting import format_date_fr, format_eur
from bot.privacy.redaction import DATE, EMAIL, IBAN, IDENTIFIER, LABELS, NIR, PHONE, redact, redact_event

pytestmark = pytest.mark.unit  # the fast loop: make unit

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon numéro de sécu est 188047512345607", f"mon numéro de sécu est {NIR}"),
        ("sécu : 1 88 04 75 123 456 07.", f"sécu : {NIR}."),
        ("sans la clé 1880475123456", f"sans la clé {NIR}"),
        ("Corse 2 91 12 2A 004 123 45", f"Corse {NIR}"),
        ("IBAN FR76 3000 6000 0112 3456 7890 189 merci", f"IBAN {IBAN} merci"),
        ("mon rib fr7630006000011234567890189", f"mon rib {IBAN}"),
        ("appelez-moi au 06 12 34 56 78 svp", f"appelez-moi au {PHONE} svp"),
        ("+33 6 12 34 56 01", PHONE),
        ("0033612345678", PHONE),
        ("06.12.34.56.78", PHONE),
        ("+3377000000012", PHONE),
        ("écrivez à jean.dupont@exemple.fr.", f"écrivez à {EMAIL}."),
        ("né le 12/04/1988", f"né le {DATE}"),
        ("12-04-1988", DATE),
        ("12.04.88", DATE),
        ("12 avril 1988", DATE),
        ("1er avril 1988", DATE),
        ("12 avr. 1988", DATE),
        ("1988-04-12", DATE),
        ("12041988", DATE),
        ("12 04 1988", DATE),
        ("mon identifiant 1234567A", f"mon identifiant {IDENTIFIER}"),
        ("identifiant : 1234567 b", f"identifiant : {IDENTIFIER}"),
        ("ticket TP-1234567A", f"ticket TP-{IDENTIFIER}"),
    ],
)
def test_identifiers_are_replaced_by_their_label(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "J'ai reçu 1 234,56 € et 800 euros en mars.",
        "1234,56 €",
        "3 000 €",
        "2 500,00 €",
        "45,12 € x 30 jours = 1 353,60 €",
        "un taux de 0,404",
        "le 5 mars",
        "mars 2025",
        "en 10/2025",
        "le 12/04",
        "de 2023 à 2025",
        "à 10:30",
        "salaire 12 345 678 €",
        "Bonjour, quand serai-je payé ?",
        "je travaille 35 h par semaine, 151,67 h par mois",
        "",
        "😀😀😀",
        "<script>alert(1)</script>",
        "{{ 7*7 }}",
        "'; DROP TABLE events; --",
    ],
)
def test_amounts_months_and_plain_text_are_kept(text: str) -> None:
    assert redact(text) == text


def valid_nir(rng: random.Random) -> str:
    body = (
        f"{rng.choice('12')}{rng.randrange(0, 100):02d}{rng.randrange(1, 13):02d}{rng.randrange(1, 96):02d}"
        f"{rng.randrange(1, 1000):03d}{rng.randrange(1, 1000):03d}"
    )
    return body + stdnum_nir.calc_check_digits(body)


def valid_french_iban(rng: random.Random) -> str:
    bban = "".join(rng.choice(string.digits) for _ in range(23))
    return "FR" + stdnum_iban.calc_check_digits("FR00" + bban) + bban


def spaced(text: str, size: int) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def french_phone(rng: random.Random) -> str:
    digits = f"0{rng.choice('123456789')}" + "".join(rng.choice(string.digits) for _ in range(8))
    style = rng.randrange(4)
    if style == 0:
        return digits
    if style == 1:
        return spaced(digits, 2)
    if style == 2:
        return "+33 " + digits[1] + " " + spaced(digits[2:], 2)
    return "0033" + digits[1:]


def birth_date(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    style = rng.randrange(5)
    return [
        born.strftime("%d/%m/%Y"),
        born.strftime("%d-%m-%Y"),
        born.strftime("%d.%m.%y"),
        f"{born.day} {MONTHS[born.month - 1]} {born.year}",
        born.isoformat(),
    ][style]


def identifier(rng: random.Random) -> str:
    return "".join(rng.choice(string.digits) for _ in range(7)) + rng.choice(string.ascii_uppercase)


def email(rng: random.Random) -> str:
    name = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randrange(1, 12)))
    return f"{name}.{rng.randrange(100)}@{rng.choice(['exemple.fr', 'mail.com', 'orange.fr'])}"


GENERATORS = {
    "nir": (lambda r: valid_nir(r), NIR),
    "nir_spaced": (
        lambda r: (lambda n: f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:]}")(valid_nir(r)),
        NIR,
    ),
    "iban": (lambda r: valid_french_iban(r), IBAN),
    "iban_spaced": (lambda r: spaced(valid_french_iban(r), 4), IBAN),
    "phone": (french_phone, PHONE),
    "email": (email, EMAIL),
    "birth_date": (birth_date, DATE),
    "identifier": (identifier, IDENTIFIER),
}
WORDS = [
    "bonjour",
    "je",
    "voudrais",
    "savoir",
    "mon",
    "allocation",
    "est",
    "de",
    "le",
    "né",
    "numéro",
    "merci",
    "versement",
    "en",
    "mars",
    "avril",
    "euros",
    "€",
    "?",
    ",",
    "ok",
    "svp",
    "l'IBAN",
    "tél",
    "mail",
]


@st.composite
def message_with_identifier(draw):
    kind = draw(st.sampled_from(sorted(GENERATORS)))
    rng = random.Random(draw(st.integers(0, 2**32)))
    value = GENERATORS[kind][0](rng)
    before = draw(st.lists(st.sampled_from(WORDS), max_size=6))
    after = draw(st.lists(st.sampled_from(WORDS), max_size=6))
    return kind, value, " ".join([*before, value, *after])


@given(message_with_identifier())
def test_every_generated_identifier_disappears(case) -> None:
    kind, value, text = case
    redacted = redact(text)
    assert value not in redacted
    assert GENERATORS[kind][1] in redacted


@given(
    st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2, allow_nan=False, allow_infinity=False),
    st.lists(st.sampled_from(WORDS), max_size=5),
)
def test_amounts_survive(amount: Decimal, words: list[str]) -> None:
    text = " ".join([*words, "vous recevrez", format_eur(amount), *words])
    assert redact(text) == text


@given(st.text(max_size=300))
def test_never_raises_and_is_idempotent(text: str) -> None:
    once = redact(text)
    assert isinstance(once, str)
    assert redact(once) == once


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",), blacklist_characters="@"), max_size=200))
def test_text_without_digits_is_untouched(text: str) -> None:
    assert redact(text) == text


def test_french_dates_of_the_bot_are_redacted_but_months_alone_kept() -> None:
    assert redact(f"Versement prévu le {format_date_fr(date(2025, 3, 3))}.") == f"Versement prévu le lundi {DATE}."
    assert redact("votre actualisation de mars") == "votre actualisation de mars"


def test_redact_event_covers_texts_entities_buttons_and_secret_slots() -> None:
    user = {
        "event": "user",
        "text": "né le 12/04/1988, tél 0612345678",
        "parse_data": {
            "text": "né le 12/04/1988, tél 0612345678",
            "intent": {"name": "inform"},
            "entities": [{"entity": "birth_date", "value": "12/04/1988"}],
        },
    }
    stored = redact_event(user)
    assert "1988" not in str(stored) and "0612345678" not in str(stored)
    assert stored["parse_data"]["intent"] == {"name": "inform"}
    assert user["text"].startswith("né le 12/04")  # the original is not modified
    bot = {
        "event": "bot",
        "text": "Votre IBAN FR7630006000011234567890189 ?",
        "data": {"buttons": [{"title": "1234567A", "payload": "/inform"}]},
    }
    assert "FR76" not in str(redact_event(bot)) and "1234567A" not in str(redact_event(bot))
    token = {"event": "slot", "name": "access_token", "value": "eyJhbGciOi.abc.def"}
    assert redact_event(token)["value"] not in (None, "eyJhbGciOi.abc.def")
    assert redact_event({"event": "slot", "name": "identifier", "value": "1234567A"})["value"] == IDENTIFIER


def test_labels_hold_no_digit() -> None:
    # Detectors run one after the other: a label with a digit could be re-read as an identifier.
    assert not any(char.isdigit() or char == "@" for label in LABELS for char in label)
