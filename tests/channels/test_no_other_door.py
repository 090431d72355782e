"""An identified SMS conversation cannot be reached through another door (issue 17 §1), and hostile texts
over the signed webhooks get an answer and break nothing.

Before: after Julien identified by signed SMS, ``POST /webhooks/rest/webhook
{"sender": "sms-<his hash>", "message": "quand serai-je payé ?"}`` answered with
his payment date; a second socket naming his id would have joined it too.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.channels.conftest import SmsPhone, WhatsAppPhone, unknown_number
from tests.fakes.webchat import Widget
from tests.robustness.test_hostile_inputs import HOSTILE_TEXTS


def test_an_identified_sms_conversation_is_reached_only_by_sms(channels, saas) -> None:
    julien = SmsPhone(channels, saas, "+33612345602")  # Julien, born 03/09/1995
    assert "date de naissance" in julien.ask("quand serai-je payé ?")
    assert "Julien" in julien.ask("03/09/1995")
    events_before = len(julien.user_events())
    for headers in ({}, channels.rest_headers):  # without the token, and even with it
        answer = httpx.post(
            channels.rest_webhook,
            json={"sender": julien.sender_id, "message": "quand serai-je payé ?"},
            headers=headers,
            timeout=60,
        )
        assert answer.status_code in (400, 401), answer.text
        assert "€" not in answer.text and "Julien" not in answer.text
    intruder = Widget(channels.rasa_url).open(julien.sender_id)
    assert intruder.session_id != julien.sender_id
    intruder.close()
    assert len(julien.user_events()) == events_before  # nothing reached his conversation


@pytest.mark.parametrize("kind", sorted(k for k in HOSTILE_TEXTS if HOSTILE_TEXTS[k].strip()))
def test_hostile_texts_over_sms_and_whatsapp_get_an_answer(channels, saas, kind: str) -> None:
    text = HOSTILE_TEXTS[kind]
    sms = SmsPhone(channels, saas, unknown_number())
    replies = sms.ask(text)
    assert replies.strip() and "<script>" not in replies and "forgé" not in replies
    assert not re.search(r"(?<!\d)49(?!\d)", replies)  # {{ 7*7 }} never evaluated
    whatsapp = WhatsAppPhone(channels, saas, unknown_number())
    assert whatsapp.ask(text)
    assert all(service.process.poll() is None for service in channels.services)
