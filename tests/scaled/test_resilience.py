"""What fails comes back: a webhook retried or delivered twice, Redis and PostgreSQL restarted, a replica killed.

Runs after test_replicas.py on the same topology (the last test kills a Rasa replica).
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from urllib.parse import urlencode

import httpx

from bot import rasa_runtime
from tests.fakes.signing import twilio_signature, twilio_sms_form
from tests.fakes.webchat import Widget
from tests.servers import PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM

SMS_PATH = "/webhooks/twilio_sms/webhook"


def new_number() -> str:
    return f"+3378{random.randint(0, 9_999_999):07d}"


def signed_sms(number: str, body: str) -> dict[str, str]:
    return twilio_sms_form(number, TWILIO_FROM, body, TWILIO_ACCOUNT_SID)


def post_sms(url: str, form: dict[str, str]) -> httpx.Response:
    return httpx.post(
        url + SMS_PATH,
        content=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": twilio_signature(PUBLIC_BASE_URL + SMS_PATH, form, TWILIO_AUTH_TOKEN),
        },
        timeout=60,
    )


def settled(read, seconds: float = 3.0, timeout: float = 120):
    """``read()`` once it is non-empty and has not changed for ``seconds``."""
    deadline, last, since = time.monotonic() + timeout, None, time.monotonic()
    while time.monotonic() < deadline:
        value = read()
        if value != last:
            last, since = value, time.monotonic()
        elif value and time.monotonic() - since >= seconds:
            return value
        time.sleep(0.3)
    raise AssertionError(f"jamais stable : {last}")


def test_an_sms_delivered_to_both_replicas_at_once_and_retried_is_answered_once(scaled) -> None:
    one, two = scaled.replica_urls
    number = new_number()
    form = signed_sms(number, "bonjour")
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda u=url: results.append(post_sms(u, form).status_code)) for url in (one, two)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [200, 200]  # both acknowledged: Twilio must not retry…
    answers = settled(lambda: scaled.saas.sms_to(number))
    assert post_sms(scaled.lb_url, form).status_code == 200  # …and Twilio's own retry, through the balancer
    time.sleep(3)
    assert scaled.saas.sms_to(number) == answers  # nothing more sent
    assert len(answers) == len(set(answers))  # the welcome was said once


def test_redis_restarted_the_bot_keeps_answering_and_shares_again_once_it_is_back(scaled, sender) -> None:
    one, two = scaled.replica_urls
    widget = Widget(one).open()
    try:
        scaled.say(scaled.lb_url, sender, "combien vais-je toucher ?")
        scaled.topology.redis.stop()
        try:
            # Redis down: every turn still answered (each replica's own lock and limits meanwhile).
            assert "date de naissance" in " ".join(scaled.say(two, sender, "1234567A"))
            assert "Camille" in " ".join(scaled.say(one, sender, "12/04/1988"))
            widget.send("bonjour")
            assert widget.wait_for("allocbot", timeout=60)  # the widget's answers, delivered by its own replica
        finally:
            scaled.topology.redis.start()
            deadline = time.monotonic() + 30
            while not scaled.topology.redis.is_ready():
                assert time.monotonic() < deadline, "Redis ne redémarre pas"
                time.sleep(0.2)
        # Back: a counsellor's reply through the other replica reaches the widget again (within seconds).
        deadline = time.monotonic() + 30
        while True:
            scaled.counsellor_reply(two, widget.session_id, "Réponse de la conseillère.")
            try:
                widget.wait_for("Réponse de la conseillère", timeout=3)
                break
            except AssertionError:
                assert time.monotonic() < deadline, "socket.io ne repasse pas par Redis après son redémarrage"
        follow_up = " ".join(scaled.say(two, sender, "et quand serai-je payée ?"))
        assert "identifiant" not in follow_up  # the conversation went on, identified
    finally:
        widget.close()


def test_postgresql_restarted_a_clear_french_answer_meanwhile_and_nothing_lost(scaled, sender) -> None:
    one, two = scaled.replica_urls
    scaled.say(one, sender, "combien vais-je toucher ?")
    scaled.say(two, sender, "1234567A")
    assert "Camille" in " ".join(scaled.say(one, sender, "12/04/1988"))
    scaled.topology.postgres.stop()
    try:
        during = " ".join(scaled.say(scaled.lb_url, sender, "quand serai-je payée ?", timeout=90))
        assert during in (rasa_runtime.OUTAGE_TEXT,) or "Je n'arrive pas" in during, during
    finally:
        scaled.topology.postgres.start()
        deadline = time.monotonic() + 60
        while not scaled.topology.postgres.is_ready():
            assert time.monotonic() < deadline, "PostgreSQL ne redémarre pas"
            time.sleep(0.3)
    # Recovered by itself: the same conversation, still identified, on both replicas.
    deadline = time.monotonic() + 60
    while True:
        after = " ".join(scaled.say(two, sender, "quand serai-je payée ?", timeout=90))
        if after != rasa_runtime.OUTAGE_TEXT or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert after != rasa_runtime.OUTAGE_TEXT and "identifiant" not in after, after
    texts = scaled.user_texts(sender)
    assert texts[0] == "combien vais-je toucher ?" and texts[-1] == "quand serai-je payée ?"


def test_a_rasa_replica_killed_under_load_its_conversations_go_on_and_it_comes_back(scaled) -> None:
    conversations = [f"load-{index}-{random.randint(0, 10**9)}" for index in range(6)]
    failures: list[str] = []
    answered: dict[str, int] = {sender: 0 for sender in conversations}
    stop = threading.Event()

    def talk(sender: str) -> None:
        for turn in range(40):
            if stop.is_set():
                return
            message = f"bonjour, question {turn}"
            for attempt in range(2):  # a client retries once, as a browser's socket.io or Twilio would
                try:
                    if scaled.say(scaled.lb_url, sender, message, timeout=60):
                        answered[sender] += 1
                        break
                except (httpx.HTTPError, AssertionError) as error:
                    if attempt == 1:
                        failures.append(f"{sender} {turn}: {error}")
                    time.sleep(0.5)

    threads = [threading.Thread(target=talk, args=(sender,)) for sender in conversations]
    for thread in threads:
        thread.start()
    time.sleep(4)  # under load
    victim = scaled.topology.rasas[0]
    old_pid = victim.pid
    os.killpg(victim.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    time.sleep(12)  # the load goes on while one replica is dead
    stop.set()
    for thread in threads:
        thread.join(120)
    assert failures == []  # at most the in-flight request failed, and its retry was answered
    assert all(count >= 3 for count in answered.values()), answered
    for sender in conversations:  # every answered message is in its conversation once, in order
        texts = [t for t in scaled.user_texts(sender) if t.startswith("bonjour, question")]
        numbers = [int(t.rsplit(" ", 1)[1]) for t in texts]
        assert numbers == sorted(numbers) and len(set(numbers)) >= answered[sender], (sender, numbers)
    # HAProxy took it out; the supervisor started it again with backoff (this test's supervisor is polled
    # by the test, so its 30 s count from the first poll, not from the kill and the load's wind-down).
    assert time.monotonic() - killed_at >= 12
    noticed_at = time.monotonic()
    while scaled.topology.supervisor.restarts(victim) == 0:
        scaled.topology.supervisor.poll()
        assert time.monotonic() - noticed_at < 30, "rasa1 pas relancé"
        time.sleep(0.2)
    assert victim.pid != old_pid
    assert scaled.topology.haproxy_servers()["rasa_http/rasa2"].startswith("UP")
