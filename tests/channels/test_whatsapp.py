"""WhatsApp end to end: Meta-signed webhooks -> real Rasa + action server + backend -> fake Cloud API."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from bot.channels.phone import NOT_TEXT
from bot.channels.state import utcnow
from bot.formatting import format_eur
from tests.channels.conftest import WHATSAPP_PATH, WhatsAppPhone, texts, unknown_number
from tests.fakes.signing import body_of, meta_message, meta_status
from tests.integration.conversation import BackendView
from tests.servers import WHATSAPP_APP_SECRET, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_TEMPLATE_NAME, WHATSAPP_VERIFY_TOKEN


def test_the_verification_handshake(channels):
    url = channels.rasa_url + WHATSAPP_PATH
    good = httpx.get(
        url,
        params={"hub.mode": "subscribe", "hub.verify_token": WHATSAPP_VERIFY_TOKEN, "hub.challenge": "1158201444"},
        timeout=30,
    )
    assert good.status_code == 200 and good.text == "1158201444"
    bad = httpx.get(
        url, params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"}, timeout=30
    )
    assert bad.status_code == 403 and "1158201444" not in bad.text
    assert (
        httpx.get(url, params={"hub.verify_token": WHATSAPP_VERIFY_TOKEN, "hub.challenge": "1"}, timeout=30).status_code
        == 403
    )


def test_a_linked_number_gets_the_backends_amount_after_the_birth_date(channels, saas):
    phone = WhatsAppPhone(channels, saas, "+33612345602")  # Julien, 2345678B, born 03/09/1995
    first = texts(phone.ask("combien je vais toucher ?"))
    assert "date de naissance" in first and "identifiant" not in first
    answer = texts(phone.ask("03/09/1995"))
    assert "Merci Julien" in answer
    view = BackendView(channels, "2345678B", date(1995, 9, 3))
    try:
        figures = view.get("allowance")
    finally:
        view.close()
    if figures["monthly"]["days_payable"] == 0:
        assert "aucune allocation n'est due" in answer
    else:
        payment = figures.get("payment")
        paid = payment and payment["status"] == "paid"
        assert format_eur(Decimal(payment["net"] if paid else figures["monthly"]["net"])) in answer
    for message in phone.received():
        assert message["messaging_product"] == "whatsapp" and message["to"] == "33612345602"


def test_an_unknown_number_gets_no_personal_data(channels, saas):
    phone = WhatsAppPhone(channels, saas, unknown_number())
    answer = texts(phone.ask("quand vais-je être payé"))
    assert "relié à aucun dossier" in answer and "€" not in answer


def test_buttons_are_interactive_replies_and_a_tap_comes_back_as_the_payload(channels, saas):
    phone = WhatsAppPhone(channels, saas, unknown_number())
    phone.ask("bonjour")
    before = len(phone.received())
    pushed = phone.push_bot_message(
        "Voulez-vous parler à un conseiller ?",
        [{"title": "Oui", "payload": "/affirm"}, {"title": "Non, pas maintenant merci", "payload": "/deny"}],
    )
    assert pushed.status_code == 200, pushed.text
    message = phone.expect(before + 1)[before]
    assert message["type"] == "interactive"
    interactive = message["interactive"]
    assert interactive["type"] == "button"
    assert interactive["body"]["text"] == "Voulez-vous parler à un conseiller ?"
    assert [b["reply"]["id"] for b in interactive["action"]["buttons"]] == ["/affirm", "/deny"]
    assert all(len(b["reply"]["title"]) <= 20 for b in interactive["action"]["buttons"])
    phone.ask(reply_id="/affirm", reply_title="Oui")
    assert phone.user_events()[-1]["parse_data"]["intent"]["name"] == "affirm"


def test_more_than_three_choices_are_a_list(channels, saas):
    phone = WhatsAppPhone(channels, saas, unknown_number())
    phone.ask("bonjour")
    before = len(phone.received())
    months = ["septembre", "octobre", "novembre", "décembre", "janvier"]
    pushed = phone.push_bot_message(
        "Quel mois ?", [{"title": m, "payload": f'/ask_payment_date{{"month": "{m}"}}'} for m in months]
    )
    assert pushed.status_code == 200, pushed.text
    message = phone.expect(before + 1)[before]
    assert message["interactive"]["type"] == "list"
    rows = message["interactive"]["action"]["sections"][0]["rows"]
    assert [r["title"] for r in rows] == months


def test_a_status_callback_is_acknowledged_and_ignored(channels, saas):
    phone = WhatsAppPhone(channels, saas, unknown_number())
    for status in ("sent", "delivered", "read", "failed"):
        response = phone.post_payload(meta_status(WHATSAPP_PHONE_NUMBER_ID, phone.wa_id, status))
        assert response.status_code == 200
    phone.ask("bonjour")  # handled after the statuses, had they been queued
    assert [e["text"] for e in phone.user_events()] == ["bonjour"]
    assert len(phone.received()) == 1


@pytest.mark.parametrize("forgery", ["wrong secret", "no signature", "tampered"])
def test_a_forged_webhook_gets_403_and_never_reaches_the_bot(channels, saas, forgery):
    phone = WhatsAppPhone(channels, saas, unknown_number())
    payload = meta_message(WHATSAPP_PHONE_NUMBER_ID, phone.wa_id, "combien je vais toucher")
    if forgery == "wrong secret":
        response = phone.post_payload(payload, secret="not-the-app-secret")
    elif forgery == "no signature":
        response = phone.post_payload(payload, signature="")
    else:
        from tests.fakes.signing import meta_signature

        signature = meta_signature(
            body_of(meta_message(WHATSAPP_PHONE_NUMBER_ID, phone.wa_id, "bonjour")), WHATSAPP_APP_SECRET
        )
        response = phone.post_payload(payload, signature=signature)
    assert response.status_code == 403
    assert phone.user_events() == []
    assert phone.received() == []


def test_outside_the_24_hour_window_the_template_is_sent_instead(channels, saas):
    phone = WhatsAppPhone(channels, saas, unknown_number())
    phone.ask("bonjour")
    # 25 hours pass without a message from the person (the store keeps the last inbound time)
    database = channels.env["ALLOCBOT_CHANNELS_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        changed = connection.execute(
            "UPDATE channel_contacts SET last_inbound_at = ? WHERE sender_id = ?",
            ((utcnow() - timedelta(hours=25)).isoformat(sep=" "), phone.sender_id),
        ).rowcount
    assert changed == 1
    before = len(phone.received())
    pushed = phone.push_bot_message("Votre dossier a été mis à jour : votre paiement part demain.")
    assert pushed.status_code == 200
    sent = phone.expect(before + 1)[before:]
    assert [m["type"] for m in sent] == ["template"]
    assert sent[0]["template"] == {"name": WHATSAPP_TEMPLATE_NAME, "language": {"code": "fr"}}
    # the person answers: the window is open again and free-form messages flow
    answer = texts(phone.ask("bonjour"))
    assert "assistant automatique" in answer


def test_a_non_text_message_gets_a_french_answer(channels, saas):
    phone = WhatsAppPhone(channels, saas, unknown_number())
    phone.send(kind="image")
    assert texts(phone.expect(1)) == NOT_TEXT
    assert phone.user_events() == []


def test_bad_requests_get_a_clear_4xx_and_other_conversations_go_on(channels, saas):
    phone = WhatsAppPhone(channels, saas, unknown_number())
    url = channels.rasa_url + WHATSAPP_PATH
    assert httpx.post(url, data={"object": "x"}, timeout=30).status_code == 415
    assert (
        httpx.post(
            url, content=b"{" + b" " * 100_000 + b"}", headers={"Content-Type": "application/json"}, timeout=30
        ).status_code
        == 413
    )
    for raw in (b"\xff\xfe not utf-8", b"{not json", b'{"object": "page", "entry": []}', b"[]"):
        from tests.fakes.signing import meta_signature

        response = httpx.post(
            url,
            content=raw,
            timeout=30,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": meta_signature(raw, WHATSAPP_APP_SECRET),
            },
        )
        assert response.status_code == 400 and response.json()["error"]
    # a message without a sender or with an odd shape is skipped, the rest of the batch is handled
    odd = meta_message(WHATSAPP_PHONE_NUMBER_ID, phone.wa_id, "bonjour")
    odd["entry"][0]["changes"][0]["value"]["messages"].insert(0, {"id": "wamid.x", "type": "text"})
    odd["entry"][0]["changes"][0]["value"]["messages"].insert(0, "garbage")
    assert phone.post_payload(odd).status_code == 200
    assert "assistant automatique" in texts(phone.expect(1))
