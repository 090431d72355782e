"""Never stuck, and « pourquoi ? » from the file (issue 20): the actions in process against the real backend.

Two misunderstandings in a row and the third message is not met with the same clarifying question: the bot
says it does not understand and hands over to a counsellor. A bare « pourquoi ? » after « pourquoi si tard ? »
goes deeper into the waiting periods of the file instead of starting the amount's calculation again. Several
answers in one turn are dated once, at the end. The figures are the backend's, never written here.
"""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import date_once
from tests.unit import test_actions_in_process as in_process
from tests.unit.test_actions_in_process import run, said, slots_set, tracker

# The in-process backend and action executor of tests/unit/test_actions_in_process.py.
backend_app = in_process.backend_app
backend = in_process.backend
executor = in_process.executor

pytestmark = pytest.mark.unit

JULIEN = {"identifier": "2345678B", "birth_date": "03/09/1995"}  # first payment: deferrals and waiting period


def misunderstood(text: str, intent: str, answer: str) -> list[dict]:
    """A message and the bot's answer that did not understand it (as Rasa records them)."""
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.3}, "entities": []}
    return [
        {"event": "user", "text": text, "parse_data": parse},
        {"event": "action", "name": "action_two_stage_fallback"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": answer}},
        {"event": "action", "name": "action_listen"},
    ]


async def test_after_two_misunderstandings_in_a_row_a_counsellor_not_the_same_question(backend, executor) -> None:
    sender = "unit-never-stuck"
    earlier = misunderstood("zxqw", "nlu_fallback", "utter_clarify") + misunderstood(
        "mlkjh poiu", "out_of_scope", "utter_ask_rephrase"
    )
    state = tracker(sender, "fghfgh jjj", "nlu_fallback", ranking=[("nlu_fallback", 0.3)], events=earlier)
    result = await run(executor, "action_default_ask_affirmation", state)
    answer = said(result)
    assert "utter_clarify" not in answer
    assert answer[0] == "utter_not_understood" and "utter_handoff_live" in answer
    tickets = (await backend.request("GET", "/v1/handoff-tickets"))["tickets"]
    assert [t["reason"] for t in tickets if t["conversation_id"] == sender] == ["repeated_misunderstanding"]


async def test_one_misunderstanding_still_gets_the_clarifying_question(backend, executor) -> None:
    earlier = misunderstood("zxqw", "nlu_fallback", "utter_clarify")
    state = tracker("unit-once", "et le virement alors", "nlu_fallback", ranking=[("ask_payment_date", 0.3)])
    state["events"] = [*earlier, *state["events"]]
    result = await run(executor, "action_default_ask_affirmation", state)
    assert said(result) == ["utter_clarify"]


async def test_a_message_understood_in_between_starts_the_count_again(backend, executor) -> None:
    understood = [
        {"event": "user", "text": "bonjour", "parse_data": {"intent": {"name": "greet", "confidence": 0.99}}},
        {"event": "bot", "text": "Bonjour", "metadata": {"utter_action": "utter_greet"}},
    ]
    earlier = misunderstood("zxqw", "nlu_fallback", "utter_clarify") + understood
    earlier += misunderstood("mlkjh", "nlu_fallback", "utter_clarify")
    state = tracker("unit-in-between", "fghfgh", "nlu_fallback", ranking=[("nlu_fallback", 0.3)], events=earlier)
    assert said(await run(executor, "action_default_ask_affirmation", state)) == ["utter_clarify"]


async def identified_julien(executor, sender: str) -> dict:
    question = tracker(sender, "quand vais-je recevoir mon premier paiement ?", "ask_payment_date")
    state = tracker(
        sender,
        JULIEN["birth_date"],
        "inform",
        slots={"identifier": JULIEN["identifier"], "birth_date": JULIEN["birth_date"], "requested_slot": "birth_date"},
        events=[question["events"][-1], {"event": "active_loop", "name": "identification_form"}],
        active_loop="identification_form",
    )
    state["events"].append({"event": "slot", "name": "birth_date", "value": JULIEN["birth_date"]})
    return slots_set(await run(executor, "validate_identification_form", state))


async def test_a_bare_why_after_why_so_late_goes_deeper_into_the_delay(backend, executor) -> None:
    sender = "unit-why-late"
    slots = {**await identified_julien(executor, sender), "last_answer": "payment_date"}
    first = tracker(sender, "Pourquoi si tard ?", "ask_why", slots=slots)
    said_first = "\n".join(said(await run(executor, "action_answer_followup", first)))
    person, token = int(slots["job_seeker_id"]), slots["access_token"]
    steps = (await backend.allowance(person, token, sender))["explanation"]
    steps += (await backend.personal(person, token, sender, "rights"))["explanation"]
    waiting = {s["label"]: s for s in steps if s["label"] in ("Différé congés payés", "Délai d'attente")}.values()
    assert len(waiting) == 2  # the file of this persona holds both
    for step in waiting:  # the file's own sentences, with its figures and dates
        assert f"- {step['label']} : {step['detail']}" in said_first

    again = tracker(sender, "pourquoi ?", "ask_why", slots=slots, events=first["events"])
    said_again = "\n".join(said(await run(executor, "action_answer_followup", again)))
    assert said_again.startswith("Dans le détail")
    assert "Différé congés payés" not in said_again and "Délai d'attente" not in said_again  # not said twice


def test_two_answers_in_one_turn_are_dated_once_at_the_end() -> None:
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="Votre paiement : 700,00 € net.\nChiffres de votre dossier au 1er novembre.")
    dispatcher.utter_message(text="Votre actualisation a bien été enregistrée.")
    date_once(dispatcher)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0] == "Votre paiement : 700,00 € net."
    assert texts[-1] == "Votre actualisation a bien été enregistrée.\nChiffres de votre dossier au 1er novembre."


