"""The actions in process, as the action server runs them, against the real backend application.

No server: rasa_sdk's executor runs each action on a tracker as Rasa would send
it, and the one backend client reaches the backend's FastAPI application through
``httpx.ASGITransport``, on a seeded SQLite file of its own. The figures in the
answers are compared with what the same backend says, never written here.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import httpx
import pytest
import yaml

from actions import handoff
from actions.backend_client import BackendClient, use_backend
from bot import clock
from bot.backend.api.app import create_app
from bot.backend.db import session_scope
from bot.backend.schema import upgrade
from bot.backend.seed import seed_demo
from bot.common.config import PROJECT_ROOT, Settings
from bot.common.needs import LABELS
from bot.console.presenting import ticket_row
from bot.formatting import format_eur
from bot.handoff import outbox
from tests.servers import TEST_TODAY

pytestmark = pytest.mark.unit

SERVICE_TOKEN = "unit-service-token-0123456789"
CAMILLE = {"identifier": "1234567A", "birth_date": "12/04/1988"}
LAURA = {"identifier": "8901234H", "birth_date": "14/12/1998"}  # payslip_awaited: her payslip holds a payment
DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
BASE_URL = "http://backend.in-process"


@pytest.fixture(scope="module")
def backend_app(tmp_path_factory: pytest.TempPathFactory):
    """The backend application on a seeded database of its own, the day pinned as in the other tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('backend') / 'backend.db'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ALLOCBOT_TODAY", TEST_TODAY)
        env.setenv("ALLOCBOT_COUNSELLOR_HOURS", "lun-dim 00:00-24:00")
        upgrade(url)
        with session_scope(url) as session:
            seed_demo(session, clock.today())
        settings = Settings(
            database_url=url,
            backend_url=BASE_URL,
            backend_service_token=SERVICE_TOKEN,
            access_token_secret="unit-access-secret-0123456789",
            access_token_ttl_seconds=900,
            backend_timeout_seconds=5,
            today_override=TEST_TODAY,
        )
        yield create_app(settings)


@pytest.fixture()
def backend(backend_app) -> BackendClient:
    client = BackendClient(BASE_URL, SERVICE_TOKEN, 5, transport=httpx.ASGITransport(app=backend_app))
    use_backend(client)
    yield client
    use_backend(None)


@pytest.fixture(scope="module")
def executor():
    from rasa_sdk.executor import ActionExecutor

    registry = ActionExecutor()
    logging.getLogger("rasa_sdk.executor").disabled = True
    try:
        registry.register_package("actions")
    finally:
        logging.getLogger("rasa_sdk.executor").disabled = False
    return registry


def tracker(
    sender: str,
    text: str,
    intent: str,
    slots: dict[str, Any] | None = None,
    ranking: list[tuple[str, float]] | None = None,
    events: list[dict] | None = None,
    active_loop: str | None = None,
) -> dict:
    """A tracker as Rasa sends it to the action server, after the message ``text``."""
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": (ranking or [(intent, 0.9)])[0][1]},
        "intent_ranking": [{"name": name, "confidence": confidence} for name, confidence in ranking or [(intent, 0.9)]],
        "entities": [],
    }
    user = {"event": "user", "text": text, "parse_data": message, "input_channel": "rest"}
    return {
        "sender_id": sender,
        "slots": {"identified": False, "identification_failures": 0.0, **(slots or {})},
        "latest_message": message,
        "events": [*(events or []), user],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    }


async def run(executor, action: str, state: dict) -> dict:
    result = await executor.run(
        {"next_action": action, "sender_id": state["sender_id"], "tracker": state, "domain": DOMAIN, "version": "3.6"}
    )
    return result


def slots_set(result: dict) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in result["events"] if event["event"] == "slot"}


def said(result: dict) -> list[str]:
    """What the person is told: response names, and the texts the actions write themselves."""
    return [message.get("response") or message.get("text") for message in result["responses"]]


