"""What the simulated people say to each system, turn by turn.

Both systems get conversations of the same length (five turns) so that their
figures compare message for message. allocbot's is the flow the issue names:
a personal question, identification (identifier, then birth date, answered
with the amount), the payment date, a follow-up. Synthetic identities only:
the demo personas are for people, and a wrong answer would lock an identity.
The stock assistant's is what ``rasa init``'s data understands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.backend.seed import synthetic_identity

# A reply containing one of these is a failure even with HTTP 200: the bot could not do its job.
ALLOCBOT_FAILURE_MARKERS = ("Je n'arrive pas à consulter votre dossier",)


@dataclass(frozen=True)
class Turn:
    text: str
    expect: tuple[str, ...] = ()  # the reply must contain one of these (empty: any non-empty reply)


@dataclass(frozen=True)
class Script:
    """A system's conversation: ``turns(i)`` is what conversation ``i`` says."""

    name: str
    turns: Callable[[int], list[Turn]]
    failure_markers: tuple[str, ...] = ()
    turns_per_conversation: int = 5


def allocbot_turns(index: int, population: int, first_person: int = 0, seed: int = 42) -> list[Turn]:
    person = synthetic_identity(first_person + index % population, seed)
    return [
        Turn("combien je vais toucher ce mois-ci ?", ("identifiant",)),
        Turn(person.identifier, ("date de naissance",)),
        Turn(person.birth_date.strftime("%d/%m/%Y"), ("vous êtes identifié",)),
        Turn("quand serai-je payé ?"),
        Turn("et en net ?"),
    ]


def allocbot_script(population: int, first_person: int = 0) -> Script:
    """allocbot's conversation, cycling over ``population`` synthetic people from ``first_person``."""
    return Script("allocbot", lambda i: allocbot_turns(i, population, first_person), ALLOCBOT_FAILURE_MARKERS)


FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def mix_turns(index: int, population: int, first_person: int = 0, seed: int = 42) -> list[Turn]:
    """The conversation mix of issue 20's suite, five turns each, cycling over four kinds of conversation.

    0. the five-turn script above; 1. two needs in one message, the identifier and the birth date (in words)
    in one message, a correction to another month; 2. a general question, then a personal one, and « pourquoi ? »
    after its answer; 3. SMS spelling, a glued birth date, gross after net. Every reply must be non-empty and
    free of the backend failure; the identification steps must be the expected ones.
    """
    person = synthetic_identity(first_person + index % population, seed)
    born = person.birth_date
    kind = index % 4
    if kind == 0:
        return allocbot_turns(index, population, first_person, seed)
    if kind == 1:
        return [
            Turn("bonjour"),
            Turn("combien je vais toucher et quand est-ce que je suis payé ?", ("identifiant",)),
            Turn(
                f"{person.identifier} né le {born.day} {FRENCH_MONTHS[born.month - 1]} {born.year}",
                ("vous êtes identifié",),
            ),
            Turn("non pas ce mois-ci, le mois dernier"),
            Turn("merci au revoir"),
        ]
    if kind == 2:
        return [
            Turn("c'est quoi la dégressivité ?"),
            Turn("il me reste combien de jours de droits ?", ("identifiant",)),
            Turn(person.identifier, ("date de naissance",)),
            Turn(born.strftime("%d/%m/%Y"), ("vous êtes identifié",)),
            Turn("pourquoi ?"),
        ]
    return [
        Turn("cb jvais toucher ce mois ci", ("identifiant",)),
        Turn(person.identifier.lower(), ("date de naissance",)),
        Turn(born.strftime("%d%m%Y"), ("vous êtes identifié",)),
        Turn("et en brut ?"),
        Turn("ok merci"),
    ]


def mix_script(population: int, first_person: int = 0) -> Script:
    """The conversation mix (``mix_turns``), cycling over ``population`` synthetic people."""
    return Script("allocbot-mix", lambda i: mix_turns(i, population, first_person), ALLOCBOT_FAILURE_MARKERS)


STOCK_TURNS = [
    Turn("hello", ("How are you",)),
    Turn("I am sad", ("help",)),
    Turn("yes"),
    Turn("are you a bot?", ("bot",)),
    Turn("bye", ("Bye",)),
]


def stock_script() -> Script:
    return Script("stock", lambda i: list(STOCK_TURNS))
