"""Card numbers, passport numbers and spelled-out emails never stored in clear; private files (issue 17 §12).

Through the real servers: a REST conversation says them, asks for a counsellor,
then every row of the tracker database and of the backend's database, and every
log of the stack, is searched for them. Then the files' modes.
"""

from __future__ import annotations

import sqlite3
import stat

from stdnum import luhn

from tests.integration.conversation import Conversation

_CARD = "497010123456789" + luhn.calc_check_digit("497010123456789")
CARD_SPACED = " ".join(_CARD[i : i + 4] for i in range(0, 16, 4))
PASSPORT = "19FR28734"
EMAIL_SPELLED = "jean.dupont (at) exemple.fr"
EMAIL_WORDS = "jean point dupont arobase exemple point fr"


def everything_stored(stack) -> str:
    texts = []
    for name in ("conversations.db", "backend.db"):
        with sqlite3.connect(stack.workdir / name) as connection:
            tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                texts += [repr(row) for row in connection.execute(f'SELECT * FROM "{table}"')]  # noqa: S608
    texts += [log.read_text(errors="replace") for log in (stack.workdir / "log").glob("*.log")]
    return "\n".join(texts)


def test_cards_passports_and_spelled_out_emails_are_redacted_before_storage(dialogue) -> None:
    conversation = Conversation(dialogue)
    conversation.say(f"ma carte bancaire {CARD_SPACED} a été refusée")
    conversation.say(f"mon passeport {PASSPORT} est perdu, écrivez à {EMAIL_SPELLED}")
    conversation.say(f"ou à {EMAIL_WORDS}")
    assert "AB-" in conversation.say("je veux parler à un conseiller")
    stored = everything_stored(dialogue)
    for secret in (_CARD, CARD_SPACED, PASSPORT, "jean.dupont", "jean point dupont", "dupont arobase"):
        assert secret not in stored, secret
    assert "[CARTE]" in stored and "[PASSEPORT]" in stored and "[EMAIL]" in stored


def test_databases_and_logs_are_readable_by_their_owner_only(dialogue) -> None:
    files = [*dialogue.workdir.glob("*.db"), *(dialogue.workdir / "log").glob("*.log")]
    assert {path.name for path in files} >= {"backend.db", "conversations.db", "rasa.log", "backend.log"}
    loose = {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in files if path.stat().st_mode & 0o077}
    assert loose == {}  # before: 0644
