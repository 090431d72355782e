"""SMS end to end: signed Twilio webhooks -> real Rasa + action server + backend -> fake Twilio API.

Each test uses its own number (a persona's, or a fresh unknown one): a number is
one conversation, and the channel store remembers it.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest

from bot.channels.phone import HELP_TEXT, START_TEXT, STOP_TEXT, PhoneIdentity
from bot.channels.rate_limit import RATE_LIMITED_TEXT
from bot.channels.segments import plain_text, segment_info, split_sms
from bot.formatting import format_eur
from tests.channels.conftest import SMS_PATH, SmsPhone, unknown_number
from tests.integration.conversation import BackendView
from tests.servers import CHANNEL_SECRET, TWILIO_AUTH_TOKEN

MAX_SEGMENTS = 3  # ALLOCBOT_SMS_MAX_SEGMENTS's default


def test_a_linked_number_is_asked_only_the_birth_date_then_gets_the_backends_amount(channels, saas):
    phone = SmsPhone(channels, saas, "+33612345601")  # Camille, 1234567A, born 12/04/1988
    first = phone.ask("cb je vais toucher")
    assert "date de naissance" in first
    assert "identifiant" not in first
    answer = phone.ask("12/04/1988")
    assert "Merci Camille" in answer

    view = BackendView(channels, "1234567A", date(1988, 4, 12))
    try:
        figures = view.get("allowance")
    finally:
        view.close()
    payment = figures.get("payment")
    paid = payment and payment["status"] == "paid"
    expected = Decimal(payment["net"]) if paid else Decimal(figures["monthly"]["net"])
    assert format_eur(expected) in answer
    for body in phone.received():
        assert 1 <= segment_info(body).segments <= MAX_SEGMENTS
        assert body == plain_text(body)  # typographic characters replaced before sending
    # the conversation id is the keyed hash, never the number
    assert "612345601" not in phone.sender_id


def test_an_unknown_number_is_told_how_to_link_it_and_gets_nothing_personal(channels, saas):
    phone = SmsPhone(channels, saas, unknown_number())
    answer = phone.ask("combien je vais toucher ce mois ci")
    assert "relié à aucun dossier" in answer
    assert "3949" in answer
    assert "€" not in answer
    assert "date de naissance" not in answer


@pytest.mark.parametrize("forgery", ["wrong token", "tampered body", "no signature", "other url"])
def test_a_forged_webhook_gets_403_and_never_reaches_the_bot(channels, saas, forgery):
    phone = SmsPhone(channels, saas, unknown_number())
    if forgery == "wrong token":
        response, _ = phone.post("combien je vais toucher", token="not-the-auth-token")
    elif forgery == "tampered body":
        response, _ = phone.post("bonjour", tamper="combien je vais toucher")
    else:
        from urllib.parse import urlencode

        from tests.fakes.signing import twilio_signature, twilio_sms_form
        from tests.servers import TWILIO_ACCOUNT_SID, TWILIO_FROM

        form = twilio_sms_form(phone.number, TWILIO_FROM, "bonjour", TWILIO_ACCOUNT_SID)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if forgery == "other url":  # signed for another webhook URL
            headers["X-Twilio-Signature"] = twilio_signature("https://evil.example" + SMS_PATH, form, TWILIO_AUTH_TOKEN)
        response = httpx.post(channels.rasa_url + SMS_PATH, content=urlencode(form), headers=headers, timeout=30)
    assert response.status_code == 403
    assert "Signature" in response.json()["error"]
    assert phone.user_events() == []
    assert phone.received() == []


def test_stop_is_acknowledged_once_then_silence_until_start(channels, saas):
    phone = SmsPhone(channels, saas, unknown_number())
    phone.ask("bonjour")  # the conversation exists on this channel: a counsellor could write to it
    before = len(phone.received())
    phone.send("Stop")
    assert phone.expect(before + 1)[before:] == [plain_text(STOP_TEXT)]
    phone.send("ARRÊT")  # already stopped: not acknowledged again
    # a counsellor's message is not sent either (Rasa's API answers once the channel has sent or refused)
    assert phone.push_bot_message("Bonjour, je suis votre conseiller.").status_code == 200
    phone.send("combien je vais toucher")  # not answered, not even read by the bot
    phone.send("aide")
    phone.send("start")
    # handled in order: when START is acknowledged, the messages before were dropped
    assert phone.expect(before + 2)[before:] == [plain_text(STOP_TEXT), plain_text(START_TEXT)]
    assert [e["text"] for e in phone.user_events()] == ["bonjour"]
    answer = phone.ask("bonjour")
    assert "assistant automatique" in answer


def test_aide_gets_the_help_text_without_reaching_the_bot(channels, saas):
    phone = SmsPhone(channels, saas, unknown_number())
    phone.send("AIDE")
    assert phone.expect(1) == [plain_text(HELP_TEXT)]  # one SMS, GSM-7
    assert segment_info(HELP_TEXT).encoding == "GSM-7" and "3949" in HELP_TEXT
    assert phone.user_events() == []


def test_buttons_become_numbered_choices_and_a_number_is_the_buttons_answer(channels, saas):
    phone = SmsPhone(channels, saas, unknown_number())
    phone.ask("bonjour")
    before = len(phone.received())
    # A counsellor's message pushed through Rasa's API reaches the person by SMS (get_output_channel).
    pushed = phone.push_bot_message(
        "Voulez-vous parler à un conseiller ?",
        [{"title": "Oui, volontiers", "payload": "/affirm"}, {"title": "Non merci", "payload": "/deny"}],
    )
    assert pushed.status_code == 200, pushed.text
    sms = phone.expect(before + 1)[before:]
    assert sms == [
        "Voulez-vous parler à un conseiller ?\n1. Oui, volontiers\n2. Non merci\nRépondez par le numéro de votre choix."
    ]
    phone.ask("2")
    last = phone.user_events()[-1]
    assert last["parse_data"]["intent"]["name"] == "deny"
    assert last["text"] == "/deny"
    phone.ask("2")  # the choices are used once: a later "2" is a plain message again
    assert phone.user_events()[-1]["text"] == "2"


def test_messages_sent_quickly_are_answered_in_order(channels, saas):
    phone = SmsPhone(channels, saas, unknown_number())
    questions = ["bonjour", "est ce que je parle a un robot ?", "au revoir"]
    ids = [phone.send(q) for q in questions]  # each webhook is acknowledged at once
    phone.wait_turn(ids[-1])
    events = phone.tracker()["events"]
    assert [e["message_id"] for e in events if e["event"] == "user"] == ids
    # the SMS left in the order of the bot's answers, which answered the questions in order
    bot_texts = [e["text"] for e in events if e["event"] == "bot"]
    assert len(bot_texts) >= len(questions)
    assert phone.received() == [part for text in bot_texts for part in split_sms(text, MAX_SEGMENTS)]
    replies = "\n".join(phone.received())
    assert (
        -1 < replies.find("assistant automatique") < replies.find("programme informatique") < replies.find("Au revoir")
    ), replies


def test_a_replayed_webhook_is_answered_once(channels, saas):
    phone = SmsPhone(channels, saas, unknown_number())
    from urllib.parse import urlencode

    from tests.channels.conftest import PUBLIC_BASE_URL
    from tests.fakes.signing import twilio_signature, twilio_sms_form
    from tests.servers import TWILIO_ACCOUNT_SID, TWILIO_FROM

    form = twilio_sms_form(phone.number, TWILIO_FROM, "bonjour", TWILIO_ACCOUNT_SID)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": twilio_signature(PUBLIC_BASE_URL + SMS_PATH, form, TWILIO_AUTH_TOKEN),
    }
    for _ in range(3):
        response = httpx.post(channels.rasa_url + SMS_PATH, content=urlencode(form), headers=headers, timeout=30)
        assert response.status_code == 200
    phone.wait_turn(form["MessageSid"])
    phone.ask("merci")  # a later message: by then any replay would have been handled too
    assert [e["message_id"] for e in phone.user_events()].count(form["MessageSid"]) == 1


def test_bad_requests_get_a_clear_4xx_and_other_conversations_go_on(channels, saas):
    url = channels.rasa_url + SMS_PATH
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    assert httpx.post(url, json={"Body": "bonjour"}, timeout=30).status_code == 415
    huge = httpx.post(url, content=b"Body=" + b"a" * 100_000, headers=form_type, timeout=30)
    assert huge.status_code == 413
    assert httpx.post(url, content=b"Body=%FF%FE&From=%2B33612345601", headers=form_type, timeout=30).status_code == 400
    assert httpx.post(url, content=b"\xff\xfe\x00garbage", headers=form_type, timeout=30).status_code == 400
    # correctly signed but without the fields of a message
    from urllib.parse import urlencode

    from tests.channels.conftest import PUBLIC_BASE_URL
    from tests.fakes.signing import twilio_signature

    for form in ({"Body": "bonjour"}, {"MessageSid": "SM1", "From": "pas un numéro", "Body": "x"}):
        signed = {
            **form_type,
            "X-Twilio-Signature": twilio_signature(PUBLIC_BASE_URL + SMS_PATH, form, TWILIO_AUTH_TOKEN),
        }
        response = httpx.post(url, content=urlencode(form), headers=signed, timeout=30)
        assert response.status_code == 400 and response.json()["error"]
    # an empty SMS and an MMS get a French answer
    phone = SmsPhone(channels, saas, unknown_number())
    response, _ = phone.post("", NumMedia="1", MediaUrl0="https://api.twilio.com/x.jpg", MediaContentType0="image/jpeg")
    assert response.status_code == 200
    assert "pas les images" in phone.expect(1)[0]
    phone.send("   ")
    assert "vide" in phone.expect(2)[1]
    # the channel still serves everyone
    assert "assistant automatique" in SmsPhone(channels, saas, unknown_number()).ask("bonjour")


def test_a_flood_gets_one_french_warning_then_silence(channels, saas):
    phone = SmsPhone(channels, saas, unknown_number())
    limit = 20  # ALLOCBOT_RATE_LIMIT_MAX_MESSAGES's default, per 60 s
    threads = [threading.Thread(target=phone.send, args=("aide",)) for _ in range(limit + 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phone.send("STOP")  # always honoured, and handled after the flood: marks its end
    received = phone.expect(limit + 2)
    help_count = sum(1 for body in received if body.startswith("allocbot est"))
    assert help_count == limit
    assert received.count(RATE_LIMITED_TEXT) == 1
    assert received[-1] == plain_text(STOP_TEXT)
    assert len(received) == limit + 2


def test_twilio_errors_are_retried_and_the_message_still_arrives(channels, saas):
    phone = SmsPhone(channels, saas, unknown_number())
    rejected_before = len(saas.rejected)
    saas.fail_next(2, 503)
    phone.send("aide")
    assert phone.expect(1)[0].startswith("allocbot est")
    assert len(saas.rejected) == rejected_before + 2


def test_erasure_asked_by_sms_also_forgets_the_number(channels, saas):
    phone = SmsPhone(channels, saas, unknown_number())
    phone.ask("bonjour")
    database = channels.env["ALLOCBOT_CHANNELS_DATABASE_URL"].removeprefix("sqlite:///")

    def stored_number() -> str | None:
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT phone_encrypted FROM channel_contacts WHERE sender_id = ?", (phone.sender_id,)
            ).fetchone()
        return row[0] if row else None

    assert stored_number()  # encrypted, needed to answer
    confirmation = phone.ask("supprimez mes données svp")
    assert "1. Oui, effacer" in confirmation
    before = len(phone.received())
    phone.send("1")  # (the tracker that ask() watches is erased: wait for the SMS instead)
    assert "effacée" in phone.expect(before + 1)[-1]
    assert phone.saas.wait_for(lambda: stored_number() is None or None, timeout=30)
    assert phone.user_events() == []  # the conversation itself is gone too


def test_a_message_left_in_the_inbox_by_a_dead_replica_is_answered(channels, saas):
    """Twilio was acknowledged, then the replica died before answering: the running Rasa finds it and answers."""
    phone = SmsPhone(channels, saas, unknown_number())
    phone.ask("bonjour")
    before = len(phone.received())
    identity = PhoneIdentity(CHANNEL_SECRET)
    left_at = (datetime.now(timezone.utc) - timedelta(minutes=10)).replace(tzinfo=None).isoformat(sep=" ")
    database = channels.env["ALLOCBOT_CHANNELS_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO channel_inbox (message_key, sender_id, text_encrypted, is_text, received_at, claimed_at,"
            " claimed_by) VALUES (?, ?, ?, 1, ?, ?, 'a-replica-that-died')",
            ("sms:SMleftbehind0001", phone.sender_id, identity.encrypt("combien je vais toucher"), left_at, left_at),
        )
    answer = phone.expect(before + 1)[-1]
    assert "relié à aucun dossier" in answer  # the answer to the message left behind, to this number

    def left() -> int:
        with sqlite3.connect(database) as connection:
            query = "SELECT COUNT(*) FROM channel_inbox WHERE sender_id = ?"
            return connection.execute(query, (phone.sender_id,)).fetchone()[0]

    assert phone.saas.wait_for(lambda: left() == 0 or None, timeout=30)  # handled: out of the inbox
    assert len(phone.received()) == before + 1  # answered once, by one replica's sweep
