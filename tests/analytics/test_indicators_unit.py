"""The indicator formulas on hand-made conversations (no server): minimise, facts, repeats, rates, Wilson, value."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from bot.analytics.facts import conversation_facts, mark_repeats
from bot.analytics.indicators import Conversation, answer_quality, compute, wilson
from bot.analytics.minimise import SATISFACTION_MARK, minimise
from bot.analytics.value import estimate, load_parameters

pytestmark = pytest.mark.unit

KEY = b"k" * 32
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc).timestamp()


def user(at, intent, text="un message", channel="socketio"):
    return {
        "event": "user",
        "timestamp": T0 + at,
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": 0.93}, "entities": [{"value": text}]},
        "input_channel": channel,
        "metadata": {"source": "abc"},
    }


def bot(at, text, **metadata):
    return {"event": "bot", "timestamp": T0 + at, "text": text, "data": {}, "metadata": metadata}


def action(at, name):
    return {"event": "action", "timestamp": T0 + at, "name": name}


def slot(at, name, value):
    return {"event": "slot", "timestamp": T0 + at, "name": name, "value": value}


def minimised(events):
    return [kept for kept in (minimise(event, KEY) for event in events) if kept]


def test_minimise_keeps_no_text_no_identifier():
    raw = [
        user(0, "ask_allowance_amount", "mon identifiant 1234567A né le 12/04/1988"),
        slot(1, "identifier", "1234567A"),
        slot(1, "birth_date", "1988-04-12"),
        slot(1, "access_token", "eyJhbGciOi"),
        slot(1, "job_seeker_id", 42),
        bot(2, "Camille, votre allocation est de 1 234,56 €."),
    ]
    kept = minimised(raw)
    flat = repr(kept)
    for secret in ("1234567A", "1988", "eyJ", "Camille", "1 234,56", "abc", "42"):
        assert secret not in flat
    assert [event["e"] for event in kept] == ["user", "slot", "bot"]
    assert kept[0]["intent"] == "ask_allowance_amount" and kept[0]["channel"] == "socketio"
    assert kept[1]["name"] == "person" and len(kept[1]["value"]) == 32


def answered_amount(start, channel="socketio", person=42, satisfaction=None):
    events = [
        {"event": "session_started", "timestamp": T0 + start},
        user(start + 1, "ask_allowance_amount", channel=channel),
        action(start + 2, "identification_form"),
        {"event": "active_loop", "timestamp": T0 + start + 2, "name": "identification_form"},
        bot(start + 2, "Quel est votre identifiant ?"),
        user(start + 10, "inform", channel=channel),
        slot(start + 11, "identified", True),
        slot(start + 11, "job_seeker_id", person),
        {"event": "active_loop", "timestamp": T0 + start + 11, "name": None},
        bot(start + 12, "Votre allocation est de 1 234,56 €."),
        slot(start + 12, "last_answer", "allowance_amount"),
        bot(start + 12, "Cette réponse vous a-t-elle aidé ?", analytics=SATISFACTION_MARK),
    ]
    if satisfaction:
        events.append(user(start + 20, satisfaction, channel=channel))
        events.append(bot(start + 21, "Que voulez-vous savoir ?"))
    return events


def test_an_answered_money_question_with_a_satisfied_answer():
    [fact] = conversation_facts(minimised(answered_amount(0, satisfaction="affirm")))
    assert [(n.intent, n.answered) for n in fact.needs] == [("ask_allowance_amount", True)]
    assert fact.satisfaction_asked and fact.satisfaction == "yes"
    assert not fact.abandoned and fact.contained and fact.identified and fact.messages == 3


def test_leaving_after_the_satisfaction_question_is_not_abandoning_but_leaving_the_form_is():
    [fact] = conversation_facts(minimised(answered_amount(0)))
    assert fact.satisfaction_asked and fact.satisfaction is None and not fact.abandoned
    [left] = conversation_facts(minimised(answered_amount(0)[:5]))
    assert left.abandoned and not left.needs[0].answered


def test_a_real_question_after_the_satisfaction_question_is_no_answer_to_it():
    events = answered_amount(0) + [user(30, "ask_payment_date"), slot(31, "last_answer", "payment_date")]
    [fact] = conversation_facts(minimised(events))
    assert fact.satisfaction is None and [n.answered for n in fact.needs] == [True, True]


def test_handover_reason_and_time_to_a_counsellor():
    events = [
        user(0, "ask_human"),
        action(1, "action_handoff"),
        slot(1, "handoff_reason", "human_requested"),
        {"event": "pause", "timestamp": T0 + 1},
        bot(95, "Bonjour, je suis Claire, conseillère.", counsellor="c.martin"),
    ]
    [fact] = conversation_facts(minimised(events))
    assert fact.handover_reason == "human_requested" and fact.counsellor_seconds == 94.0
    assert not fact.contained and not fact.abandoned and "c.martin" not in repr(minimised(events))


def test_clarification_then_fallback_counted():
    """As Rasa records them: the two-stage fallback is the only action; what it asked is in its bot messages."""
    events = [
        user(0, "nlu_fallback"),
        action(1, "action_two_stage_fallback"),
        bot(1, "Votre question porte sur :", utter_action="utter_clarify"),
        user(5, "out_of_scope"),
        action(6, "action_two_stage_fallback"),
        bot(6, "Pouvez-vous reformuler ?", utter_action="utter_ask_rephrase"),
        user(9, "nlu_fallback"),
        action(10, "action_two_stage_fallback"),
        bot(10, "Je n'ai pas compris votre demande.", utter_action="utter_not_understood"),
    ]
    [fact] = conversation_facts(minimised(events))
    assert fact.clarifications == 1 and fact.fallbacks == 1


def test_a_fallback_of_the_rule_policy_is_counted_once():
    events = [
        user(0, "inform"),
        action(1, "action_default_fallback"),
        bot(1, "Je n'ai pas compris votre demande.", utter_action="utter_not_understood"),
        bot(1, "Un conseiller peut vous aider.", utter_action="utter_offer_human"),
    ]
    [fact] = conversation_facts(minimised(events))
    assert fact.fallbacks == 1 and fact.clarifications == 0


def test_repeat_contact_within_24_hours_on_the_same_need_breaks_containment():
    first = conversation_facts(minimised(answered_amount(0)))
    second = conversation_facts(minimised(answered_amount(6 * 3600)))
    other_person = conversation_facts(minimised(answered_amount(7 * 3600, person=43)))
    late = conversation_facts(minimised(answered_amount(40 * 3600)))
    facts = first + second + other_person + late
    mark_repeats(facts)
    assert first[0].needs[0].repeated and not first[0].contained
    assert second[0].is_repeat and second[0].contained
    assert not other_person[0].is_repeat and not late[0].is_repeat and second[0].contained


def row(**fields):
    base = {
        "hour_start": datetime(2026, 11, 2, 9),
        "channel": "socketio",
        "messages": 3,
        "needs": ("ask_payment_date",),
    }
    return Conversation(**{**base, **fields})


def test_rates_and_slices():
    rows = [
        row(answered=frozenset({"ask_payment_date"}), satisfaction_asked=True, satisfaction="yes", linkable=True),
        row(handover_reason="human_requested", needs=("ask_human",), counsellor_seconds=60.0, channel="twilio_sms"),
        row(abandoned=True, repeated=frozenset({"ask_payment_date"}), linkable=True),
        row(needs=(), fallbacks=1, clarifications=1, hour_start=datetime(2026, 11, 3, 14)),
    ]
    ind = compute(rows, date(2026, 11, 1), date(2026, 11, 30), repeats=1)
    assert ind.overall.conversations == 4
    assert (ind.overall.containment.hits, ind.overall.containment.of) == (1, 3)  # abandoned: not contained
    assert ind.overall.handover.value == 0.25 and ind.overall.abandonment.value == 0.25
    assert ind.overall.fallback.value == 0.25 and ind.overall.satisfaction.value == 1.0
    assert [(e.reason, e.count) for e in ind.escalations] == [("human_requested", 1)]
    assert ind.overall.median_counsellor_seconds == 60.0
    assert (ind.repeat_contacts.hits, ind.repeat_contacts.of) == (1, 2) and ind.linkable.value == 0.5
    payment = next(s for s in ind.by_need if s.label == "ask_payment_date")
    assert payment.conversations == 2 and payment.share.value == 0.5 and payment.containment.value == 0.5
    assert [s.label for s in ind.by_channel] == ["SMS", "site web"]
    assert [s.label for s in ind.by_day] == ["2026-11-02", "2026-11-03"]
    assert ind.contained_allowance == 1


def test_wilson_interval_known_values():
    low, high = wilson(8, 10)
    assert round(low, 4) == 0.4902 and round(high, 4) == 0.9433
    assert wilson(0, 0) is None
    low, high = wilson(0, 5)
    assert low == 0.0 and 0.43 < high < 0.44
    [quality] = answer_quality(
        [("ask_payment_date", "right", "correct")] * 8 + [("ask_payment_date", "wrong", "x")] * 2
    )
    assert (quality.right, quality.reviewed, quality.reasons) == (8, 10, {"x": 2})


def test_value_arithmetic():
    parameters = load_parameters()
    value = estimate(100, 200, 1000, parameters)
    phone = parameters.share_by_phone * parameters.counted_share * 100
    assert value.calls_avoided == phone.quantize(Decimal("0.1"))
    assert value.value_eur == (
        value.calls_avoided * parameters.phone_call_eur + value.emails_avoided * parameters.email_eur
    )
    assert value.cpu_seconds == (parameters.cpu_ms_per_message * 1000 / 1000).quantize(Decimal("0.01"))


def test_an_erased_conversation_keeps_no_pseudonym():
    events = answered_amount(0) + [user(40, "request_data_deletion"), action(41, "action_erase_conversation")]
    [fact] = conversation_facts(minimised(events), conversation="c" * 32)
    assert fact.person_key is None and fact.needs[0].answered
