"""Without provider credentials the channels still load (Rasa starts) and their webhooks answer 503.

The connector's own blueprint is served by a real Sanic server (the web server
Rasa uses), in this process; the bot side only records whether it was called.
"""

from __future__ import annotations

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.sms import TwilioSmsInput
from bot.channels.whatsapp import WhatsAppInput
from tests.servers import free_port

PROVIDER_VARIABLES = [
    "ALLOCBOT_TWILIO_ACCOUNT_SID",
    "ALLOCBOT_TWILIO_AUTH_TOKEN",
    "ALLOCBOT_TWILIO_FROM",
    "ALLOCBOT_WHATSAPP_ACCESS_TOKEN",
    "ALLOCBOT_WHATSAPP_APP_SECRET",
    "ALLOCBOT_WHATSAPP_PHONE_NUMBER_ID",
    "ALLOCBOT_WHATSAPP_VERIFY_TOKEN",
]


@pytest.fixture()
def unconfigured(monkeypatch, tmp_path):
    for name in PROVIDER_VARIABLES:
        monkeypatch.setenv(name, "")  # empty wins over a developer's .env (already loaded)
    monkeypatch.setenv("ALLOCBOT_CHANNEL_SECRET", "change-me")
    monkeypatch.setenv("ALLOCBOT_CHANNELS_DATABASE_URL", f"sqlite:///{tmp_path / 'channels.db'}")


async def test_unconfigured_channels_load_and_answer_503(unconfigured, monkeypatch):
    # One Sanic app for both channels.
    received: list[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    channels = [TwilioSmsInput.from_credentials(None), WhatsAppInput.from_credentials(None)]
    # Sanic rewrites its HTTP protocol's code when a server starts; outside test mode a second in-process
    # server of the suite would rewrite the rewritten code and fail (KeyError: 'connection_task').
    monkeypatch.setattr(Sanic, "test_mode", True)
    app = Sanic("allocbot_unconfigured_channels")
    for channel in channels:
        assert channel.missing_settings()
        app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for name, content_type in (
                ("twilio_sms", "application/x-www-form-urlencoded"),
                ("whatsapp", "application/json"),
            ):
                response = await client.post(
                    f"/webhooks/{name}/webhook", content=b"{}", headers={"Content-Type": content_type}
                )
                assert response.status_code == 503
                message = response.json()["error"]
                assert "n'est pas configuré" in message and "ALLOCBOT_CHANNEL_SECRET" in message
                assert (await client.get(f"/webhooks/{name}/")).json() == {"status": "not configured"}
            verify = await client.get(
                "/webhooks/whatsapp/webhook",
                params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
            )
            assert verify.status_code == 503
    finally:
        server.close()
        await server.wait_closed()
    assert received == []
