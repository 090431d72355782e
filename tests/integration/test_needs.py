"""Every need, for every demo persona, through the real Rasa server, action server and backend.

Each figure and date the bot says must be the backend's, formatted in French.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.backend.seed.personas import personas
from bot.common.formatting import format_date_fr, format_eur, format_month_fr
from tests.integration.conversation import BackendView, Conversation
from tests.servers import TEST_TODAY

TODAY = date.fromisoformat(TEST_TODAY)
PERSONAS = personas(TODAY)


def eur(value: str) -> str:
    return format_eur(Decimal(value))


def says_the_amount(reply: str, view: dict) -> bool:
    """The month's net amount, or, when nothing is due that month, that nothing is."""
    if view["monthly"]["days_payable"] == 0 and "payment" not in view:
        return "aucune allocation n'est due" in reply
    paid = view.get("payment")
    return eur(paid["net"] if paid and paid["status"] == "paid" else view["monthly"]["net"]) in reply


def day(iso: str) -> str:
    return format_date_fr(date.fromisoformat(iso[:10]))


@pytest.fixture(scope="module", params=PERSONAS, ids=[p.key for p in PERSONAS])
def identified(request, dialogue):
    persona = request.param
    conversation = Conversation(dialogue)
    conversation.identify(persona.identifier, persona.birth_date)
    backend = BackendView(dialogue, persona.identifier, persona.birth_date)
    yield persona, conversation, backend
    backend.close()


def test_payment_date(identified):
    _, conversation, backend = identified
    reply = conversation.say("quand est-ce que je vais être payé ?")
    payment = backend.get("payments/next")
    if payment["status"] in ("scheduled", "blocked", "expected"):
        assert eur(payment["net"]) in reply
    if payment["status"] in ("scheduled", "expected"):
        assert day(payment["payment_date"]) in reply
    if payment["status"] == "blocked":
        assert payment["reason_details"][0]["message"] in reply


def test_missing_payment_states_the_backends_reason(identified):
    _, conversation, backend = identified
    reply = conversation.say("j'ai toujours rien reçu sur mon compte, c'est normal ?")
    payment = backend.get("payments/next")
    for detail in payment.get("reason_details", []):
        assert detail["message"] in reply
    if payment["status"] not in ("blocked", "none"):
        history = backend.get("payments", limit=1)["payments"]
        if history and history[0]["status"] == "paid":
            assert eur(history[0]["net"]) in reply


def test_rights_duration(identified):
    _, conversation, backend = identified
    reply = conversation.say("jusqu'à quand je suis indemnisé ?")
    rights = backend.get("rights")
    if rights["days_left"]:
        assert day(rights["end_date"]) in reply
        assert f"{rights['days_left']} jour" in reply
    else:
        assert "pris fin" in reply


def test_amount_difference_compares_the_last_payments(identified):
    _, conversation, backend = identified
    reply = conversation.say("pourquoi j'ai touché moins ce mois ci ?")
    history = backend.get("payments", limit=2)["payments"]
    if not history:
        assert "Aucun paiement" in reply
        return
    if "sanction" in history[0]["reasons"] and not history[0]["days_paid"]:
        # A month suspended by a sanction: nothing is due, no amount is said (issue 15).
        assert "Aucune allocation n'est versée" in reply and "€" not in reply.splitlines()[0]
    else:
        assert eur(history[0]["net"]) in reply
    for detail in history[0]["reason_details"]:
        if detail["code"] in ("degressivity", "work_declared", "overpayment_withheld", "short_month"):
            assert detail["message"] in reply


def test_declaration_status(identified):
    _, conversation, backend = identified
    reply = conversation.say("est-ce que mon actualisation est bien passée ?")
    status = backend.get("declarations/current")["last_due"]
    assert format_month_fr(date.fromisoformat(status["month"] + "-01")) in reply
    if status["status"] == "submitted":
        assert "bien été enregistrée" in reply
    else:
        assert "pas été faite" in reply or "pas encore faite" in reply


def test_overpayment(identified):
    _, conversation, backend = identified
    reply = conversation.say("j'ai reçu un courrier pour un trop perçu, c'est quoi ?")
    overpayments = backend.get("overpayments")["overpayments"]
    if not overpayments:
        assert "Aucun trop-perçu" in reply
    for item in overpayments:
        assert eur(item["remaining"]) in reply
        assert item["reference"] in reply


# Issue 20, awaited documents.
def test_awaited_documents_are_the_backend_s(identified):
    _, conversation, backend = identified
    reply = conversation.say("quels documents vous attendez encore de moi ?")
    view = backend.get("documents/awaited")
    assert view["summary"] in reply
    for document in view["documents"]:
        assert document["message"] in reply
    if view["documents"]:
        assert view["how_to_send"] in reply
    else:
        assert "Mes échanges" not in reply


def test_earnings_simulation_in_words(identified):
    _, conversation, backend = identified
    reply = conversation.say("si je gagne huit cents euros ce mois-ci, je touche combien ?")
    simulation = backend.simulate(TODAY.strftime("%Y-%m"), "800.00")
    assert eur(simulation["monthly"]["net"]) in reply
    assert "800,00 €" in reply


def test_follow_ups_after_an_amount(identified):
    _, conversation, backend = identified
    conversation.say("combien je vais toucher ce mois-ci ?")
    net = conversation.say("et en net ?")
    assert says_the_amount(net, backend.get("allowance"))
    next_month = conversation.say("et le mois prochain ?")
    december = backend.get("allowance", month="2026-12")
    assert "décembre 2026" in next_month
    assert says_the_amount(next_month, december)
    why = conversation.say("pourquoi ?")
    assert "calculé" in why
    assert december["explanation"][0]["detail"] in why
