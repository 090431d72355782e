"""The identifier and the birth date as people write and say them (bot/common/identity_text.py)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.common.identity_text import find_birth_date, find_identifier, read_identity, says_forgotten, says_leaving

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "identifier", "born"),
    [
        ("7654321B né le 3 mars 79", "7654321B", date(1979, 3, 3)),
        ("2468135z 30121984", "2468135Z", date(1984, 12, 30)),
        ("7654321 b née le 1er mai 02", "7654321B", date(2002, 5, 1)),
        ("mon identifiant 1357924K et ma date de naissance le 07/08/1966.", "1357924K", date(1966, 8, 7)),
        ("alors c'est le 7 6 5 4 3 2 1 B", "7654321B", None),
        ("sept six cinq quatre trois deux un B", "7654321B", None),
        ("neuf huit zéro zéro un deux trois Q", "9800123Q", None),
        ("7654321 B", "7654321B", None),
        ("Marie Lefèvre 7654321B", "7654321B", None),
    ],
)
def test_identifier_and_date_in_one_message(text: str, identifier: str | None, born: date | None) -> None:
    answer = read_identity(text, TODAY)
    assert answer.identifier == identifier
    assert answer.birth_date == born


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("17061979", date(1979, 6, 17)),
        ("170679", date(1979, 6, 17)),
        ("19790617", date(1979, 6, 17)),
        ("17/6/79", date(1979, 6, 17)),
        ("17-06-1979", date(1979, 6, 17)),
        ("17.06.1979", date(1979, 6, 17)),
        ("17 06 1979", date(1979, 6, 17)),
        ("1979-06-17", date(1979, 6, 17)),
        ("je suis née le 17 juin 79", date(1979, 6, 17)),
        ("17 juin 1979", date(1979, 6, 17)),
        ("le 17 juil. 1979", date(1979, 7, 17)),
        ("17 aout 79", date(1979, 8, 17)),
        ("17 août 1979", date(1979, 8, 17)),
        ("dix sept juin soixante dix neuf", date(1979, 6, 17)),
        ("premier février mille neuf cent soixante dix neuf", date(1979, 2, 1)),
        ("le trois janvier deux mille un", date(2001, 1, 3)),
        ("oups pardon c'est le 17/06/1979", date(1979, 6, 17)),
    ],
)
def test_birth_dates_written_every_usual_way(text: str, born: date) -> None:
    assert find_birth_date(text, TODAY) == born


@pytest.mark.parametrize(
    "text",
    [
        "31/02/1980",  # no such day
        "12/04/2020",  # six years old
        "12/04/1900",  # a typo: over a hundred
        "1234567A",  # the identifier's digits are no date
        "si je gagne 800 € ce mois-ci",
        "combien je touche en décembre 2026 ?",
        "je sais plus",
    ],
)
def test_no_birth_date(text: str) -> None:
    assert find_birth_date(text, TODAY) is None


def test_two_digit_years_are_of_the_last_century_unless_the_person_would_be_too_young() -> None:
    assert find_birth_date("04/05/99", TODAY) == date(1999, 5, 4)
    assert find_birth_date("04/05/08", TODAY) == date(2008, 5, 4)
    assert find_birth_date("04/05/15", TODAY) is None  # eleven years old, or a hundred and eleven


@pytest.mark.parametrize("text", ["1234567", "12345678A", "je suis au 1234567", "12/04/1988"])
def test_no_identifier(text: str) -> None:
    assert find_identifier(text) is None


@pytest.mark.parametrize(
    "text",
    ["je sais plus mon identifiant", "j'ai oublié", "je le trouve pas", "aucune idée", "je ne m'en souviens plus"],
)
def test_forgetting(text: str) -> None:
    assert says_forgotten(text)


@pytest.mark.parametrize("text", ["ah si je l'ai retrouvé 7654321B", "1234567A", "le 12 mars 1980"])
def test_not_forgetting(text: str) -> None:
    assert not says_forgotten(text)


@pytest.mark.parametrize("text", ["laissez tomber", "bon tant pis, bonne journée", "au revoir", "on arrête là"])
def test_leaving(text: str) -> None:
    assert says_leaving(text)


@pytest.mark.parametrize("text", ["12/03/1985", "attendez c'est quand l'actualisation ?", "1234567A"])
def test_not_leaving(text: str) -> None:
    assert not says_leaving(text)
