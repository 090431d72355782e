"""A real local HTTP server standing in for Twilio's and Meta's APIs.

It accepts exactly the requests the real services accept, answers with their
real response shapes and status codes, and records what it received:

* Twilio: ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded
  ``To``, ``From`` (or ``MessagingServiceSid``), ``Body``, HTTP Basic auth
  ``AccountSid:AuthToken`` -> 201 and a Message resource; 401 (error 20003) on
  bad credentials; 400 (21604 / 21602) without ``To`` / ``Body``.
* Meta (WhatsApp Cloud API): ``POST /{version}/{phone-number-id}/messages``, JSON,
  ``Authorization: Bearer <token>`` -> 200 ``{"messaging_product", "contacts",
  "messages": [{"id": "wamid..."}]}``; 401 (OAuthException 190) on a bad token;
  400 (code 100) on a malformed payload.

Twilio Voice (``TwilioCall``): Twilio calls *us*. A call posts the incoming-call
webhook, reads the TwiML back as Twilio does (``<Say>``, ``<Gather>`` and its
attributes, ``<Dial>``/``<Number url>``, ``<Enqueue>``, ``<Hangup>``), then
posts each ``<Gather>`` result (``SpeechResult`` + ``Confidence``, or ``Digits``,
or nothing on silence since ``actionOnEmptyResult`` is set) to the ``action``
URL, and the status callback when the caller hangs up; every request is signed
with ``X-Twilio-Signature`` for the public URL Twilio would have called.

``fail_next(n, status)`` makes the next ``n`` calls fail (429, 500...) to check
the connectors' retries. It runs in a thread of the test process so that tests
read its records directly.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit
from xml.etree import ElementTree

import httpx

from tests.fakes.signing import twilio_signature, twilio_voice_form

TWILIO_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC[0-9a-f]{32})/Messages\.json$")
META_PATH = re.compile(r"^/(?P<version>v\d+\.\d+)/(?P<number_id>\d+)/messages$")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client closing its kept-alive connection (the connector stopping) is not an error."""
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


@dataclass
class Recorded:
    service: str  # "twilio" or "meta"
    path: str
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    json: dict = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)