async def identify(executor, sender: str, question: dict, person: dict = CAMILLE) -> dict[str, Any]:
    """The identification form's last answer, validated through the backend; the slots it sets."""
    state = tracker(
        sender,
        person["birth_date"],
        "inform",
        slots={**question["slots"], "identifier": person["identifier"], "requested_slot": "birth_date"},
        events=[question["events"][-1], {"event": "active_loop", "name": "identification_form"}],
        active_loop="identification_form",
    )
    # Rasa appends the slot the form extracted from the message, which the validation then checks.
    state["slots"]["birth_date"] = person["birth_date"]
    state["events"].append({"event": "slot", "name": "birth_date", "value": person["birth_date"]})
    return slots_set(await run(executor, "validate_identification_form", state))


async def test_identification_then_the_waiting_question_answered_with_the_backend_s_figures(backend, executor) -> None:
    sender = "unit-amount"
    question = tracker(sender, "combien vais-je toucher en décembre ?", "ask_allowance_amount", {"month": "2026-12"})
    slots = await identify(executor, sender, question)
    assert slots["identified"] is True and slots["first_name"] == "Camille"
    assert slots["identifier"] != CAMILLE["identifier"]  # replaced by a marker once checked

    state = tracker(
        sender,
        CAMILLE["birth_date"],
        "inform",
        slots={**slots, "month": "2026-12"},
        events=[question["events"][-1], {"event": "active_loop", "name": "identification_form"}],
    )
    result = await run(executor, "action_resume_after_identification", state)

    view = await backend.allowance(int(slots["job_seeker_id"]), slots["access_token"], sender, "2026-12")
    monthly = view["monthly"]
    answer = said(result)
    assert answer[0] == "utter_identified"
    assert "décembre 2026" in answer[1]
    assert f"{format_eur(Decimal(monthly['net']))} net" in answer[1]
    assert f"{format_eur(Decimal(monthly['gross']))} brut" in answer[1]
    assert slots_set(result)["last_month"] == "2026-12"


async def test_a_personal_question_before_identification_starts_the_form(backend, executor) -> None:
    result = await run(
        executor, "action_answer_payment_date", tracker("unit-first", "qd suis-je payé", "ask_payment_date")
    )
    assert result["responses"] == []
    assert {"event": "followup", "name": "identification_form"} in [
        {"event": e["event"], "name": e.get("name")} for e in result["events"]
    ]


async def test_a_token_the_backend_refuses_asks_to_identify_again(backend, executor) -> None:
    sender = "unit-expired"
    question = tracker(sender, "quand suis-je payé", "ask_payment_date")
    slots = await identify(executor, sender, question)
    forged = {**slots, "access_token": slots["access_token"][:-4] + "AAAA"}
    result = await run(
        executor, "action_answer_payment_date", tracker(sender, "et mon paiement ?", "ask_payment_date", forged)
    )
    assert said(result) == ["utter_identification_expired"]
    assert slots_set(result)["identified"] is False and slots_set(result)["access_token"] is None
    assert result["events"][-1]["event"] == "followup"


async def test_a_ticket_the_backend_could_not_take_is_stored_once_it_is_back(
    backend_app, backend, executor, monkeypatch
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("backend arrêté", request=request)

    monkeypatch.setattr(outbox, "RETRY_EVERY_SECONDS", 0.01)
    use_backend(BackendClient(BASE_URL, SERVICE_TOKEN, 1, transport=httpx.MockTransport(refuse)))
    sender = "unit-outage"
    result = await run(executor, "action_handoff", tracker(sender, "je veux parler à un conseiller", "ask_human"))
    assert said(result) == ["utter_handoff_unavailable"]

    await asyncio.sleep(0.1)  # swept while the backend is still down: kept
    assert len(handoff._outbox) == 1

    use_backend(backend)  # the backend is back
    for _ in range(300):
        if not len(handoff._outbox):
            break
        await asyncio.sleep(0.1)
    tickets = (await backend.request("GET", "/v1/handoff-tickets"))["tickets"]
    assert [t["reason"] for t in tickets if t["conversation_id"] == sender] == ["human_requested"]
    assert len(handoff._outbox) == 0


async def test_the_clarifying_question_offers_the_closest_needs_in_the_catalogue_s_words(backend, executor) -> None:
    ranking = [("ask_payment_date", 0.31), ("greet", 0.3), ("report_missing_payment", 0.29), ("ask_overpayment", 0.1)]
    state = tracker("unit-clarify", "et le virement alors", "ask_payment_date", ranking=ranking)
    result = await run(executor, "action_default_ask_affirmation", state)
    (message,) = result["responses"]
    assert message["response"] == "utter_clarify"
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        (LABELS["ask_payment_date"], "/ask_payment_date"),
        (LABELS["report_missing_payment"], "/report_missing_payment"),
        ("Autre chose", "/out_of_scope"),
        ("Parler à un conseiller", "/ask_human"),
    ]


