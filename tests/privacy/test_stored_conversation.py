"""A whole conversation full of identifiers: the bot answers, and nothing is stored or logged in clear.

Real Rasa server, action server and backend (the session stack); the tracker
store is the redacting SQLite store of the stack's workdir. After the
conversation we read every row of the tracker database and every log file of the
stack, and look for each identifier in every usual spelling.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from bot.formatting import format_date_fr
from tests.integration.conversation import BackendView, Conversation

IDENTIFIER = "1234567A"
BIRTH = date(1988, 4, 12)
NIR = "288046938812345"  # key computed below
IBAN = "FR7630006000011234567890189"
PHONE = "+33612345601"
EMAIL = "camille.martin@exemple.fr"


def nir() -> str:
    from stdnum.fr import nir as stdnum_nir

    return NIR[:13] + stdnum_nir.calc_check_digits(NIR[:13])


def spellings() -> dict[str, list[str]]:
    full_nir = nir()
    return {
        "identifiant": [IDENTIFIER, IDENTIFIER.lower(), "1234567 A"],
        "date de naissance": ["12/04/1988", "1988-04-12", "12 avril 1988", "12041988"],
        "NIR": [
            full_nir,
            " ".join(
                [
                    full_nir[0],
                    full_nir[1:3],
                    full_nir[3:5],
                    full_nir[5:7],
                    full_nir[7:10],
                    full_nir[10:13],
                    full_nir[13:],
                ]
            ),
        ],
        "IBAN": [IBAN, "FR76 3000 6000 0112 3456 7890 189", "30006000011234567890189"],
        "téléphone": [PHONE, "0612345601", "06 12 34 56 01", "612345601"],
        "email": [EMAIL],
    }


def stored_text(database: str) -> str:
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute("SELECT sender_id, type_name, intent_name, action_name, data FROM events").fetchall()
    finally:
        connection.close()
    assert rows, "le tracker store est vide : la conversation n'a pas été enregistrée"
    # Rasa writes JSON with \u escapes: decoded, so that "[TÉLÉPHONE]" and "é" read as written.
    return "\n".join(
        " ".join([*(str(value) for value in row[:4]), json.dumps(json.loads(row[4]), ensure_ascii=False)])
        for row in rows
    )


def test_a_conversation_full_of_identifiers_leaves_none_in_clear(dialogue):
    conversation = Conversation(dialogue)
    assert "automatique" in conversation.say("Bonjour")
    assert "identifiant" in conversation.say("combien vais-je toucher ce mois-ci ?")
    assert "date de naissance" in conversation.say(f"mon identifiant c'est {IDENTIFIER}")
    identified = conversation.say("12/04/1988")
    assert "Camille" in identified and "€" in identified
    spaced_nir = spellings()["NIR"][1]
    reply = conversation.say(
        f"mon numéro de sécu est {spaced_nir}, mon IBAN FR76 3000 6000 0112 3456 7890 189, "
        f"joignable au 06 12 34 56 01 ou {EMAIL}"
    )
    assert reply.strip()  # some answer, whatever it is
    # The conversation still works after everything was redacted and sealed in the store.
    payment = conversation.say("quand est-ce que je vais être payé ?")
    backend = BackendView(dialogue, IDENTIFIER, BIRTH)
    try:
        next_payment = backend.get("payments/next")
    finally:
        backend.close()
    if next_payment.get("payment_date"):
        assert format_date_fr(date.fromisoformat(next_payment["payment_date"][:10])) in payment
    tracker = conversation.tracker()
    assert tracker["slots"]["identified"] is True
    access_token = tracker["slots"]["access_token"]
    assert access_token and len(access_token) > 40

    database = dialogue.env["ALLOCBOT_TRACKER_DB_URL"].removeprefix("sqlite:///")
    stored = stored_text(database)
    assert "[IDENTIFIANT]" in stored or "[RÉPONSE D'IDENTIFICATION]" in stored
    assert "[NIR]" in stored and "[IBAN]" in stored and "[TÉLÉPHONE]" in stored and "[EMAIL]" in stored
    logs = {path.name: path.read_text(errors="replace") for path in (dialogue.workdir / "log").glob("*.log")}
    assert {"rasa.log", "actions.log", "backend.log"} <= set(logs)
    places = {"tracker store": stored, **{f"journal {name}": text for name, text in logs.items()}}
    leaks = [
        f"{kind} « {value} » dans {place}"
        for kind, values in {**spellings(), "jeton d'accès": [access_token]}.items()
        for value in values
        for place, text in places.items()
        if value in text
    ]
    assert leaks == []