class FakeSaaS:
    def __init__(self, port: int, twilio_sid: str, twilio_token: str, meta_token: str, meta_number_id: str):
        self.port = port
        self.twilio_sid, self.twilio_token = twilio_sid, twilio_token
        self.meta_token, self.meta_number_id = meta_token, meta_number_id
        self.records: list[Recorded] = []
        self.rejected: list[tuple[str, int]] = []
        self._failures: list[int] = []
        self._changed = threading.Condition()
        self._server = _QuietServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeSaaS:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, count: int, status: int) -> None:
        with self._changed:
            self._failures += [status] * count

    # -- what tests read ------------------------------------------------------------------------
    def sms_to(self, phone: str) -> list[str]:
        with self._changed:
            return [r.form["Body"] for r in self.records if r.service == "twilio" and r.form.get("To") == phone]

    def whatsapp_to(self, wa_id: str) -> list[dict]:
        with self._changed:
            return [r.json for r in self.records if r.service == "meta" and r.json.get("to") == wa_id]

    def wait_for(self, predicate, timeout: float = 90.0):
        """Wait until ``predicate()`` is truthy (a message arrived); returns its value, or fails the test."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                self._changed.release()
                try:
                    value = predicate()
                finally:
                    self._changed.acquire()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"nothing matching after {timeout:.0f} s; received: {self.records!r}")
                self._changed.wait(min(remaining, 0.5))

    def _record(self, record: Recorded) -> None:
        with self._changed:
            self.records.append(record)
            self._changed.notify_all()

    # -- the HTTP side --------------------------------------------------------------------------
    def _handler(self):
        saas = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet test output
                pass

            def _answer(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with saas._changed:
                    failure = saas._failures.pop(0) if saas._failures else None
                if failure:
                    saas.rejected.append((self.path, failure))
                    if failure == 429:
                        return self._answer(429, {"code": 20429, "message": "Too Many Requests", "status": 429})
                    return self._answer(failure, {"code": 20500, "message": "Internal Server Error", "status": failure})
                if match := TWILIO_PATH.match(self.path):
                    return self._twilio(match, raw)
                if match := META_PATH.match(self.path):
                    return self._meta(match, raw)
                self._answer(404, {"code": 20404, "message": "The requested resource was not found", "status": 404})

            def _twilio(self, match, raw: bytes) -> None:
                expected = "Basic " + base64.b64encode(f"{saas.twilio_sid}:{saas.twilio_token}".encode()).decode()
                if match["sid"] != saas.twilio_sid or self.headers.get("Authorization") != expected:
                    return self._answer(
                        401,
                        {
                            "code": 20003,
                            "message": "Authenticate",
                            "status": 401,
                            "more_info": "https://www.twilio.com/docs/errors/20003",
                        },
                    )
                if not (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
                    return self._answer(400, {"code": 21610, "message": "Invalid content type", "status": 400})
                form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
                if not form.get("To"):
                    return self._answer(
                        400, {"code": 21604, "message": "A 'To' phone number is required.", "status": 400}
                    )
                if not form.get("Body"):
                    return self._answer(400, {"code": 21602, "message": "Message body is required.", "status": 400})
                if not (form.get("From") or form.get("MessagingServiceSid")):
                    return self._answer(
                        400, {"code": 21603, "message": "A 'From' phone number is required.", "status": 400}
                    )
                saas._record(Recorded("twilio", self.path, dict(self.headers), form=form))
                sid = "SM" + secrets.token_hex(16)
                now = formatdate(usegmt=True)
                self._answer(
                    201,
                    {
                        "account_sid": saas.twilio_sid,
                        "api_version": "2010-04-01",
                        "body": form["Body"],
                        "date_created": now,
                        "date_sent": None,
                        "date_updated": now,
                        "direction": "outbound-api",
                        "error_code": None,
                        "error_message": None,
                        "from": form.get("From"),
                        "messaging_service_sid": form.get("MessagingServiceSid"),
                        "num_media": "0",
                        "num_segments": "1",
                        "price": None,
                        "price_unit": "USD",
                        "sid": sid,
                        "status": "queued",
                        "subresource_uris": {
                            "media": f"/2010-04-01/Accounts/{saas.twilio_sid}/Messages/{sid}/Media.json"
                        },
                        "to": form["To"],
                        "uri": f"/2010-04-01/Accounts/{saas.twilio_sid}/Messages/{sid}.json",
                    },
                )

            def _meta(self, match, raw: bytes) -> None:
                if (
                    match["number_id"] != saas.meta_number_id
                    or self.headers.get("Authorization") != f"Bearer {saas.meta_token}"
                ):
                    return self._answer(
                        401,
                        {
                            "error": {
                                "message": "Invalid OAuth access token.",
                                "type": "OAuthException",
                                "code": 190,
                                "fbtrace_id": secrets.token_urlsafe(8),
                            }
                        },
                    )
                try:
                    payload = json.loads(raw)
                    kind = payload["type"]
                    valid = (
                        payload.get("messaging_product") == "whatsapp"
                        and payload.get("to")
                        and kind in ("text", "interactive", "template")
                        and isinstance(payload.get(kind), dict)
                    )
                except (ValueError, KeyError, TypeError):
                    valid = False
                if not valid or not self._valid_content(payload):
                    return self._answer(
                        400,
                        {
                            "error": {
                                "message": "(#100) Invalid parameter",
                                "type": "OAuthException",
                                "code": 100,
                                "fbtrace_id": secrets.token_urlsafe(8),
                            }
                        },
                    )
                saas._record(Recorded("meta", self.path, dict(self.headers), json=payload))
                answer = {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": payload["to"], "wa_id": payload["to"]}],
                    "messages": [{"id": "wamid." + base64.b64encode(secrets.token_bytes(30)).decode()}],
                }
                if payload["type"] == "template":
                    answer["messages"][0]["message_status"] = "accepted"
                self._answer(200, answer)

            @staticmethod
            def _valid_content(payload: dict) -> bool:
                """The Cloud API's documented limits on what we send."""
                kind = payload["type"]
                if kind == "text":
                    return 0 < len(payload["text"].get("body", "")) <= 4096
                if kind == "template":
                    return bool(payload["template"].get("name")) and "code" in payload["template"].get("language", {})
                interactive = payload["interactive"]
                body = interactive.get("body", {}).get("text", "")
                if not 0 < len(body) <= 1024:
                    return False
                action = interactive.get("action", {})
                if interactive.get("type") == "button":
                    buttons = action.get("buttons", [])
                    return 1 <= len(buttons) <= 3 and all(
                        0 < len(b["reply"]["title"]) <= 20 and 0 < len(b["reply"]["id"]) <= 256 for b in buttons
                    )
                if interactive.get("type") == "list":
                    rows = [row for section in action.get("sections", []) for row in section.get("rows", [])]
                    return (
                        0 < len(action.get("button", "")) <= 20
                        and 1 <= len(rows) <= 10
                        and all(0 < len(r["title"]) <= 24 and 0 < len(r["id"]) <= 200 for r in rows)
                    )
                return False

        return Handler


# -- Twilio Voice -----------------------------------------------------------------------------------


@dataclass
class Twiml:
    """One TwiML document as Twilio reads it."""

    raw: str
    said: list[str]
    gather: dict[str, str] | None
    dial: dict[str, str] | None
    dialled: list[tuple[str, dict[str, str]]]
    enqueue: dict[str, str] | None
    task: str | None
    hangup: bool

    @property
    def text(self) -> str:
        return " ".join(self.said)