async def test_the_clarifying_question_offers_a_counsellor_once_even_when_the_classifier_guessed_one(
    backend, executor
) -> None:
    ranking = [("ask_human", 0.29), ("ask_payment_date", 0.28), ("greet", 0.2), ("ask_overpayment", 0.1)]
    state = tracker("unit-clarify-human", "euh quelqu'un", "ask_human", ranking=ranking)
    (message,) = (await run(executor, "action_default_ask_affirmation", state))["responses"]
    assert [b["payload"] for b in message["buttons"]] == [
        "/ask_payment_date",
        "/ask_overpayment",
        "/out_of_scope",
        "/ask_human",
    ]


async def test_a_handover_names_the_need_as_the_catalogue_and_the_console_do(backend, executor) -> None:
    sender = "unit-need"
    earlier = tracker(sender, "pourquoi j'ai un trop perçu", "ask_overpayment")["events"]
    result = await run(
        executor, "action_handoff", tracker(sender, "je veux un conseiller", "ask_human", events=earlier)
    )
    assert said(result) == ["utter_handoff_live"]
    (ticket,) = [
        t for t in (await backend.request("GET", "/v1/handoff-tickets"))["tickets"] if t["conversation_id"] == sender
    ]
    assert ticket["need"] == "ask_overpayment"
    assert f"Besoin détecté : {LABELS['ask_overpayment'].lower()}." in ticket["summary"]
    assert ticket_row(ticket, datetime.now(timezone.utc))["need_label"] == LABELS["ask_overpayment"]


# Issue 20, awaited documents.
async def test_the_documents_awaited_are_the_backend_s_with_the_payment_they_hold(backend, executor) -> None:
    sender = "unit-documents"
    question = tracker(sender, "vs attendez quel papier de moi", "ask_awaited_documents")
    slots = await identify(executor, sender, question, LAURA)
    assert slots["identified"] is True and slots["first_name"] == "Laura"
    result = await run(
        executor,
        "action_answer_awaited_documents",
        tracker(sender, "vs attendez quel papier de moi", "ask_awaited_documents", slots),
    )
    view = await backend.personal(int(slots["job_seeker_id"]), slots["access_token"], sender, "documents/awaited")
    assert view["documents"], "Laura's payslip is awaited (persona payslip_awaited)"
    text = said(result)[0]
    assert text.startswith(view["summary"])
    for document in view["documents"]:
        assert document["message"] in text
        if document["held_payment"]:
            assert "bloqué" in document["message"]
    assert "rubrique « Mes échanges »" in text and "conseiller" in text
    assert slots_set(result)["last_answer"] == "awaited_documents"


async def test_a_file_that_awaits_no_document_is_told_so_plainly(backend, executor) -> None:
    sender = "unit-no-documents"
    question = tracker(sender, "il manque un papier a mon dossier ?", "ask_awaited_documents")
    slots = await identify(executor, sender, question)
    result = await run(
        executor,
        "action_answer_awaited_documents",
        tracker(sender, "il manque un papier a mon dossier ?", "ask_awaited_documents", slots),
    )
    view = await backend.personal(int(slots["job_seeker_id"]), slots["access_token"], sender, "documents/awaited")
    assert view["documents"] == []
    text = said(result)[0]
    assert text.startswith("Nous n'attendons aucun document de votre part")
    assert "Mes échanges" not in text and "bloqué" not in text


async def test_the_documents_question_before_identification_starts_the_form(backend, executor) -> None:
    result = await run(
        executor,
        "action_answer_awaited_documents",
        tracker("unit-documents-first", "kel doc je doi envoyer", "ask_awaited_documents"),
    )
    assert result["responses"] == []
    assert {"event": "followup", "name": "identification_form"} in [
        {"event": e["event"], "name": e.get("name")} for e in result["events"]
    ]
