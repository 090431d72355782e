"""The real allocbot servers for tests: ``bot.cli.stack`` with fixed test secrets and a pinned day."""

from __future__ import annotations

from pathlib import Path

from bot.cli import stack as _stack
from bot.cli.stack import free_port, seed

TEST_TODAY = "2026-11-22"
SERVICE_TOKEN = "test-service-token-0123456789"
ACCESS_SECRET = "test-access-secret-0123456789"
RASA_TOKEN = "test-rasa-token-0123456789"
SYNTHETIC_PEOPLE = 20
# The pinned day is a Sunday: counsellors are made available every day so that a
# handover pauses the conversation (the console's tests need it). The closed-hours
# answer is tested by calling the handover with the usual hours (tests/integration/test_handoff.py).
COUNSELLOR_HOURS = "lun-dim 00:00-24:00"

# SMS and WhatsApp: fixed test credentials; the channels talk to the local stand-in for
# Twilio's and Meta's APIs (tests/fakes/saas.py) on ``Stack.saas_port``.
CHANNEL_SECRET = "test-channel-secret-0123456789"
PUBLIC_BASE_URL = "https://allocbot.example.test"
TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
TWILIO_AUTH_TOKEN = "test-twilio-auth-token-0123456789"
TWILIO_FROM = "+33644630000"
WHATSAPP_ACCESS_TOKEN = "test-meta-access-token-0123456789"
WHATSAPP_APP_SECRET = "test-meta-app-secret-0123456789"
WHATSAPP_VERIFY_TOKEN = "test-meta-verify-token-0123456789"
WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
WHATSAPP_TEMPLATE_NAME = "allocbot_reprise_contact"
# Phone: the counsellors' line and the urgent line the calls are put through to (the fake Twilio never dials).
VOICE_COUNSELLORS_NUMBER = "+33140000000"
VOICE_URGENT_NUMBER = "+33140000099"


def channel_env(workdir: Path, saas_port: int) -> dict[str, str]:
    saas = f"http://127.0.0.1:{saas_port}"
    return {
        "ALLOCBOT_CHANNEL_SECRET": CHANNEL_SECRET,
        "ALLOCBOT_CHANNELS_DATABASE_URL": f"sqlite:///{workdir / 'channels.db'}",
        "ALLOCBOT_PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "ALLOCBOT_TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "ALLOCBOT_TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "ALLOCBOT_TWILIO_FROM": TWILIO_FROM,
        "ALLOCBOT_TWILIO_API_URL": saas,
        "ALLOCBOT_WHATSAPP_ACCESS_TOKEN": WHATSAPP_ACCESS_TOKEN,
        "ALLOCBOT_WHATSAPP_APP_SECRET": WHATSAPP_APP_SECRET,
        "ALLOCBOT_WHATSAPP_VERIFY_TOKEN": WHATSAPP_VERIFY_TOKEN,
        "ALLOCBOT_WHATSAPP_PHONE_NUMBER_ID": WHATSAPP_PHONE_NUMBER_ID,
        "ALLOCBOT_WHATSAPP_API_URL": f"{saas}/v19.0",
        "ALLOCBOT_WHATSAPP_TEMPLATE_NAME": WHATSAPP_TEMPLATE_NAME,
        "ALLOCBOT_WHATSAPP_TEMPLATE_LANGUAGE": "fr",
        "ALLOCBOT_VOICE_COUNSELLORS_NUMBER": VOICE_COUNSELLORS_NUMBER,
        "ALLOCBOT_VOICE_URGENT_NUMBER": VOICE_URGENT_NUMBER,
        # Messages a dead replica left in the channel inbox: looked for every 2 s (30 s by default).
        "ALLOCBOT_INBOX_SWEEP_SECONDS": "2",
    }


def service_env(database_url: str, backend_url: str) -> dict[str, str]:
    env = _stack.stack_env(database_url, backend_url, RASA_TOKEN, TEST_TODAY)
    env.update({"ALLOCBOT_BACKEND_SERVICE_TOKEN": SERVICE_TOKEN, "ALLOCBOT_ACCESS_TOKEN_SECRET": ACCESS_SECRET})
    return env


class Stack(_stack.Stack):
    """The stack with the test secrets; a few synthetic people are seeded for tests that lock an identity."""

    def __init__(self, workdir: Path):
        super().__init__(
            workdir,
            rasa_token=RASA_TOKEN,
            today=TEST_TODAY,
            env={"ALLOCBOT_BACKEND_SERVICE_TOKEN": SERVICE_TOKEN, "ALLOCBOT_ACCESS_TOKEN_SECRET": ACCESS_SECRET},
        )
        self.env["ALLOCBOT_COUNSELLOR_HOURS"] = COUNSELLOR_HOURS
        # The test clients play the reverse proxy (they connect from loopback) and name the person behind
        # it in X-Forwarded-For (tests/fakes/addresses.py), so that per-origin throttles count people apart.
        self.env["ALLOCBOT_TRUSTED_PROXIES"] = "127.0.0.1"
        # The personas are shared by the whole suite, which hands them over many times in ten minutes: the
        # per-person ticket limit is tested on a backend of its own (tests/security/test_backend_limits.py).
        self.env["ALLOCBOT_TICKETS_PER_PERSON"] = "1000"
        self.saas_port = free_port()  # chosen before Rasa starts: tests/fakes/saas.py listens there
        self.env.update(channel_env(workdir, self.saas_port))

    def start_backend(self, population: int = SYNTHETIC_PEOPLE) -> None:
        super().start_backend(population)


__all__ = ["ACCESS_SECRET", "RASA_TOKEN", "SERVICE_TOKEN", "TEST_TODAY", "Stack", "free_port", "seed", "service_env"]