def read_twiml(raw: str) -> Twiml:
    """Parse TwiML strictly: a ``<Response>`` root and only verbs Twilio knows."""
    root = ElementTree.fromstring(raw)
    assert root.tag == "Response", raw
    said, gather, dial, dialled, enqueue, task, hangup = [], None, None, [], None, None, False
    known = {"Say", "Gather", "Dial", "Enqueue", "Hangup", "Redirect", "Pause"}
    for verb in root:
        assert verb.tag in known, f"unknown TwiML verb {verb.tag}"
        if verb.tag == "Say":
            said.append(verb.text or "")
        elif verb.tag == "Gather":
            gather = dict(verb.attrib)
            for inner in verb:
                assert inner.tag in ("Say", "Play", "Pause"), f"<{inner.tag}> is not allowed in <Gather>"
                if inner.tag == "Say":
                    said.append(inner.text or "")
        elif verb.tag == "Dial":
            dial = dict(verb.attrib)
            for inner in verb:
                assert inner.tag in ("Number", "Sip", "Client", "Queue", "Conference")
                dialled.append(((inner.text or "").strip(), dict(inner.attrib)))
        elif verb.tag == "Enqueue":
            enqueue = dict(verb.attrib)
            inner = verb.find("Task")
            task = inner.text if inner is not None else None
        elif verb.tag == "Hangup":
            hangup = True
    return Twiml(raw, said, gather, dial, dialled, enqueue, task, hangup)


class TwilioCall:
    """One phone call placed by the stand-in for Twilio to our voice webhooks."""

    def __init__(self, server_url: str, public_url: str, auth_token: str, account_sid: str, caller: str, to: str):
        self.server_url, self.public_url = server_url.rstrip("/"), public_url.rstrip("/")
        self.auth_token, self.account_sid = auth_token, account_sid
        self.caller, self.to = caller, to
        self.sid = "CA" + secrets.token_hex(16)
        self.transcript: list[tuple[str, str]] = []  # ("caller" | "bot", words)
        self.last: Twiml | None = None
        self.ended = False

    def _post(self, url: str, fields: dict[str, str], token: str | None = None, retry_of: str | None = None):
        public = url if url.startswith("http") else self.public_url + url
        parts = urlsplit(public)
        target = self.server_url + parts.path + (f"?{parts.query}" if parts.query else "")
        form = twilio_voice_form(self.sid, self.caller, self.to, self.account_sid, **fields)
        signature = twilio_signature(public, form, token or self.auth_token)
        return httpx.post(
            target,
            content=urlencode(form),
            timeout=60,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature,
                "User-Agent": "TwilioProxy/1.1",
                "I-Twilio-Idempotency-Token": retry_of or secrets.token_hex(16),
            },
        )

    def _read(self, answer) -> Twiml:
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/xml"), answer.headers
        twiml = read_twiml(answer.text)
        self.last = twiml
        if twiml.text:
            self.transcript.append(("bot", twiml.text))
        return twiml

    def dial_in(self) -> Twiml:
        """The number is called: Twilio posts the incoming-call webhook."""
        return self._read(self._post("/webhooks/twilio_voice/webhook", {"CallStatus": "ringing"}))

    def _gather_url(self) -> str:
        assert self.last is not None and self.last.gather is not None, "no <Gather> to answer"
        return self.last.gather["action"]

    def say(self, words: str, confidence: str = "0.92") -> Twiml:
        self.transcript.append(("caller", words))
        return self._read(self._post(self._gather_url(), {"SpeechResult": words, "Confidence": confidence}))

    def press(self, digits: str) -> Twiml:
        self.transcript.append(("caller", f"[touches {digits}]"))
        return self._read(self._post(self._gather_url(), {"Digits": digits}))

    def stay_silent(self) -> Twiml:
        self.transcript.append(("caller", "[silence]"))
        return self._read(self._post(self._gather_url(), {}))

    def post_raw(self, path: str, fields: dict[str, str], token: str | None = None):
        return self._post(path, fields, token)

    def whisper(self) -> Twiml:
        """What the counsellor who picks up hears before being connected."""
        assert self.last is not None and self.last.dialled, "no <Dial><Number url>"
        _, attributes = self.last.dialled[0]
        return read_twiml(self._post(attributes["url"], {"CallStatus": "in-progress"}).text)

    def dial_ends(self, status: str) -> Twiml:
        assert self.last is not None and self.last.dial is not None
        return self._read(self._post(self.last.dial["action"], {"DialCallStatus": status}))

    def hang_up(self, status: str = "completed"):
        """The caller hangs up: Twilio posts the status callback."""
        self.ended = True
        self.transcript.append(("caller", "[raccroche]"))
        return self._post("/webhooks/twilio_voice/status", {"CallStatus": status, "CallDuration": "42"})

    def render(self) -> str:
        return "\n".join(f"{'Appelant' if who == 'caller' else 'allocbot'} : {words}" for who, words in self.transcript)
