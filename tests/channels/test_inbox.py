"""The channel store's inbox: an SMS or WhatsApp message acknowledged to the provider is never lost.

Twilio and Meta are told « received » as soon as the webhook is checked, and do not
send the message again; if the replica dies before the answer, the message waits
in the inbox (encrypted) and another process handles it. Real SQLite store, real
connector; the bot is a recorder of the messages it is given.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.channels.sms import TwilioSmsInput
from bot.channels.state import ChannelStore

pytestmark = pytest.mark.unit

SECRET = "inbox-test-secret-0123456789"
PHONE = "+33612345678"


def connector(url: str) -> TwilioSmsInput:
    return TwilioSmsInput(
        account_sid="AC0123456789abcdef0123456789abcdef",
        auth_token="inbox-test-auth-token",
        from_number="+33644630000",
        api_url="http://127.0.0.1:9",
        public_base_url="https://allocbot.example.test",
        max_segments=3,
        secret=SECRET,
        store_url=url,
    )


def test_a_message_stays_in_the_inbox_until_handled_and_one_claim_wins(tmp_path):
    store = ChannelStore(f"sqlite:///{tmp_path / 'channels.db'}")
    assert store.receive("sms:SM1", "sms-abc", "sms", "phone", ("texte chiffré", True, "replica-1"))
    assert store.claim_stale("replica-2", "sms", timedelta(hours=1)) == []  # replica 1 is still on it
    assert store.claim_stale("replica-2", "whatsapp", timedelta(0)) == []  # an SMS is answered by SMS
    claimed = store.claim_stale("replica-2", "sms", timedelta(0))
    assert [p.message_key for p in claimed] == ["sms:SM1"] and claimed[0].text_encrypted == "texte chiffré"
    assert store.claim_stale("replica-3", "sms", timedelta(hours=1)) == []  # just claimed by replica 2
    store.handled("sms:SM1")
    assert store.claim_stale("replica-3", "sms", timedelta(0)) == []
    assert store.receive("sms:SM2", "sms-abc", "sms", "phone", ("x", True, "replica-1"))
    store.forget("sms-abc")  # erasure on request takes the waiting message too
    assert store.claim_stale("replica-3", "sms", timedelta(0)) == []


async def test_a_message_left_by_a_dead_replica_is_handled_by_another(tmp_path):
    url = f"sqlite:///{tmp_path / 'channels.db'}"
    dead, alive = connector(url), connector(url)
    given: list[tuple[str, str]] = []

    async def bot(message) -> None:
        given.append((message.sender_id, message.text))

    # Replica 1 recorded the message (and the provider was acknowledged), then died before handling it.
    sender = dead.sender_id(PHONE)
    pending = (dead.identity.encrypt("combien je vais toucher ?"), True, dead.owner)
    assert await dead.db("receive", "sms:SM9", sender, "sms", dead.identity.encrypt(PHONE), pending)
    assert await alive.sweep_inbox(bot) == 0  # not yet stale: it may still be in progress
    assert await alive.sweep_inbox(bot, older_than=timedelta(0)) == 1
    await asyncio.sleep(0.2)  # the job runs in the sender's queue
    assert given == [(sender, "combien je vais toucher ?")]
    assert await alive.sweep_inbox(bot, older_than=timedelta(0)) == 0  # handled: out of the inbox
    assert given == [(sender, "combien je vais toucher ?")]


async def test_a_message_handled_normally_leaves_the_inbox(tmp_path):
    url = f"sqlite:///{tmp_path / 'channels.db'}"
    replica = connector(url)
    given: list[str] = []

    async def bot(message) -> None:
        given.append(message.text)

    await replica.accept(bot, PHONE, "quand serai-je payé ?", "SM10")
    await replica.accept(bot, PHONE, "quand serai-je payé ?", "SM10")  # Twilio's retry: ignored
    await asyncio.sleep(0.2)
    assert given == ["quand serai-je payé ?"]
    assert await connector(url).sweep_inbox(bot, older_than=timedelta(0)) == 0
