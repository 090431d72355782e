"""The website channel (bot.channels.webchat) spoken to by a real socket.io client, through the real Rasa server.

python-socketio's client speaks the same protocol as rasa-webchat's socket.io v3
client (Engine.IO 4); the browser tests prove the real widget separately.
"""

from __future__ import annotations

import re
import time

import httpx

from bot.channels.rate_limit import RATE_LIMITED_TEXT, SenderRateLimiter
from bot.channels.webchat import (
    MAX_MESSAGE_CHARS,
    NO_SESSION_TEXT,
    NOT_TEXT_TEXT,
    SESSION_KEY,
    TOO_LONG_TEXT,
    TOO_MANY_SESSIONS_TEXT,
    build_metadata,
    keep_amounts_together,
)
from tests.fakes.addresses import new_address
from tests.fakes.webchat import Widget
from tests.servers import RASA_TOKEN

STORED_TOKEN = "[JETON]"  # what the tracker store keeps instead of a site token
WEB_SESSION = re.compile(r"^web-[0-9a-f]{32}$")


def say_through_rasas_api(stack, conversation_id: str) -> None:
    """What the counsellor console does to speak in a conversation: Rasa sends it on the latest channel."""
    response = httpx.post(
        f"{stack.rasa_url}/conversations/{conversation_id}/execute",
        params={"token": RASA_TOKEN, "output_channel": "latest"},
        json={"name": "utter_iamabot"},
        timeout=60,
    )
    assert response.status_code == 200, response.text


def test_amounts_stay_on_one_line_and_metadata_is_ours():
    nbsp = "\u00a0"
    assert (
        keep_amounts_together("1 279,38 € net, 45,01 € × 30 jours")
        == f"1{nbsp}279,38{nbsp}€ net, 45,01{nbsp}€ × 30 jours"
    )
    assert build_metadata({"site_token": "abc", "role": "admin"}) == {
        "allocbot": {"channel": "web", "site_token": "abc"}
    }
    assert build_metadata({"site_token": "x" * 5000}) == {"allocbot": {"channel": "web"}}
    assert build_metadata({}, "web:abc") == {"allocbot": {"channel": "web", "source": "web:abc"}}
    assert build_metadata("not a dict") == {"allocbot": {"channel": "web"}}


def test_the_server_names_the_session_and_keeps_a_well_formed_one(dialogue):
    first = Widget(dialogue.rasa_url).open()
    assert SESSION_KEY.match(first.key) and WEB_SESSION.match(first.session_id)
    assert first.key not in first.session_id
    first.close()
    again = Widget(dialogue.rasa_url).open(first.key)  # a reload: the browser sends its key back
    assert again.key == first.key and again.session_id == first.session_id
    again.close()


def test_a_client_cannot_choose_another_channels_conversation_id(dialogue):
    sms = "sms-" + "a" * 40
    for forged in ["+33612345601", "whatsapp:+33612345601", "t-1234", "web-XYZ", "web-" + "a" * 31, sms, None, 42]:
        widget = Widget(dialogue.rasa_url).open(forged)
        assert WEB_SESSION.match(widget.session_id) and widget.key != forged, forged
        widget.close()


def test_a_known_conversation_id_is_not_a_key_to_the_conversation(dialogue):
    """Issue 17 §1: a second socket naming the victim's conversation id must not receive the victim's replies."""
    victim = Widget(dialogue.rasa_url).open()
    victim.send("bonjour")
    assert "assistant automatique" in victim.next_text()
    intruder = Widget(dialogue.rasa_url).open(victim.session_id)  # the id, as a log or a ticket shows it
    assert intruder.session_id != victim.session_id
    victim.send("vous êtes un robot ?")
    assert "pas une personne" in victim.next_text()
    say_through_rasas_api(dialogue, victim.session_id)  # as the console answers the victim
    assert "pas une personne" in victim.next_text()
    time.sleep(2)  # the intruder had every chance to receive something: it got nothing
    assert intruder.received.empty()
    intruder.close()
    victim.close()


def test_new_sessions_from_one_address_are_limited_in_french(dialogue):
    address, opened = new_address(), []
    limit = int(dialogue.env.get("ALLOCBOT_WEB_NEW_SESSIONS_MAX") or 30)
    for _ in range(limit):
        opened.append(Widget(dialogue.rasa_url, address).open())
    refused = Widget(dialogue.rasa_url, address).open(request_session=False)
    refused.client.emit("session_request", {"session_id": None})
    assert refused.next_text() == TOO_MANY_SESSIONS_TEXT
    assert refused.confirmed.empty()
    back = Widget(dialogue.rasa_url, address).open(opened[0].key)  # a known key is a reload, never refused
    assert back.session_id == opened[0].session_id
    other = Widget(dialogue.rasa_url).open()  # another address is not affected
    assert WEB_SESSION.match(other.session_id)
    for widget in [*opened, refused, back, other]:
        widget.close()


