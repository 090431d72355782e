"""Overload through the real servers: the admission gate of Rasa (bot/scale/admission.py) is in place.

A stack of its own, whose Rasa admits one turn at a time and lets no message wait
(ALLOCBOT_MAX_CONCURRENT_TURNS=1, ALLOCBOT_ADMISSION_WAIT_SECONDS=0): messages
arriving together are then turned away except the one in progress. Each one turned
away gets the French answer, nothing of it is stored, and the same message sent
again once the load has passed is answered normally.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bot.scale.admission import OVERLOAD_TEXT
from tests.robustness.test_faults import user_messages_stored
from tests.servers import Stack

QUESTION = "combien je vais toucher ce mois-ci ?"


@pytest.fixture(scope="module")
def narrow(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("narrow"))
    stack.env.update({"ALLOCBOT_MAX_CONCURRENT_TURNS": "1", "ALLOCBOT_ADMISSION_WAIT_SECONDS": "0"})
    stack.start_backend()
    stack.start_dialogue()
    yield stack
    stack.stop()


async def _say_all(stack, senders: list[str]) -> dict[str, str]:
    async with httpx.AsyncClient(headers=stack.rest_headers, timeout=30) as client:

        async def say(sender: str) -> str:
            response = await client.post(
                f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": QUESTION}
            )
            response.raise_for_status()
            return "\n".join(m.get("text") or "" for m in response.json())

        replies = await asyncio.gather(*(say(sender) for sender in senders))
    return dict(zip(senders, replies, strict=True))


def test_messages_past_the_limit_get_the_overload_answer_and_lose_nothing(narrow):
    senders = [f"overload-{i}" for i in range(20)]
    replies = asyncio.run(_say_all(narrow, senders))
    turned_away = [s for s, text in replies.items() if text == OVERLOAD_TEXT]
    served = [s for s, text in replies.items() if text != OVERLOAD_TEXT]
    assert served, "the turn in progress is answered"
    assert turned_away, "twenty messages at once, one admitted at a time and no wait: some are turned away"
    assert all("identifiant" in replies[s] for s in served)
    for sender in turned_away:
        assert user_messages_stored(narrow, sender) == []  # never processed: sending it again is safe
    # the load has passed: the same message, sent again, is answered as usual
    again = asyncio.run(_say_all(narrow, turned_away[:1]))
    assert "identifiant" in again[turned_away[0]]
    assert user_messages_stored(narrow, turned_away[0]) == [QUESTION]
