"""Two Rasa replicas behind HAProxy, sharing PostgreSQL and Redis: one conversation, whichever replica serves it.

Turns are sent to the replicas directly, alternately, so that each turn really
lands on the other replica (through HAProxy the order would be the balancer's).
"""

from __future__ import annotations

import re
import threading

import httpx

from tests.fakes.webchat import Widget

REFERENCE = re.compile(r"\bAB-[A-Z0-9]{6}\b")


def test_a_conversation_on_alternating_replicas_stays_coherent(scaled, sender) -> None:
    one, two = scaled.replica_urls
    assert "identifiant" in " ".join(scaled.say(one, sender, "combien vais-je toucher ?"))
    assert "date de naissance" in " ".join(scaled.say(two, sender, "1234567A"))  # the form's slot, read on the other
    identified = " ".join(scaled.say(one, sender, "12/04/1988"))
    assert "Camille" in identified and "€" in identified
    follow_up = " ".join(scaled.say(two, sender, "et quand serai-je payée ?"))  # identified on replica 1
    assert "identifiant" not in follow_up and re.search(r"\d{4}", follow_up), follow_up
    handover = " ".join(scaled.say(one, sender, "je veux parler à un conseiller"))
    reference = REFERENCE.search(handover)
    assert reference, handover
    tracker = scaled.tracker(sender, url=two)  # the other replica sees the paused conversation
    assert tracker["paused"] is True
    with scaled.backend() as backend:
        ticket = backend.get(f"/v1/handoff-tickets/{reference.group(0)}")
        assert ticket.status_code == 200, ticket.text
    # Every turn stored once, in order, whichever replica took it.
    assert scaled.user_texts(sender) == [
        "combien vais-je toucher ?",
        "[RÉPONSE D'IDENTIFICATION]",
        "[RÉPONSE D'IDENTIFICATION]",
        "et quand serai-je payée ?",
        "je veux parler à un conseiller",
    ]


def test_a_counsellor_reply_through_one_replica_reaches_a_widget_on_the_other(scaled) -> None:
    one, two = scaled.replica_urls
    widget = Widget(one).open()  # the person's socket lives on replica 1
    try:
        widget.send("bonjour")
        widget.wait_for("allocbot")
        scaled.counsellor_reply(two, widget.session_id, "Bonjour, je suis Claire Martin, conseillère.")
        assert widget.wait_for("Claire Martin", timeout=30)[-1] == "Bonjour, je suis Claire Martin, conseillère."
    finally:
        widget.close()


def test_concurrent_messages_of_one_conversation_on_both_replicas_run_in_order_and_none_is_lost(scaled, sender):
    one, two = scaled.replica_urls
    scaled.say(one, sender, "combien vais-je toucher ?")  # identified first: no form takes the questions below
    scaled.say(two, sender, "1234567A")
    assert "Camille" in " ".join(scaled.say(one, sender, "12/04/1988"))
    messages = [f"question numéro {index} : quand serai-je payé ?" for index in range(6)]
    answers: dict[int, list[str]] = {}
    started = []

    def send(index: int) -> None:
        started.append(index)
        answers[index] = scaled.say((one, two)[index % 2], sender, messages[index], timeout=120)

    threads = []
    for index in range(len(messages)):
        thread = threading.Thread(target=send, args=(index,))
        threads.append(thread)
        thread.start()
        thread.join(0.05)  # sent in this order, 50 ms apart: all in flight at once
    for thread in threads:
        thread.join(180)
    assert all(answers.get(index) for index in range(len(messages))), answers
    texts = scaled.user_texts(sender)[3:]
    assert sorted(texts) == sorted(messages)  # none lost, none twice
    # One turn at a time: each message is followed by its own answer before the next message is read.
    events = [e for e in scaled.tracker(sender)["events"] if e.get("event") in ("user", "bot")][-2 * len(messages) :]
    kinds = "".join("u" if e["event"] == "user" else "b" for e in events)
    assert "uu" not in kinds, kinds


def _socketio_requests(scaled) -> dict[str, int]:
    """Requests each Rasa replica received through HAProxy's socket.io backend (its stats, column ``stot``)."""
    rows = httpx.get(f"http://127.0.0.1:{scaled.topology.ports.monitor}/stats;csv", timeout=5).text.splitlines()
    counts = {}
    for row in rows[1:]:
        cells = row.split(",")
        if len(cells) > 7 and cells[0] == "rasa_socketio" and cells[1] not in ("FRONTEND", "BACKEND"):
            counts[cells[1]] = int(cells[7] or 0)
    return counts


def _handshake(scaled, client_address: str) -> None:
    httpx.get(
        f"{scaled.lb_url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"X-Forwarded-For": client_address},  # what nginx (deploy/nginx/) sets: the person's address
        timeout=10,
    )


def test_people_behind_the_reverse_proxy_are_spread_over_the_replicas_and_each_stays_on_one(scaled) -> None:
    """Behind nginx every request comes from nginx's address: stickiness hashes the person's, not nginx's."""
    before = _socketio_requests(scaled)
    for index in range(40):
        _handshake(scaled, f"198.51.100.{index + 1}")
    spread = {name: count - before.get(name, 0) for name, count in _socketio_requests(scaled).items()}
    assert sum(spread.values()) == 40
    assert all(count > 0 for count in spread.values()), spread  # forty people: both replicas serve some
    before = _socketio_requests(scaled)
    for _ in range(10):
        _handshake(scaled, "203.0.113.9")
    same = {name: count - before.get(name, 0) for name, count in _socketio_requests(scaled).items()}
    assert sorted(same.values()) == [0, 10], same  # one person: always the same replica
