"""The spoken form of every answer: what the phone says must be written for the ear.

Every response of domain.yml (with its variables filled as the actions fill
them) and the actions' typical answers go through ``spoken_form``: no markup,
no link, no button left, no figure in digits (amounts and dates in words).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from actions.amount import describe_allowance
from actions.documents import describe_awaited_documents
from bot.backend import wording
from bot.channels.spoken import (
    MAX_CHOICES,
    VOICE_WORDING,
    amount_words,
    number_words,
    say_date,
    say_reference,
    speak_text,
    spoken_form,
)
from bot.common.formatting import format_date_fr, format_eur

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 22)
DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text(encoding="utf-8"))
# What the actions pass to the templates (actions/handoff.py, actions/identification.py).
VARIABLES = {
    "first_name": "Camille",
    "reference": "AB-K7M4PQ",
    "hours": "du lundi au vendredi de 8 h 30 à 17 h",
    "when": "à partir du lundi 23 novembre 2026 à 8 h 30",
    "channel": "par téléphone",
}
SCREEN = re.compile(r"[0-9€*#<>\[\]_|{}]|https?:|www\.|\.(fr|com|org)\b|[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def assert_for_the_ear(text: str) -> None:
    assert text.strip(), "nothing to say"
    found = SCREEN.search(text)
    assert found is None, f"{found.group(0)!r} left in {text!r}"
    assert "(" not in text and ")" not in text and "«" not in text
    assert "écrivez" not in text.lower() and "cliquez" not in text.lower()


def domain_messages():
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            text = variant.get("text") or ""
            filled = re.sub(r"\{(\w+)\}", lambda m: VARIABLES[m.group(1)], text)
            yield pytest.param(
                {"utter_action": name, "text": filled, "buttons": variant.get("buttons"), **VARIABLES}, id=name
            )


@pytest.mark.parametrize("message", list(domain_messages()))
def test_every_domain_response_has_a_spoken_form(message):
    spoken = spoken_form(message, TODAY)
    assert_for_the_ear(spoken.text)
    if message.get("buttons"):
        assert spoken.choices, "buttons must become keypad choices"
        assert len(spoken.choices) <= MAX_CHOICES
        assert "tapez un pour" in spoken.text


def test_the_voice_wordings_are_for_responses_of_the_domain():
    assert set(VOICE_WORDING) <= set(DOMAIN["responses"])


def test_the_callback_reference_is_said_twice_and_the_live_one_once():
    callback = spoken_form({"utter_action": "utter_handoff_callback", "text": "x", **VARIABLES}, TODAY).text
    assert callback.count(say_reference("AB-K7M4PQ")) == 2
    live = spoken_form({"utter_action": "utter_handoff_live", "text": "x", **VARIABLES}, TODAY).text
    assert live.count(say_reference("AB-K7M4PQ")) == 1


def test_at_most_three_choices_are_said():
    buttons = [{"title": f"Choix {n}", "payload": f"/p{n}"} for n in range(5)]
    spoken = spoken_form({"text": "Votre question porte sur :", "buttons": buttons}, TODAY)
    assert spoken.choices == ["/p0", "/p1", "/p2"]
    assert "tapez trois pour" in spoken.text and "tapez quatre" not in spoken.text


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "zéro"),
        (1, "un"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (71, "soixante et onze"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (90, "quatre-vingt-dix"),
        (99, "quatre-vingt-dix-neuf"),
        (100, "cent"),
        (200, "deux cents"),
        (280, "deux cent quatre-vingts"),
        (201, "deux cent un"),
        (1000, "mille"),
        (1206, "mille deux cent six"),
        (80_000, "quatre-vingt mille"),
        (200_000, "deux cent mille"),
        (2_000_000, "deux millions"),
        (1988, "mille neuf cent quatre-vingt-huit"),
    ],
)
def test_numbers_in_french_words(value, words):
    assert number_words(value) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1206.90", "mille deux cent six euros et quatre-vingt-dix centimes"),
        ("1.00", "un euro"),
        ("0.50", "cinquante centimes"),
        ("0.01", "un centime"),
        ("800", "huit cents euros"),
        ("0", "zéro euro"),
    ],
)
def test_amounts_in_words(value, words):
    assert amount_words(Decimal(value)) == words


def test_an_amount_as_the_actions_write_it_is_said_in_words():
    assert speak_text(f"Vous avez reçu {format_eur(Decimal('1206.90'))} net.", TODAY) == (
        "Vous avez reçu mille deux cent six euros et quatre-vingt-dix centimes net."
    )


def test_dates_as_a_person_says_them():
    near = format_date_fr(date(2027, 1, 4))  # « lundi 4 janvier 2027 », six weeks away
    assert speak_text(f"Prochain paiement : {near}.", TODAY) == "Prochain paiement : le lundi quatre janvier."
    assert speak_text("versé le 1er mars 2020", TODAY) == "versé le premier mars deux mille vingt."
    assert say_date(date(2026, 12, 1), TODAY) == "mardi premier décembre"
    assert speak_text("né le 12/04/1988", TODAY) == "né le douze avril mille neuf cent quatre-vingt-huit."


def test_service_numbers_hours_and_sites():
    text = speak_text("Appelez le 3949, le 3114 ou la CAF (caf.fr, 32 30), 24 h/24, de 8 h 30 à 17 h.", TODAY)
    assert "trente-neuf quarante-neuf" in text and "trente et un quatorze" in text and "trente-deux trente" in text
    assert "caf point f r" in text and "vingt-quatre heures sur vingt-quatre" in text
    assert "huit heures trente à dix-sept heures" in text
    assert_for_the_ear(text)


def test_markup_links_and_emojis_are_not_said():
    text = speak_text(
        "**Important** : voir [ce lien](https://x.example/a) 😀 ou https://www.francetravail.fr/ ✅", TODAY
    )
    assert_for_the_ear(text)
    assert "Important" in text and "ce lien" in text


def test_the_actions_typical_amount_answer_is_spoken():
    view = {
        "month": "2026-11",
        "status": "paid",
        "daily": {"gross": "47.12", "net": "41.56"},
        "monthly": {
            "gross": "1413.60",
            "net": "1246.80",
            "days_paid": 30,
            "days_payable": 30,
            "declared_earnings": "0",
            "retirement_contribution": "33.93",
            "csg": "132.87",
            "crds": "0",
            "alsace_moselle_contribution": "0",
            "suspended_days": 0,
        },
        "payment": {
            "status": "paid",
            "net": "1246.80",
            "gross": "1413.60",
            "payment_date": "2026-12-03",
            "overpayment_withheld": "12.00",
        },
        "end_of_rights": "2027-08-31",
        "computed_at": "2026-11-22T09:00:00+00:00",
    }
    text = spoken_form({"text": "\n".join(describe_allowance(view))}, TODAY).text
    assert_for_the_ear(text)
    assert "mille deux cent quarante-six euros et quatre-vingts centimes" in text
    assert "le jeudi trois décembre" in text
    assert "fois trente jours égale" in text


# Issue 20, awaited documents: the list, the payment held and where to send them, in the backend's words.
def test_the_awaited_documents_answer_is_spoken():
    payslip = wording.awaited_document("votre bulletin de salaire d'octobre 2026", date(2026, 11, 4), date(2026, 10, 1))
    certificate = wording.awaited_document("l'attestation employeur de Restaurant Capitole", date(2026, 10, 2), None)
    view = {
        "documents": [{"message": certificate}, {"message": payslip}],
        "summary": wording.awaited_summary(2),
        "how_to_send": wording.SEND_DOCUMENT,
    }
    text = spoken_form({"text": "\n".join(describe_awaited_documents(view))}, TODAY).text
    assert_for_the_ear(text)
    assert "deux documents" in text and "demande du mercredi quatre novembre" in text
    assert "votre paiement d'octobre" in text and "Mes échanges" in text
    nothing = spoken_form(
        {
            "text": "\n".join(
                describe_awaited_documents({**view, "documents": [], "summary": wording.awaited_summary(0)})
            )
        },
        TODAY,
    ).text
    assert_for_the_ear(nothing)
    assert "aucun document" in nothing


@given(st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2))
def test_any_amount_is_said_without_a_digit(value):
    text = speak_text(f"Montant : {format_eur(value)}.", TODAY)
    assert_for_the_ear(text)
    assert ("euro" in text) or ("centime" in text)


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2040, 12, 31)))
def test_any_date_is_said_without_a_digit(day):
    assert_for_the_ear(speak_text(f"Le {format_date_fr(day)}.", TODAY))