def test_a_date_already_last_is_left_where_it_is() -> None:
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="Vos droits courent jusqu'au 25 décembre.")
    dispatcher.utter_message(text="Votre paiement : 700,00 € net.\nChiffres de votre dossier au 1er novembre.")
    before = [dict(m) for m in dispatcher.messages]
    date_once(dispatcher)
    assert dispatcher.messages == before


async def test_why_so_late_asked_first_gets_the_date_and_the_waiting_periods_of_the_file(backend, executor) -> None:
    sender = "unit-why-first"
    slots = await identified_julien(executor, sender)
    state = tracker(sender, "pourquoi mon premier paiement arrive si tard ?", "ask_payment_date", slots=slots)
    answer = "\n".join(said(await run(executor, "action_answer_payment_date", state)))
    person, token = int(slots["job_seeker_id"]), slots["access_token"]
    steps = (await backend.personal(person, token, sender, "rights"))["explanation"]
    steps += (await backend.allowance(person, token, sender))["explanation"]
    delay = {s["label"]: s for s in steps if s["label"] == "Délai d'attente"}.values()
    assert delay and all(f"- {s['label']} : {s['detail']}" in answer for s in delay)
    lines = answer.splitlines()
    assert answer.count("Chiffres de votre dossier au") == 1  # dated once, after the date and the reasons
    dated = next(i for i, line in enumerate(lines) if line.startswith("Chiffres de votre dossier au"))
    assert max(i for i, line in enumerate(lines) if line.startswith("- ")) < dated
    assert lines.index("Voici ce que dit votre dossier :") > 0  # after the payment's own answer


async def test_why_so_late_after_payments_already_made_is_not_about_waiting_periods(backend, executor) -> None:
    sender = "unit-why-late-camille"
    question = tracker(sender, "pourquoi mon paiement arrive si tard ?", "ask_payment_date")
    slots = await in_process.identify(executor, sender, question)
    state = tracker(sender, "pourquoi mon paiement arrive si tard ?", "ask_payment_date", slots=slots)
    answer = "\n".join(said(await run(executor, "action_answer_payment_date", state)))
    assert "Délai d'attente" not in answer and "Différé" not in answer
