"""``python -m bot.analytics demo``: a seeded synthetic month of conversations, through the real bot.

Starts the real stack (backend seeded with a Faker population, action server, Rasa with the
analytics broker) on free ports in a throw-away directory, and plays conversations over Rasa's
REST channel: money questions answered after identification (with « oui », « non » or nothing
to the satisfaction question), general questions, redirections, misunderstandings, people who
stop at the identifier question, requests for a counsellor (answered by a counsellor's message
as the console sends it), and repeat contacts of the same person on the same need.

Every event is the real bot's; three things are the demo's, said here and in docs/analytics.md:
each conversation is moved to its planned day and hour of the month (its events keep their
spacing), its channel is the planned one (web, SMS, WhatsApp; all really ran over REST), and a
counsellor's first message gets a planned delay after the handover. The facts are then ingested
into the analytics store of ``make run`` (``var/analytics.db``), with seeded counsellor reviews
(marked in the store like any review). Seeded: the same seed gives the same month.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
import sqlalchemy as sa

from bot.analytics.ingest import ingest
from bot.analytics.minimise import conversation_pseudonym
from bot.analytics.settings import keyed, pseudonym_key
from bot.analytics.staging import create_staging_engine
from bot.analytics.store import REVIEWS, create_analytics_engine
from bot.backend.seed import synthetic_identity
from bot.cli.stack import Stack

POPULATION = 30
CHANNELS = [("socketio", 55), ("twilio_sms", 25), ("whatsapp", 15), ("rest", 5)]
HOURS = [(8, 4), (9, 9), (10, 11), (11, 10), (12, 6), (13, 7), (14, 10), (15, 9), (16, 8), (17, 6), (18, 5)]
HOURS += [(19, 4), (20, 4), (21, 3), (22, 2), (23, 1), (7, 1)]
MONEY = [
    ("ask_allowance_amount", "combien vais-je toucher ce mois-ci ?"),
    ("ask_payment_date", "quand est-ce que je serai payé ?"),
    ("ask_amount_difference", "pourquoi j'ai touché moins que d'habitude ce mois-ci ?"),
    ("report_missing_payment", "je n'ai pas reçu mon paiement"),
]
GENERAL = [
    "quand dois-je m'actualiser ?",
    "comment déclarer mes heures de travail ?",
    "comment contester une décision ?",
]
ELSEWHERE = ["comment obtenir le RSA ?", "je voudrais des informations sur les APL"]
MUDDLED = [("euh truc bidule machin", "toujours rien compris"), ("zzz qsdf", "pfff")]
REVIEW_REASONS = ["wrong_figure", "wrong_need", "incomplete", "unclear", "should_hand_over"]


@dataclass
class Planned:
    sender: str
    start: datetime
    channel: str
    counsellor_delay: float | None = None
    turns: list[str] = field(default_factory=list)


def _weighted(rng: random.Random, choices: list[tuple]) -> object:
    return rng.choices([c[0] for c in choices], weights=[c[1] for c in choices])[0]


class Demo:
    def __init__(self, stack: Stack, rng: random.Random):
        self.stack, self.rng = stack, rng
        self.client = httpx.Client(timeout=30, headers=stack.rest_headers)

    def say(self, sender: str, text: str) -> str:
        response = self.client.post(self.stack.rest_webhook, json={"sender": sender, "message": text})
        response.raise_for_status()
        return "\n".join(m.get("text", "") for m in response.json())

    def counsellor(self, sender: str) -> None:
        self.client.post(
            f"{self.stack.rasa_url}/conversations/{sender}/tracker/events",
            params={"token": self.stack.rasa_token},
            json=[{"event": "bot", "text": "Bonjour, je suis conseillère.", "metadata": {"counsellor": "demo"}}],
        ).raise_for_status()

    def identified(self, sender: str, question: str, person: int) -> str:
        identity = synthetic_identity(person)
        self.say(sender, question)
        self.say(sender, identity.identifier)
        return self.say(sender, identity.birth_date.strftime("%d/%m/%Y"))

    def play(self, plan: Planned, kind: str, person: int, need: tuple[str, str]) -> None:
        rng, sender = self.rng, plan.sender
        if kind == "money":
            answer = self.identified(sender, need[1], person)
            if "aidé" in answer or "utile" in answer:
                after = rng.random()
                if after < 0.55:
                    self.say(sender, "oui")
                elif after < 0.72:
                    self.say(sender, "non")
                elif after < 0.85:
                    self.say(sender, "et la durée de mes droits ?")
        elif kind == "abandon":
            self.say(sender, need[1])
        elif kind == "human":
            self.say(sender, "je voudrais parler à un conseiller")
            if rng.random() < 0.8:
                self.counsellor(sender)
                plan.counsellor_delay = rng.uniform(20, 900)
        elif kind == "general":
            self.say(sender, rng.choice(GENERAL))
            if rng.random() < 0.3:
                self.say(sender, "merci")
        elif kind == "elsewhere":
            self.say(sender, rng.choice(ELSEWHERE))
        elif kind == "muddled":
            first, second = rng.choice(MUDDLED)
            self.say(sender, first)
            self.say(sender, second)

    def close(self) -> None:
        self.client.close()


KINDS = [("money", 40), ("abandon", 10), ("human", 10), ("general", 18), ("elsewhere", 8), ("muddled", 8)]


def plan_month(
    rng: random.Random, days: int, per_day: int, today: date, population: int = POPULATION
) -> list[tuple[Planned, str, int, tuple]]:
    plans = []
    for day_back in range(days, 0, -1):
        day = today - timedelta(days=day_back)
        count = max(1, int(rng.gauss(per_day, per_day / 3)))
        if day.weekday() >= 5:
            count = max(1, count // 2)
        for _ in range(count):
            hour = int(_weighted(rng, HOURS))  # type: ignore[call-overload]
            start = datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=timezone.utc)
            kind = str(_weighted(rng, KINDS))
            person = rng.randrange(population)
            need = rng.choice(MONEY)
            plan = Planned(f"demo-{uuid.UUID(int=rng.getrandbits(128))}", start, str(_weighted(rng, CHANNELS)))
            plans.append((plan, kind, person, need))
            if kind == "money" and rng.random() < 0.18:  # the same person comes back on the same need
                again = Planned(
                    f"demo-{uuid.UUID(int=rng.getrandbits(128))}",
                    start + timedelta(hours=rng.uniform(1, 20)),
                    plan.channel,
                )
                plans.append((again, "money", person, need))
    return plans


def wait_for_broker(database: str, settle_seconds: float = 2.0, timeout: float = 60) -> int:
    last, stable_since = -1, time.monotonic()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            count = connection.execute("SELECT count(*) FROM events").fetchone()[0]
        if count != last:
            last, stable_since = count, time.monotonic()
        elif time.monotonic() - stable_since >= settle_seconds:
            return count
        time.sleep(0.5)
    return last


def move_to_plan(database: str, key: bytes, plans: list[Planned]) -> None:
    """Each conversation's events moved to its planned start, channel and counsellor delay (the demo's part)."""
    with sqlite3.connect(database) as connection:
        for plan in plans:
            pseudonym = conversation_pseudonym(key, plan.sender)
            query = "SELECT id, data FROM events WHERE sender_id = ? ORDER BY id"
            rows = connection.execute(query, (pseudonym,)).fetchall()
            if not rows:
                continue
            events = [(row_id, json.loads(data)) for row_id, data in rows]
            offset = plan.start.timestamp() - min(event["t"] for _, event in events)
            for row_id, event in events:
                event["t"] = round(event["t"] + offset, 3)
                if event.get("e") == "user":
                    event["channel"] = plan.channel
                if event.get("e") == "bot" and event.get("counsellor") and plan.counsellor_delay:
                    event["t"] += plan.counsellor_delay
                connection.execute("UPDATE events SET data = ? WHERE id = ?", (json.dumps(event), row_id))


def seeded_reviews(rng: random.Random, engine: sa.engine.Engine, today: date, count: int = 80) -> None:
    quality = {"ask_allowance_amount": 0.92, "ask_payment_date": 0.95, "ask_amount_difference": 0.75}
    quality |= {"report_missing_payment": 0.85, "ask_declaration_window": 0.97, "ask_how_to_declare_work": 0.9}
    needs = list(quality)
    with engine.begin() as connection:
        for _ in range(count):
            need = rng.choice(needs)
            right = rng.random() < quality[need]
            connection.execute(
                REVIEWS.insert().values(
                    reviewed_on=today - timedelta(days=rng.randrange(1, 29)),
                    need=need,
                    verdict="right" if right else "wrong",
                    reason="correct" if right else rng.choice(REVIEW_REASONS),
                    sample_key=keyed(b"demo", "review", str(rng.random())),
                )
            )


def play_month(stack: Stack, plans: list[tuple[Planned, str, int, tuple]], rng: random.Random) -> int:
    """Play the planned conversations through ``stack``; returns the minimised events the broker wrote."""
    demo = Demo(stack, rng)
    try:
        for index, (plan, kind, person, need) in enumerate(sorted(plans, key=lambda p: p[0].start)):
            demo.play(plan, kind, person, need)
            if (index + 1) % 25 == 0:
                print(f"  {index + 1}/{len(plans)}", flush=True)
    finally:
        demo.close()
    return wait_for_broker(stack.env["ALLOCBOT_EVENTS_DB_URL"].removeprefix("sqlite:///"))


def analytics_key(stack: Stack) -> bytes:
    return pseudonym_key(stack.env)


def run(days: int, per_day: int, seed: int) -> int:
    started = time.monotonic()
    rng = random.Random(seed)
    today = datetime.now(timezone.utc).date()
    plans = plan_month(rng, days, per_day, today)
    with tempfile.TemporaryDirectory(prefix="allocbot-demo-") as workdir:
        stack = Stack(Path(workdir))
        # Counsellors available at every hour: a handover pauses the conversation, as in the day.
        stack.env["ALLOCBOT_COUNSELLOR_HOURS"] = "lun-dim 00:00-24:00"
        stack.env["ALLOCBOT_TICKETS_PER_PERSON"] = "1000"
        stack.env["ALLOCBOT_REST_RATE_LIMIT_MAX_MESSAGES"] = "1000"
        print(f"→ démarrage du bot réel (backend, {POPULATION} personnes synthétiques, actions, Rasa)…", flush=True)
        try:
            stack.start_backend(POPULATION)
            stack.start_dialogue()
            print(f"→ {len(plans)} conversations sur {days} jours…", flush=True)
            staged = play_month(stack, plans, rng)
        finally:
            stack.stop()
        database = stack.env["ALLOCBOT_EVENTS_DB_URL"].removeprefix("sqlite:///")
        move_to_plan(database, analytics_key(stack), [plan for plan, *_ in plans])
        store = create_analytics_engine()
        done = ingest(create_staging_engine(stack.env["ALLOCBOT_EVENTS_DB_URL"]), store, idle_seconds=0)
    seeded_reviews(rng, store, today)
    start = today - timedelta(days=days)
    print(
        f"→ {done.conversations} conversations ({staged} événements minimisés) ajoutées à {store.url.database} "
        f"en {time.monotonic() - started:.0f} s.\n"
        f"  Rapport : .venv/bin/python -m bot.analytics report --from {start} --to {today - timedelta(days=1)}\n"
        f"  Console : /tableau-de-bord?du={start}&au={today - timedelta(days=1)} (superviseur, make run)",
        flush=True,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli.analytics_demo")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=4)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)
    return run(args.days, args.per_day, args.seed)


if __name__ == "__main__":
    sys.exit(main())
