"""What of a Rasa event may reach the analytics: the fact, never the words nor who.

Rasa hands its event broker every event of every conversation exactly as it
happened: the person's text, entities, slot values (identifier, birth date,
access token), metadata. ``minimise`` keeps only what the indicators of
docs/analytics.md read, and drops every other event:

- a user message: its intent, rounded confidence and channel — no text, no entity;
- a bot message: the response it came from, whether a counsellor wrote it (not who) and
  whether it is the satisfaction question — no text;
- an action: its name; a form: its name;
- four slots (``handoff_reason``, ``last_answer``, ``identified``; the person's
  internal file number, replaced by a keyed pseudonym for repeat contacts);
- the session, pause, resume and revert markers.

The conversation id is replaced by a keyed pseudonym too (``bot.analytics.settings.keyed``).
Pure: no Rasa import, tested in ``tests/analytics/test_minimise.py``.
"""

from __future__ import annotations

from typing import Any

from bot.analytics.settings import keyed

KEPT_SLOTS = frozenset({"handoff_reason", "last_answer", "identified"})
PERSON_SLOT = "job_seeker_id"
MARKERS = frozenset({"session_started", "pause", "resume", "rewind", "restart"})
SATISFACTION_MARK = "satisfaction_question"
"""The metadata ``analytics`` of the bot message that asks for satisfaction (actions/satisfaction.py)."""


def conversation_pseudonym(key: bytes, sender_id: str) -> str:
    return keyed(key, "conversation", sender_id)


def minimise(event: dict[str, Any], key: bytes) -> dict[str, Any] | None:
    """The event as the analytics may hold it, or None when no indicator needs it."""
    kind = event.get("event")
    at = event.get("timestamp")
    if not isinstance(at, int | float):
        return None
    kept: dict[str, Any] = {"e": kind, "t": round(float(at), 3)}
    if kind == "user":
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        kept["intent"] = str(intent.get("name") or "")[:80] or None
        confidence = intent.get("confidence")
        kept["conf"] = round(float(confidence), 2) if isinstance(confidence, int | float) else None
        kept["channel"] = str(event.get("input_channel") or "")[:40] or None
        return kept
    if kind == "bot":
        metadata = event.get("metadata") or {}
        if metadata.get("counsellor"):
            kept["counsellor"] = True
            return kept
        utter = metadata.get("utter_action")
        kept["u"] = str(utter)[:80] if utter else None
        if metadata.get("analytics") == SATISFACTION_MARK:
            kept["sat"] = True
        return kept
    if kind == "action":
        kept["name"] = str(event.get("name") or "")[:80]
        return kept
    if kind == "active_loop":
        name = event.get("name")
        kept["name"] = str(name)[:80] if name else None
        return kept
    if kind == "slot":
        name, value = event.get("name"), event.get("value")
        if name == PERSON_SLOT:
            if value in (None, ""):
                return None
            return {**kept, "name": "person", "value": keyed(key, "person", str(value))}
        if name not in KEPT_SLOTS:
            return None
        if name == "identified":
            value = bool(value)
        elif value is not None:
            value = str(value)[:60]
        return {**kept, "name": name, "value": value}
    if kind in MARKERS:
        return kept
    return None
