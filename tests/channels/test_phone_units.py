"""The pieces the SMS and WhatsApp connectors share: keywords, number identity, the persistent store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.channels.phone import PhoneIdentity, in_service_window, keyword
from bot.channels.state import ChannelStore, utcnow

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP", "stop"),
        ("stop", "stop"),
        (" Stop. ", "stop"),
        ("ARRÊT", "stop"),
        ("arret", "stop"),
        ("Arrêter", "stop"),
        ("STOPALL", "stop"),
        ("unsubscribe", "stop"),
        ("désabonner", "stop"),
        ("START", "start"),
        ("Démarrer", "start"),
        ("AIDE", "help"),
        ("aide !", "help"),
        ("Help", "help"),
        ("stop les messages svp", None),
        ("j'ai besoin d'aide pour mon dossier", None),
        ("", None),
        ("arrêt de travail", None),
        ("x" * 10_000, None),
    ],
)
def test_keywords_are_whole_messages_any_case_and_accents(text, expected):
    assert keyword(text) == expected


def test_the_conversation_id_is_a_keyed_hash_and_the_number_is_encrypted():
    identity = PhoneIdentity("secret-one")
    sender = identity.sender_id("sms", "+33612345601")
    assert sender.startswith("sms-") and "612345601" not in sender
    assert sender == PhoneIdentity("secret-one").sender_id("sms", "+33612345601")  # stable
    assert sender != PhoneIdentity("secret-two").sender_id("sms", "+33612345601")  # keyed
    assert sender != identity.sender_id("sms", "+33612345602")
    token = identity.encrypt("+33612345601")
    assert "612345601" not in token
    assert identity.decrypt(token) == "+33612345601"
    assert PhoneIdentity("secret-two").decrypt(token) is None


def test_a_stop_survives_a_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'var' / 'channels.db'}"
    store = ChannelStore(url)
    store.remember("sms-abc", "sms", "encrypted", utcnow())
    store.set_stopped("sms-abc", True)
    store.set_choices("sms-abc", ["/affirm", "/deny"])
    store.engine.dispose()
    restarted = ChannelStore(url)
    contact = restarted.contact("sms-abc")
    assert contact.stopped and contact.choices == ["/affirm", "/deny"]
    assert restarted.contact("sms-other") is None


def test_a_webhook_message_id_is_handled_once(tmp_path):
    store = ChannelStore(f"sqlite:///{tmp_path / 'channels.db'}")
    assert store.first_time_seen("sms:SM1")
    assert not store.first_time_seen("sms:SM1")
    assert store.first_time_seen("whatsapp:SM1")
    assert store.receive("sms:SM2", "sms-abc", "sms", "encrypted")
    assert not store.receive("sms:SM2", "sms-abc", "sms", "encrypted")
    assert store.contact("sms-abc").last_inbound_at is not None


def test_the_whatsapp_window_is_24_hours():
    now = utcnow()
    assert in_service_window(now - timedelta(hours=23, minutes=59), now)
    assert not in_service_window(now - timedelta(hours=24), now)
    assert not in_service_window(None, now)


def test_retention_forgets_silent_numbers_but_keeps_opt_outs(tmp_path):
    store = ChannelStore(f"sqlite:///{tmp_path / 'channels.db'}")
    for sender in ("sms-old", "sms-old-stopped", "sms-recent"):
        store.remember(sender, "sms", "encrypted", utcnow())
    store.set_stopped("sms-old-stopped", True)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE channel_contacts SET updated_at = ? WHERE sender_id LIKE 'sms-old%'",
            ((utcnow() - timedelta(days=91)).isoformat(sep=" "),),
        )
    assert store.forget_inactive(timedelta(days=90)) == 2
    assert store.contact("sms-old") is None
    kept = store.contact("sms-old-stopped")
    assert kept.stopped and kept.phone_encrypted == ""
    assert store.contact("sms-recent").phone_encrypted == "encrypted"
