"""Floods and sprays through the public channels, on the real servers (issue 17 §2, §3, §10).

Each simulated person connects from loopback with an address of their own in
``X-Forwarded-For`` (the test stack trusts 127.0.0.1 as its proxy); the
attacker of a test keeps one address, as one machine would.
"""

from __future__ import annotations

import re
import secrets

import httpx

from tests.fakes.addresses import new_address
from tests.fakes.webchat import Widget
from tests.servers import SERVICE_TOKEN

REFERENCE = re.compile(r"AB-[A-Z0-9]{6}")


def test_one_address_cannot_flood_the_counsellors_queue(dialogue) -> None:
    """Before: one unidentified distress message per new conversation made one urgent ticket each."""
    attacker, references, refused = new_address(), [], []
    for _ in range(7):
        widget = Widget(dialogue.rasa_url, attacker).open()
        widget.send("je veux parler à un conseiller")
        texts = widget.wait_for("3949" if len(references) >= 5 else "AB-")
        found = REFERENCE.findall(" ".join(texts))
        (references if found else refused).append(found[0] if found else texts[-1])
        widget.close()
    assert len(references) == 5 and len(refused) == 2
    assert "beaucoup de demandes" in refused[0]
    person = Widget(dialogue.rasa_url).open()  # someone else, elsewhere
    person.send("je veux parler à un conseiller")
    assert REFERENCE.search(" ".join(person.wait_for("AB-")))
    person.close()


def test_one_address_cannot_spray_identifications_through_the_bot(dialogue) -> None:
    """Before: a fresh conversation per try escaped the per-conversation lock for ever."""
    attacker, answers = new_address(), []
    born = f"1{secrets.randbelow(9) + 1}/02/1969"
    for _ in range(11):
        widget = Widget(dialogue.rasa_url, attacker).open()
        widget.send("combien vais-je toucher ?")
        widget.wait_for("identifiant")
        widget.send(f"{secrets.randbelow(10**7):07d}T")
        widget.wait_for("date de naissance")
        widget.send(born)
        texts = widget.wait_for("bloquée" if len(answers) >= 9 else "identifier")
        answers.append(" ".join(texts))
        widget.close()
    assert all("bloquée" not in answer for answer in answers[:9])
    assert "bloquée" in answers[9] and "bloquée" in answers[10]


def test_one_address_cannot_spray_the_sites_login(site) -> None:
    address, said = new_address(), []
    with httpx.Client(base_url=site.site_url, headers={"X-Forwarded-For": address}, timeout=30) as browser:
        for index in range(11):
            form = browser.get("/connexion").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            answer = browser.post(
                "/connexion",
                data={"csrf_token": csrf, "identifiant": f"{index:07d}U", "date_naissance": "14/07/1975"},
            )
            said.append(answer.text)
    assert all("Trop de tentatives" not in page for page in said[:9])
    assert "Trop de tentatives" in said[9] and "Réessayez dans" in said[10]
    with httpx.Client(base_url=site.site_url, headers={"X-Forwarded-For": new_address()}, timeout=30) as other:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', other.get("/connexion").text).group(1)
        ok = other.post(
            "/connexion", data={"csrf_token": csrf, "identifiant": "1234567A", "date_naissance": "12/04/1988"}
        )
        assert ok.status_code == 303


def test_a_typed_payload_over_socketio_leaves_no_junk_slot(dialogue) -> None:
    widget = Widget(dialogue.rasa_url).open()
    widget.send('/ask_allowance_amount{"month":"zzz"}')
    widget.wait_for("identifiant")
    widget.send("1234567A")
    widget.wait_for("date de naissance")
    widget.send("12/04/1988")
    answer = " ".join(widget.wait_for("€"))
    assert "pas valide" not in answer
    widget.close()
    tracker = httpx.get(
        f"{dialogue.rasa_url}/conversations/{widget.session_id}/tracker",
        params={"token": dialogue.rasa_token},
        timeout=30,
    ).json()
    user = [e for e in tracker["events"] if e["event"] == "user"][0]
    assert user["text"] == "/ask_allowance_amount" and user["parse_data"]["entities"] == []
    tickets = httpx.get(
        f"{dialogue.backend_url}/v1/handoff-tickets", headers={"X-Service-Token": SERVICE_TOKEN}, timeout=10
    ).json()["tickets"]
    assert not any(t["conversation_id"] == widget.session_id for t in tickets)
