"""Figures of the SMS channel through the real stack: prints them, asserts nothing.

    .venv/bin/python -m tests.channels.measure [--rounds 20]

Starts the backend, action server and Rasa (as the tests do) and the fake Twilio,
then measures, from signed webhooks:
- a baseline: an HTTP round trip to the channel's health route;
- the webhook acknowledgement time (Twilio waits at most 15 s for it);
- the time until the SMS reached the (fake) Twilio API: AIDE (connector only)
  and « bonjour » (through Rasa and the action server);
- 5 numbers sending 4 messages each at once: time until all 20 answers left.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from tests.channels.conftest import SmsPhone, unknown_number
from tests.fakes.saas import FakeSaaS
from tests.servers import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, Stack


def summary(name: str, seconds: list[float]) -> None:
    ordered = sorted(seconds)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(
        f"{name:<48} n={len(ordered):<3} median {statistics.median(ordered) * 1000:7.1f} ms"
        f"   p95 {p95 * 1000:7.1f} ms   max {ordered[-1] * 1000:7.1f} ms"
    )


def timed_reply(phone: SmsPhone, text: str) -> tuple[float, float]:
    """(acknowledgement seconds, seconds until the reply reached Twilio)."""
    before = len(phone.received())
    started = time.perf_counter()
    phone.send(text)
    acknowledged = time.perf_counter() - started
    phone.expect(before + 1)
    return acknowledged, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        stack = Stack(Path(workdir))
        saas = FakeSaaS(
            stack.saas_port, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID
        ).start()
        try:
            stack.start_backend()
            stack.start_dialogue()
            SmsPhone(stack, saas, unknown_number()).ask("bonjour")  # warm-up
            acks, helps, greetings = [], [], []
            for _ in range(args.rounds):
                phone = SmsPhone(stack, saas, unknown_number())
                ack, total = timed_reply(phone, "aide")
                acks.append(ack)
                helps.append(total)
                ack, total = timed_reply(phone, "bonjour")
                acks.append(ack)
                greetings.append(total)
            health = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                httpx.get(f"{stack.rasa_url}/webhooks/twilio_sms/", timeout=30).raise_for_status()
                health.append(time.perf_counter() - started)
            summary("baseline: GET /webhooks/twilio_sms/ (no work)", health)
            summary("webhook acknowledged (empty TwiML)", acks)
            summary("AIDE -> SMS at Twilio (connector only)", helps)
            summary("« bonjour » -> SMS at Twilio (Rasa + actions)", greetings)

            phones = [SmsPhone(stack, saas, unknown_number()) for _ in range(5)]
            started = time.perf_counter()
            threads = [
                threading.Thread(
                    target=lambda p=p: [p.send(q) for q in ("bonjour", "tu es un robot ?", "merci", "au revoir")]
                )
                for p in phones
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            for phone in phones:
                phone.expect(4)
            print(f"{'5 numbers x 4 messages at once: all answered':<48} {time.perf_counter() - started:7.2f} s")
        finally:
            stack.stop()
            saas.stop()


if __name__ == "__main__":
    main()