def test_metadata_is_built_by_the_channel_and_keeps_only_the_site_token(dialogue):
    widget = Widget(dialogue.rasa_url).open()
    widget.send(
        "bonjour",
        site_token="not-a-real-token",
        language="fr",
        allocbot={"channel": "sms", "job_seeker_id": 1},
        job_seeker_id=1,
    )
    assert "assistant automatique" in widget.next_text()
    widget.close()
    user_events = widget.user_events()
    assert user_events[-1]["text"] == "bonjour"
    assert user_events[-1]["input_channel"] == "socketio"
    metadata = user_events[-1]["metadata"]  # Rasa adds model_id and assistant_id of its own
    # The stored copy of the token is masked by bot.privacy.tracker_store (a bearer credential is never kept).
    assert metadata["allocbot"].pop("source").startswith("web:")  # a keyed hash of the address, never the address
    assert widget.address not in str(metadata)
    assert metadata["allocbot"] in (
        {"channel": "web", "site_token": "not-a-real-token"},
        {"channel": "web", "site_token": STORED_TOKEN},
    )
    assert "language" not in metadata and "job_seeker_id" not in metadata and "customData" not in metadata


def test_without_a_token_the_metadata_still_says_web(dialogue):
    widget = Widget(dialogue.rasa_url).open()
    widget.send("bonjour", site_token={"sub": "1"})  # not a string: dropped
    widget.next_text()
    widget.close()
    assert set(widget.user_events()[-1]["metadata"]["allocbot"]) == {"channel", "source"}


def test_a_message_sent_through_rasas_api_reaches_the_widget(dialogue):
    """The counsellor console answers with output_channel=latest: the channel must still be found by that name."""
    widget = Widget(dialogue.rasa_url).open()
    widget.send("bonjour")
    widget.next_text()
    say_through_rasas_api(dialogue, widget.session_id)
    assert "pas une personne" in widget.next_text()
    widget.close()


def test_an_oversized_message_gets_a_french_answer_and_never_reaches_rasa(dialogue):
    widget = Widget(dialogue.rasa_url).open()
    widget.send("a" * (MAX_MESSAGE_CHARS + 1))
    assert widget.next_text() == TOO_LONG_TEXT
    widget.send("bonjour")  # the conversation goes on
    assert "assistant automatique" in widget.next_text()
    widget.close()
    assert [event["text"] for event in widget.user_events()] == ["bonjour"]


def test_not_text_gets_a_french_answer(dialogue):
    widget = Widget(dialogue.rasa_url).open()
    for junk in [None, 12, {"text": "bonjour"}, ["bonjour"]]:
        widget.send(junk)
        assert widget.next_text() == NOT_TEXT_TEXT
    widget.close()


def test_a_message_before_any_session_is_refused_in_french(dialogue):
    widget = Widget(dialogue.rasa_url).open(request_session=False)
    widget.client.emit("user_uttered", {"message": "bonjour", "session_id": "A" * 43})
    assert widget.next_text() == NO_SESSION_TEXT
    widget.close()


def test_a_flood_from_one_session_is_stopped_with_one_french_answer(dialogue):
    # Oversized messages count too and never reach Rasa: the flood is cheap to make and to stop.
    # One at a time: Engine.IO refuses a polling request that batches more than 16 packets.
    limit = SenderRateLimiter.from_env().max_messages  # what Rasa's process reads (20 per 60 s by default)
    widget = Widget(dialogue.rasa_url).open()
    for _ in range(limit):
        widget.send("x" * (MAX_MESSAGE_CHARS + 1))
        assert widget.next_text() == TOO_LONG_TEXT
    widget.send("bonjour")
    assert widget.next_text() == RATE_LIMITED_TEXT
    widget.send("bonjour")  # told once, then silence; Rasa never sees these
    time.sleep(3)
    assert widget.received.empty()
    widget.close()
    assert widget.user_events() == []
    other = Widget(dialogue.rasa_url).open()  # another person is not affected
    other.send("bonjour")
    assert "assistant automatique" in other.next_text()
    other.close()
