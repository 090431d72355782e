"""Attack allocbot's public surface on loopback and say what held: ``python -m bot.cli.security_check``.

Starts the whole system on free 127.0.0.1 ports with a throw-away database (as
the tests do), the shipped nginx configuration in front of it when nginx is
installed, then runs a fixed, bounded list of attacks — each class a few dozen
requests at most — against every entry point: REST, socket.io, the SMS and
WhatsApp webhooks, the backend API, the counsellor console, the personal space
and the proxy. Prints one table (the one in docs/security.md) and exits 1 if any
attack got through. Nothing leaves the machine: the SaaS URLs point at a closed
local port and no message is ever signed for them. Takes about two minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import secrets
import shutil
import sqlite3
import stat
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import socketio
from stdnum import luhn

from bot.channels.webchat import TOO_MANY_SESSIONS_TEXT, conversation_of
from bot.cli.processes import console_service, start_all
from bot.cli.proxy import Nginx, nginx_binary
from bot.cli.stack import Stack, free_port


@dataclass
class Outcome:
    attack: str
    entry: str
    attempts: int
    result: str
    held: bool


class Socket:
    """A browser tab on the website channel (python-socketio over long-polling)."""

    def __init__(self, url: str, key: str | None = None, address: str | None = None):
        self.client = socketio.Client(reconnection=False)
        self.received: queue.Queue = queue.Queue()
        self.confirmed: queue.Queue = queue.Queue()
        self.client.on("bot_uttered", lambda data: self.received.put(data.get("text", "")))
        self.client.on("session_confirm", self.confirmed.put)
        headers = {"X-Forwarded-For": address} if address else {}
        self.client.connect(url, socketio_path="/socket.io", transports=["polling"], wait_timeout=30, headers=headers)
        self.client.emit("session_request", {"session_id": key})
        self.key: str | None = None
        deadline = time.monotonic() + 20
        while self.key is None and self.received.empty() and time.monotonic() < deadline:
            try:
                self.key = self.confirmed.get(timeout=0.2)  # or a refusal said in bot_uttered
            except queue.Empty:
                continue
        self.conversation = conversation_of(self.key) if self.key else None

    def say(self, text: str) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": self.key})

    def wait_for(self, fragment: str, timeout: float = 90) -> str:
        texts, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                texts.append(self.received.get(timeout=max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                break
            if fragment.lower() in texts[-1].lower():
                break
        return " ".join(texts)

    def close(self) -> None:
        self.client.disconnect()


class Target:
    """The running system and what the probes need to reach it."""

    def __init__(self, stack: Stack, proxy: Nginx | None):
        self.stack, self.proxy = stack, proxy
        self.rest = httpx.Client(base_url=stack.rasa_url, timeout=60)
        self.api = httpx.Client(
            base_url=stack.backend_url, headers={"X-Service-Token": stack.env["ALLOCBOT_BACKEND_SERVICE_TOKEN"]}
        )

    def rest_say(self, sender: str, message: object, **extra) -> httpx.Response:
        return self.rest.post(
            "/webhooks/rest/webhook",
            json={"sender": sender, "message": message, **extra},
            headers=self.stack.rest_headers,
        )

    def texts(self, response: httpx.Response) -> str:
        return " ".join(m.get("text", "") for m in response.json()) if response.status_code == 200 else ""

    def tracker(self, conversation: str) -> dict:
        return self.rest.get(f"/conversations/{conversation}/tracker", params={"token": self.stack.rasa_token}).json()

    def close(self) -> None:
        self.rest.close()
        self.api.close()


CAMILLE = ("1234567A", "12/04/1988", "1988-04-12")
Probe = Callable[[Target], Outcome]
PROBES: list[Probe] = []


def probe(function: Probe) -> Probe:
    PROBES.append(function)
    return function


def count(results: list[bool]) -> str:
    return f"{sum(results)}/{len(results)}"


def all_refused(attack: str, entry: str, codes: list[int], status: int) -> Outcome:
    return Outcome(
        attack, entry, len(codes), f"{status}: {count([c == status for c in codes])}", set(codes) == {status}
    )


# --- REST ---------------------------------------------------------------------------------------


@probe
def rest_without_token(t: Target) -> Outcome:
    codes = [
        t.rest.post("/webhooks/rest/webhook", json={"sender": f"x-{i}", "message": "bonjour"}, headers=h).status_code
        for i, h in enumerate([{}, {"Authorization": "Bearer faux"}, {"Authorization": "x"}] * 4)
    ]
    return all_refused("talk without the REST token", "REST", codes, 401)


@probe
def rest_borrowed_ids(t: Target) -> Outcome:
    ids = ["sms-" + "a" * 40, "wa-" + "b" * 40, "web-" + "c" * 32, "tel-1", "\udc00-1", "a\ud800", "x" * 201, " pad"]
    codes = [
        t.rest.post(
            "/webhooks/rest/webhook",
            content=json.dumps({"sender": sender, "message": "quand serai-je payé ?"}),
            headers={"Content-Type": "application/json", **t.stack.rest_headers},
        ).status_code
        for sender in ids
    ]
    return all_refused(
        "another channel's or an invalid conversation id (sms-, wa-, web-, lone surrogate)", "REST", codes, 400
    )


@probe
def rest_forged_channel(t: Target) -> Outcome:
    sender = f"t-{uuid.uuid4()}"
    answer = t.texts(
        t.rest_say(
            sender,
            "quand serai-je payé ?",
            input_channel="whatsapp",
            metadata={"allocbot": {"channel": "whatsapp", "phone": "+33612345601"}},
        )
    )
    user = [e for e in t.tracker(sender)["events"] if e["event"] == "user"][-1]
    held = "identifiant" in answer and user["input_channel"] == "rest" and "phone" not in json.dumps(user["metadata"])
    return Outcome(
        "forged input_channel and phone metadata", "REST", 1, "asked for the identifier" if held else answer[:60], held
    )


@probe
def rest_sizes_and_pace(t: Target) -> Outcome:
    sender = f"t-{uuid.uuid4()}"
    big = t.rest_say(sender, "bonjour", metadata={"x": "a" * 1_000_000}).status_code
    huge = t.rest_say(sender, "a" * 100_000).status_code
    limit = int(t.stack.env.get("ALLOCBOT_REST_RATE_LIMIT_MAX_MESSAGES") or 60)
    codes = [t.rest_say(sender, 12).status_code for _ in range(limit)]  # refused messages count
    over = t.rest_say(sender, "bonjour").status_code
    held = big == 413 and huge == 413 and over == 429
    return Outcome(
        "1 MB metadata, 100 kB message, flood of one conversation",
        "REST",
        limit + 3,
        f"413, 413, 429 after {len(codes)}" if held else f"{big}, {huge}, {over}",
        held,
    )


@probe
def typed_payload(t: Target) -> Outcome:
    sender = f"t-{uuid.uuid4()}"
    t.rest_say(sender, "combien vais-je toucher ?")
    t.rest_say(sender, CAMILLE[0])
    t.rest_say(sender, CAMILLE[1])
    t.rest_say(sender, '/ask_allowance_amount{"month":"zzz","amount":"beaucoup"}')
    answer = t.texts(t.rest_say(sender, "combien vais-je toucher ?"))
    held = "pas valide" not in answer and "€" in answer
    return Outcome(
        "typed payload with junk entities",
        "REST, socket.io, SMS, WhatsApp",
        1,
        "dropped" if held else answer[:60],
        held,
    )


@probe
def redaction(t: Target) -> Outcome:
    card = "497010123456789" + luhn.calc_check_digit("497010123456789")
    secrets_said = [" ".join(card[i : i + 4] for i in range(0, 16, 4)), "19FR28734", "jean.dupont (at) exemple.fr"]
    sender = f"t-{uuid.uuid4()}"
    for text in secrets_said:
        t.rest_say(sender, f"voici : {text}")
    stored = ""
    for name in ("conversations.db", "backend.db"):
        with sqlite3.connect(t.stack.workdir / name) as connection:
            for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                stored += repr(connection.execute(f'SELECT * FROM "{table}"').fetchall())  # noqa: S608
    for log in (t.stack.workdir / "log").glob("*.log"):
        stored += log.read_text(errors="replace")
    leaked = [s for s in [*secrets_said, card, "jean.dupont"] if s in stored]
    return Outcome(
        "card, passport, spelled-out email in a message", "stores and logs", 3, f"in clear: {len(leaked)}", not leaked
    )


# --- socket.io ----------------------------------------------------------------------------------


@probe
def socket_intruder(t: Target) -> Outcome:
    victim = Socket(t.stack.rasa_url)
    victim.say("bonjour")
    victim.wait_for("automatique")
    intruder = Socket(t.stack.rasa_url, victim.conversation)
    t.rest.post(
        f"/conversations/{victim.conversation}/execute",
        params={"token": t.stack.rasa_token, "output_channel": "latest"},
        json={"name": "utter_iamabot"},
    )
    reached = "pas une personne" in victim.wait_for("pas une personne")
    time.sleep(2)
    held = reached and intruder.received.empty() and intruder.conversation != victim.conversation
    victim.close()
    intruder.close()
    return Outcome(
        "join a conversation by its id (session_request)",
        "socket.io",
        1,
        "nothing received" if held else "received",
        held,
    )


@probe
def socket_markdown(t: Target) -> Outcome:
    person = Socket(t.stack.rasa_url)
    person.say("bonjour")  # so that the conversation's latest channel is the widget's
    person.wait_for("automatique")
    reply = "Voir [x](javascript:alert(1)) ![i](https://images.example.org/p.png) <data:x> (réponse du conseiller)"
    t.rest.post(
        f"/conversations/{person.conversation}/tracker/events",
        params={"token": t.stack.rasa_token, "output_channel": "latest", "execute_side_effects": "true"},
        json=[{"event": "bot", "text": reply, "metadata": {"counsellor": "c.martin"}}],
    )
    text = person.wait_for("conseiller")
    person.close()
    # What Markdown would still read as a link to elsewhere, an image or an autolink (escapes are fine).
    active = re.search(r"\]\((?!https?://)|(?<!\\)!\[|(?<!\\)<data:", text)
    held = "réponse du conseiller" in text and active is None
    return Outcome(
        "javascript: link, remote image in a reply",
        "socket.io (widget)",
        1,
        "made literal" if held else text[:60],
        held,
    )


@probe
def ticket_flood(t: Target) -> Outcome:
    address, answers = "198.51.100.7", list[str]()
    for _ in range(7):
        person = Socket(t.stack.rasa_url, address=address)
        person.say("je veux parler à un conseiller")
        answers.append(person.wait_for("AB-" if len(answers) < 5 else "3949"))
        person.close()
    made = [bool(re.search(r"AB-[A-Z0-9]{6}", a)) for a in answers]
    return Outcome(
        "ticket flood from one address",
        "socket.io → backend",
        7,
        f"tickets: {sum(made)}, refused: {7 - sum(made)}",
        made == [True] * 5 + [False] * 2,
    )


@probe
def socket_sessions(t: Target) -> Outcome:
    limit = int(t.stack.env.get("ALLOCBOT_WEB_NEW_SESSIONS_MAX") or 30)
    confirmed = []
    for _ in range(limit + 3):
        tab = Socket(t.stack.rasa_url, address="198.51.100.8")
        confirmed.append(tab.key is not None or TOO_MANY_SESSIONS_TEXT not in tab.wait_for("patienter", 10))
        tab.close()
    return Outcome(
        "new conversations from one address",
        "socket.io",
        limit + 3,
        f"refused: {confirmed.count(False)}",
        confirmed[-3:] == [False] * 3,
    )


# --- webhooks -----------------------------------------------------------------------------------


@probe
def webhooks_forged(t: Target) -> Outcome:
    sms = [
        t.rest.post(
            "/webhooks/twilio_sms/webhook",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **h},
        ).status_code
        for body, h in [
            ("From=%2B33612345601&Body=quand+serai-je+pay%C3%A9", {}),
            ("From=%2B33612345601&Body=x", {"X-Twilio-Signature": "AAAA"}),
            ("From=%2B33612345601&Body=" + "a" * 70_000, {"X-Twilio-Signature": "AAAA"}),
        ]
    ]
    wa = [
        t.rest.post(
            "/webhooks/whatsapp/webhook",
            content=b'{"object": "whatsapp_business_account"}',
            headers={"Content-Type": "application/json", **h},
        ).status_code
        for h in [{}, {"X-Hub-Signature-256": "sha256=" + "0" * 64}]
    ]
    verify = t.rest.get(
        "/webhooks/whatsapp/webhook",
        params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
    ).status_code
    codes = [*sms, *wa, verify]
    held = sms[:2] == [403, 403] and sms[2] == 413 and wa == [403, 403] and verify == 403
    return Outcome(
        "unsigned, forged, oversized webhooks", "SMS, WhatsApp webhooks", len(codes), ", ".join(map(str, codes)), held
    )


# --- backend ------------------------------------------------------------------------------------


def identify(t: Target, **body) -> int:
    return t.api.post(
        "/v1/identification", json={"conversation_id": f"t-{uuid.uuid4()}", "channel": "web", **body}
    ).status_code


@probe
def backend_spray(t: Target) -> Outcome:
    source = "web:" + secrets.token_hex(12)
    codes = [identify(t, identifier=f"{i:07d}Q", birth_date="1971-03-04", source=source) for i in range(12)]
    return Outcome(
        "one birth date over 12 identifiers from one origin",
        "backend API, site, bot",
        12,
        f"429 from try {codes.index(429) + 1}" if 429 in codes else "never refused",
        codes[9:] == [429] * 3,
    )


@probe
def backend_file_lock(t: Target) -> Outcome:
    for _ in range(3):
        identify(t, identifier=CAMILLE[0], birth_date="1990-01-01")
    by_phone = identify(t, phone="+33612345601", birth_date=CAMILLE[2])
    return Outcome("3 failures by identifier, then the phone number", "backend API", 4, str(by_phone), by_phone == 423)


@probe
def backend_ids_hashed(t: Target) -> Outcome:
    conversation = "jean.dupont@exemple.fr"
    t.api.post(
        "/v1/handoff-tickets", json={"conversation_id": conversation, "channel": "rest", "reason": "human_requested"}
    )
    t.api.post(
        "/v1/identification",
        json={"conversation_id": conversation, "channel": "rest", "identifier": "2345678B", "birth_date": "1995-09-03"},
    )
    with sqlite3.connect(t.stack.workdir / "backend.db") as connection:
        rows = repr(
            connection.execute("SELECT * FROM handoff_tickets").fetchall()
            + connection.execute("SELECT * FROM access_log").fetchall()
        )
    return Outcome(
        "conversation id shaped like an email",
        "backend tickets, access log",
        2,
        "in clear" if conversation in rows else "hashed",
        conversation not in rows,
    )


# --- console and site ---------------------------------------------------------------------------


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return found.group(1) if found else ""


def console_login(client: httpx.Client, login: str, password: str, address: str | None = None) -> httpx.Response:
    token = form_token(client.get("/login").text)
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post("/login", data={"csrf_token": token, "login": login, "password": password}, headers=headers)


@probe
def console_colleague(t: Target) -> Outcome:
    conversation = f"web-{uuid.uuid4().hex}"
    ticket = t.api.post(
        "/v1/handoff-tickets",
        json={"conversation_id": conversation, "channel": "socketio", "reason": "human_requested"},
    ).json()
    t.api.post(f"/v1/handoff-tickets/{ticket['reference']}/take", json={"counsellor": "c.martin"})
    password = t.stack.env["ALLOCBOT_COUNSELLOR_PASSWORD"]
    with httpx.Client(base_url=t.stack.console_url, timeout=30) as paul:
        console_login(paul, "p.durand", password)
        codes = [
            paul.get(f"/tickets/{ticket['reference']}").status_code,
            paul.get(f"/api/tickets/{ticket['reference']}/messages").status_code,
        ]
    return Outcome("read a colleague's ticket", "console", 2, ", ".join(map(str, codes)), codes == [403, 403])


@probe  # after the colleague's probe: it leaves 127.0.0.1 throttled on the console
def console_forwarded_for(t: Target) -> Outcome:
    with httpx.Client(base_url=t.stack.console_url, timeout=30) as client:
        codes = [console_login(client, f"x{i}", "faux", f"203.0.113.{i}").status_code for i in range(21)]
    return Outcome(
        "new X-Forwarded-For per login try (no proxy configured)",
        "console",
        21,
        f"429 at try {codes.index(429) + 1}" if 429 in codes else "never",
        codes[-1] == 429,
    )


@probe
def site_spray(t: Target) -> Outcome:
    said = []
    with httpx.Client(base_url=t.stack.site_url, timeout=30) as browser:
        for i in range(11):
            csrf = form_token(browser.get("/connexion").text)
            said.append(
                browser.post(
                    "/connexion", data={"csrf_token": csrf, "identifiant": f"{i:07d}U", "date_naissance": "14/07/1975"}
                ).text
            )
    refused = ["Trop de tentatives" in page for page in said]
    return Outcome(
        "one birth date over 11 identifiers at the login",
        "site",
        11,
        f"refused from try {refused.index(True) + 1}" if any(refused) else "never",
        refused[-2:] == [True, True],
    )


@probe
def file_modes(t: Target) -> Outcome:
    files = [*t.stack.workdir.glob("*.db"), *(t.stack.workdir / "log").glob("*.log")]
    loose = [p.name for p in files if stat.S_IMODE(p.stat().st_mode) & 0o077]
    return Outcome(
        "databases and logs readable by others",
        "files",
        len(files),
        "0600" if not loose else ", ".join(loose),
        not loose,
    )


# --- processes (issue 17 §5, §7: how Rasa is started, done in bot/rasa_runtime.py) -------------


def proc(pid: int, name: str) -> list[str]:
    return Path(f"/proc/{pid}/{name}").read_bytes().decode(errors="replace").split("\0")


@probe
def token_on_command_lines(t: Target) -> Outcome:
    secrets_of_ours = [t.stack.rasa_token, t.stack.env["ALLOCBOT_REST_TOKEN"], t.stack.env["ALLOCBOT_ACTIONS_TOKEN"]]
    shown = [
        s.name for s in t.stack.services if any(x in part for part in proc(s.pid, "cmdline") for x in secrets_of_ours)
    ]
    services = len(t.stack.services)
    return Outcome(
        "read a token in ps (/proc/<pid>/cmdline)", "local processes", services, f"shown by: {len(shown)}", not shown
    )


@probe
def telemetry(t: Target) -> Outcome:
    on = []
    for service in t.stack.services:
        environment = dict(line.split("=", 1) for line in proc(service.pid, "environ") if "=" in line)
        if environment.get("RASA_TELEMETRY_ENABLED") != "false":
            on.append(service.name)
    services = len(t.stack.services)
    return Outcome("usage data to Rasa's servers (telemetry)", "every process", services, f"on in: {len(on)}", not on)


# --- reverse proxy ------------------------------------------------------------------------------


@probe
def proxy_surface(t: Target) -> Outcome:
    if t.proxy is None:
        return Outcome("what the reverse proxy publishes", "nginx (deploy/)", 0, "nginx not installed", False)
    token = t.stack.rasa_token
    closed = [
        "/webhooks/rest/webhook",
        f"/status?token={token}",
        "/version",
        f"/conversations/x/tracker?token={token}",
        f"/model/parse?token={token}",
        "/login",
        "/v1/handoff-tickets",
    ]
    codes = [
        httpx.post(
            t.proxy.url + path, json={"sender": "x", "message": "x"}, headers=t.stack.rest_headers, timeout=30
        ).status_code
        if "rest" in path or "parse" in path
        else httpx.get(t.proxy.url + path, timeout=30).status_code
        for path in closed
    ]
    opened = [httpx.get(t.proxy.url + "/", timeout=30).status_code, Socket(t.proxy.url).key is not None]
    held = set(codes) == {404} and opened == [200, True]
    return Outcome(
        "Rasa's API, REST, console, backend through the proxy",
        "nginx (deploy/)",
        len(closed) + 2,
        f"404: {count([c == 404 for c in codes])}, site and socket.io open",
        held,
    )


def start(workdir: Path) -> tuple[Stack, Nginx | None]:
    env = {
        "ALLOCBOT_COUNSELLOR_HOURS": "lun-dim 00:00-24:00",
        "ALLOCBOT_CHANNEL_SECRET": secrets.token_urlsafe(24),
        "ALLOCBOT_CHANNELS_DATABASE_URL": f"sqlite:///{workdir / 'channels.db'}",
        "ALLOCBOT_PUBLIC_BASE_URL": "https://allocbot.invalid",
        "ALLOCBOT_TWILIO_ACCOUNT_SID": "AC" + secrets.token_hex(16),
        "ALLOCBOT_TWILIO_AUTH_TOKEN": secrets.token_hex(16),
        "ALLOCBOT_TWILIO_FROM": "+33644630000",
        "ALLOCBOT_TWILIO_API_URL": "http://127.0.0.1:9",  # never called: nothing here is signed
        "ALLOCBOT_WHATSAPP_ACCESS_TOKEN": secrets.token_hex(16),
        "ALLOCBOT_WHATSAPP_APP_SECRET": secrets.token_hex(16),
        "ALLOCBOT_WHATSAPP_VERIFY_TOKEN": secrets.token_hex(16),
        "ALLOCBOT_WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "ALLOCBOT_WHATSAPP_API_URL": "http://127.0.0.1:9",
        # The checker plays the proxy for the socket.io probes, which name their address; the console
        # and the site are checked as exposed without a proxy (they then count the peer, 127.0.0.1).
        "ALLOCBOT_TRUSTED_PROXIES": "127.0.0.1",
        "ALLOCBOT_WEB_NEW_SESSIONS_MAX": "40",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    stack = Stack(workdir, env=env)
    stack.start_backend()
    stack.start_dialogue()
    stack.start_site()
    stack.console_port = free_port()
    console = console_service(stack.console_port, {**stack.env, "ALLOCBOT_TRUSTED_PROXIES": ""}, workdir / "log")
    start_all([console])
    stack.services.append(console)
    assert stack.site_port is not None
    proxy = Nginx(workdir / "nginx", free_port(), stack.rasa_port, stack.site_port) if nginx_binary() else None
    return stack, proxy


def table(outcomes: list[Outcome]) -> str:
    lines = ["| attack | entry point | attempts | result | held |", "|---|---|---|---|---|"]
    lines += [
        f"| {o.attack} | {o.entry} | {o.attempts} | {o.result} | {'yes' if o.held else '**no**'} |" for o in outcomes
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Attaque la surface publique d'allocbot sur 127.0.0.1 et dit ce qui a tenu."
    )
    parser.add_argument("--keep", action="store_true", help="garde le dossier de travail (journaux) pour l'examiner")
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    workdir = Path(tempfile.mkdtemp(prefix="allocbot-security-"))
    print(f"→ démarrage d'allocbot sur 127.0.0.1 ({workdir})…", flush=True)
    started = time.monotonic()
    stack, proxy = start(workdir)
    target = Target(stack, proxy)
    outcomes = []
    try:
        for run in PROBES:
            try:
                outcomes.append(run(target))
            except Exception as error:  # a probe that breaks is a finding, not a crash of the checker
                outcomes.append(Outcome(run.__name__, "?", 0, f"error: {type(error).__name__}: {error}"[:120], False))
            print(f"   {'✓' if outcomes[-1].held else '✗'} {outcomes[-1].attack}", flush=True)
    finally:
        target.close()
        if proxy:
            proxy.stop()
        stack.stop()
    print()
    print(table(outcomes))
    held, attempts, seconds = (
        sum(o.held for o in outcomes),
        sum(o.attempts for o in outcomes),
        time.monotonic() - started,
    )
    print(f"\n{held}/{len(outcomes)} attack classes held, {attempts} attempts, {seconds:.0f} s.")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(o.held for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
