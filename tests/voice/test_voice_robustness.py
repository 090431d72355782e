"""The phone channel unconfigured (503, Rasa still starts), and hostile speech or keys over a signed call."""

from __future__ import annotations

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.voice import TwilioVoiceInput
from tests.channels.conftest import unknown_number
from tests.robustness.test_hostile_inputs import HOSTILE_TEXTS
from tests.servers import free_port


async def test_the_unconfigured_phone_channel_loads_and_answers_503(monkeypatch, tmp_path):
    for name in ("ALLOCBOT_TWILIO_AUTH_TOKEN", "ALLOCBOT_VOICE_COUNSELLORS_NUMBER", "ALLOCBOT_VOICE_WORKFLOW_SID"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("ALLOCBOT_CHANNEL_SECRET", "change-me")
    monkeypatch.setenv("ALLOCBOT_CHANNELS_DATABASE_URL", f"sqlite:///{tmp_path / 'channels.db'}")
    received: list[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    channel = TwilioVoiceInput.from_credentials(None)
    assert set(channel.missing_settings()) == {
        "ALLOCBOT_CHANNEL_SECRET",
        "ALLOCBOT_TWILIO_AUTH_TOKEN",
        "ALLOCBOT_VOICE_COUNSELLORS_NUMBER",
    }
    # Sanic rewrites its HTTP protocol's code when a server starts; outside test mode a second in-process
    # server of the suite would rewrite the rewritten code and fail (KeyError: 'connection_task').
    monkeypatch.setattr(Sanic, "test_mode", True)
    app = Sanic("allocbot_unconfigured_voice")
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/twilio_voice")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for hook in ("webhook", "gather", "status"):
                response = await client.post(
                    f"/webhooks/twilio_voice/{hook}",
                    content=b"CallSid=CA00",
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
                assert response.status_code == 503
                assert "ALLOCBOT_VOICE_COUNSELLORS_NUMBER" in response.json()["error"]
            assert (await client.get("/webhooks/twilio_voice/")).json() == {"status": "not configured"}
    finally:
        server.close()
        await server.wait_closed()
    assert received == []


@pytest.mark.parametrize("kind", sorted(k for k in HOSTILE_TEXTS if HOSTILE_TEXTS[k].strip()))
def test_hostile_speech_gets_spoken_twiml(dialogue, phone_calls, kind):
    call = phone_calls(unknown_number())
    call.dial_in()
    answer = call.say(HOSTILE_TEXTS[kind])
    assert answer.text.strip() and "<script>" not in answer.text
    assert answer.gather is not None or answer.dial is not None or answer.hangup
    assert all(service.process.poll() is None for service in dialogue.services)


@pytest.mark.parametrize("keys", ["#", "**", "9" * 30, "12ab", "\x00", "٣"])
def test_odd_keys_take_the_misunderstanding_path(dialogue, phone_calls, keys):
    call = phone_calls(unknown_number())
    call.dial_in()
    answer = call.press(keys)
    assert answer.gather is not None
    assert answer.text.startswith("Je n'ai pas compris") or answer.text == call.transcript[0][1]


def test_a_body_not_from_twilio_is_refused(dialogue):
    url = dialogue.rasa_url + "/webhooks/twilio_voice/gather"
    assert (
        httpx.post(
            url, content=b"x" * 70_000, headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30
        ).status_code
        == 413
    )
    assert httpx.post(url, json={"CallSid": "CA"}, timeout=30).status_code == 415
    assert (
        httpx.post(
            url, content=b"\xff\xfe", headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30
        ).status_code
        == 400
    )
