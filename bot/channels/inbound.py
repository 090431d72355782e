"""What every channel checks on an incoming message before Rasa sees it.

* **Typed payloads.** A message written ``/intent{"entity": "value"}`` skips the
  NLU pipeline: Rasa takes the intent and the entities as given, and a slot
  mapped from an entity (``month``, ``amount``) would then keep whatever the
  person typed (``{"month": "zzz"}`` made the next question fail with « La
  requête n'est pas valide »). ``clean_payload`` keeps only the entities the
  assistant knows, with a value of the form its extractor produces (``month``
  ``YYYY-MM``, ``amount`` ``1200.00``); it drops the others and any entity
  object that is not valid JSON. The intent itself is kept: intent payloads set
  no slot by themselves (``domain.yml``).
* **Conversation ids.** A REST sender id must be printable text that UTF-8 can
  encode (a lone surrogate made Rasa's store fail on every turn), and must not
  take the shape of another channel's ids (``web-``, ``sms-``, ``wa-``, ``tel-``):
  those are made by their own connectors only.
* **Sources.** The throttles that count per origin (new web sessions, tickets,
  identification attempts) need a name for the origin that is not the address
  itself: ``source_of`` is a keyed hash of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from decimal import Decimal, InvalidOperation

PAYLOAD = re.compile(r"^\s*/(?P<intent>[A-Za-z0-9_]{1,64})(?P<entities>\{.*\})?(?P<rest>@[0-9.]+)?\s*$", re.DOTALL)
MONTH = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
AMOUNT = re.compile(r"^\d{1,7}(\.\d{1,2})?$")
MAX_AMOUNT = Decimal(10_000_000)

RESERVED_PREFIXES = ("web-", "sms-", "wa-", "tel-", "voice-", "h:")
SENDER = re.compile(r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]{1,200}$")


def _valid_month(value: object) -> bool:
    return isinstance(value, str) and MONTH.match(value) is not None


def _valid_amount(value: object) -> bool:
    if not isinstance(value, str) or not AMOUNT.match(value):
        return False
    try:
        return Decimal(value) < MAX_AMOUNT
    except InvalidOperation:
        return False


ENTITY_CHECKS = {"month": _valid_month, "amount": _valid_amount}


def clean_payload(text: str) -> str:
    """``text`` unchanged, unless it is a typed payload: then only its known, well-formed entities stay."""
    match = PAYLOAD.match(text)
    if match is None or not match.group("entities"):
        return text
    try:
        entities = json.loads(match.group("entities"))
    except ValueError:
        entities = None
    kept = {}
    if isinstance(entities, dict):
        kept = {name: value for name, value in entities.items() if name in ENTITY_CHECKS and ENTITY_CHECKS[name](value)}
    cleaned = "/" + match.group("intent")
    return cleaned + (json.dumps(kept, ensure_ascii=False) if kept else "")


def valid_sender_id(sender: object) -> bool:
    """Printable, encodable text of 1 to 200 characters that is not shaped like another channel's ids."""
    if not isinstance(sender, str) or not SENDER.match(sender) or sender != sender.strip():
        return False
    return not sender.lower().startswith(RESERVED_PREFIXES)


_PROCESS_KEY = secrets.token_bytes(32)


def _source_key() -> bytes:
    secret = os.environ.get("ALLOCBOT_CHANNEL_SECRET") or ""
    # Without the channel secret (a demo without SMS), a key of this process: sources then change
    # when Rasa restarts, which only gives an origin a fresh count.
    return hashlib.sha256(b"allocbot-source|" + secret.encode()).digest() if secret else _PROCESS_KEY


def source_of(kind: str, address: str) -> str:
    """``web:<hash>`` for an address: stable, not reversible without the channel secret."""
    return f"{kind}:" + hmac.new(_source_key(), address.encode(), hashlib.sha256).hexdigest()[:24]
