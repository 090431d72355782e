"""Phone tests: the real Rasa + action server + backend, called by the stand-in for Twilio Voice.

``tests/fakes/saas.py``'s ``TwilioCall`` plays Twilio: it posts the signed
incoming-call webhook, reads the TwiML back, posts each ``<Gather>`` result and
the status callback. Every call is synchronous (Twilio waits for the TwiML), so
a turn is over when its answer has come back: no waiting on the tracker.
"""

from __future__ import annotations

import httpx
import pytest

from bot.channels.phone import PhoneIdentity
from tests.fakes.saas import TwilioCall
from tests.servers import (
    CHANNEL_SECRET,
    PUBLIC_BASE_URL,
    RASA_TOKEN,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_FROM,
)

IDENTITY = PhoneIdentity(CHANNEL_SECRET)


@pytest.fixture(scope="session")
def phone_calls(dialogue):
    """Place calls: ``phone_calls(number)`` -> a ``TwilioCall`` from that number to allocbot's."""

    def place(number: str) -> TwilioCall:
        return TwilioCall(
            dialogue.rasa_url, PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN, TWILIO_ACCOUNT_SID, number, TWILIO_FROM
        )

    return place


def tracker(stack, number: str) -> dict:
    sender = IDENTITY.sender_id("voice", number)
    answer = httpx.get(f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": RASA_TOKEN}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()
