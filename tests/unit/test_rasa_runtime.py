"""The Rasa runtime module: the version check, each patch against Rasa's unpatched behaviour, the env rules.

Each patch keeps what it replaced (``rasa_runtime.unpatched``), so the same input
goes through Rasa's own code and through ours in the same process.
"""

from __future__ import annotations

import io
import logging
import re
import socket
from argparse import Namespace
from importlib.metadata import version

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SessionStarted, SlotSet, UserUttered

from bot import rasa_runtime
from bot.common.config import PROJECT_ROOT
from tests.robustness.test_action_result_schema import INVALID, VALID

pytestmark = pytest.mark.unit

IBAN = "FR7630006000011234567890189"


@pytest.fixture(scope="module", autouse=True)
def patched() -> None:
    rasa_runtime.install_patches()


# --- the version ------------------------------------------------------------------------------------------------


def test_the_supported_rasa_is_the_one_installed_and_locked() -> None:
    assert rasa_runtime.SUPPORTED_RASA == version("rasa")
    assert f'"rasa=={rasa_runtime.SUPPORTED_RASA}"' in (PROJECT_ROOT / "pyproject.toml").read_text()


def test_another_rasa_is_refused_before_anything_is_patched(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = []
    for name in (
        "install_cached_action_validation",
        "install_event_type_lookup",
        "install_unreachable_action_answer",
        "install_store_outage_answer",
        "install_admission_gate",
        "install_waiting_answer",
    ):
        monkeypatch.setattr(rasa_runtime, name, lambda name=name: installed.append(name))
    with pytest.raises(rasa_runtime.UnsupportedRasa, match=r"Rasa 3\.6\.21.*Rasa 3\.7\.0 est installé"):
        rasa_runtime.install_patches("3.7.0")
    assert installed == []
    rasa_runtime.install_patches(rasa_runtime.SUPPORTED_RASA)
    assert len(installed) == 6


# --- 1. the action server's answers, checked with validators built once ------------------------------------------


def verdict(validate, answer) -> tuple:
    """True, or the exception's type and Rasa's hint (the first line may name the event or the whole answer)."""
    try:
        return (validate(RemoteAction("action_x", None), answer),)
    except Exception as error:
        return (type(error).__name__, str(getattr(error, "message", error)).partition(". ")[2])


@pytest.mark.parametrize("answer", VALID + INVALID)
def test_answers_get_the_same_verdict_as_from_rasa_s_own_check(answer) -> None:
    ours = RemoteAction._validate_action_result
    rasa = rasa_runtime.unpatched(ours)
    assert ours is not rasa
    assert verdict(ours, answer) == verdict(rasa, answer)


# --- 2. event classes from a table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["slot", "user", "action", "session_started", "nonsense", "", "SLOT"])
def test_event_names_resolve_as_rasa_resolves_them(name: str) -> None:
    ours = Event.resolve_by_type
    rasa = rasa_runtime.unpatched(ours)
    assert ours is not rasa
    for default in (None, SlotSet):
        for _ in range(2):  # the second time from the table
            try:
                expected = rasa(name, default)
            except ValueError:
                with pytest.raises(ValueError):
                    ours(name, default)
            else:
                assert ours(name, default) is expected
    assert {ours("user"), ours("session_started")} == {UserUttered, SessionStarted}


# --- 3. an unreachable action server: said in French instead of silence ------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens there


async def test_an_unreachable_action_server_gets_an_answer_instead_of_silence() -> None:
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import EndpointConfig

    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    action = RemoteAction("action_answer_payment_date", EndpointConfig(f"http://127.0.0.1:{closed_port()}/webhook"))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    arguments = (CollectingOutputChannel(), nlg, DialogueStateTracker("runtime-test", domain.slots), domain)

    with pytest.raises(RasaException):  # Rasa's own: an error, and the person would be told nothing
        await rasa_runtime.unpatched(RemoteAction.run)(action, *arguments)
    events = await RemoteAction.run(action, *arguments)
    assert all(isinstance(event, BotUttered) for event in events)
    expected = [domain.responses[name][0]["text"] for name in rasa_runtime.SAY_INSTEAD]
    assert [event.text for event in events] == expected
    assert "3949" in expected[1]


async def test_a_message_that_fails_as_a_whole_gets_a_french_answer_instead_of_silence() -> None:
    """The conversation store down (PostgreSQL restarting): Rasa raises out of handle_message, we answer."""
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from sqlalchemy.exc import OperationalError

    async def store_down(_agent, _message):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    channel = CollectingOutputChannel()
    message = UserMessage("combien vais-je toucher ?", channel, "runtime-outage")
    with pytest.raises(OperationalError):  # what Rasa does: the person is told nothing
        await store_down(None, message)
    assert await rasa_runtime.outage_answering(store_down)(None, message) is None
    assert [sent["text"] for sent in channel.messages] == [rasa_runtime.OUTAGE_TEXT]
    assert "3949" in rasa_runtime.OUTAGE_TEXT and "renvoyer" in rasa_runtime.OUTAGE_TEXT
    assert getattr(Agent.handle_message, "_allocbot_wrapped", False)


async def test_an_unreadable_conversation_is_not_mistaken_for_a_new_one() -> None:
    """Rasa's FailSafeTrackerStore answers None (a new conversation) to any store error: not to an outage."""
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    from bot.privacy.tracker_store import ConversationStoreUnavailable

    class Down(InMemoryTrackerStore):
        def __init__(self, error: Exception) -> None:
            super().__init__(None)
            self.error = error

        async def retrieve(self, sender_id):
            raise self.error

    outage = FailSafeTrackerStore(Down(ConversationStoreUnavailable("OperationalError")))
    assert await rasa_runtime.unpatched(FailSafeTrackerStore.retrieve)(outage, "conv") is None  # Rasa's: "new"
    with pytest.raises(ConversationStoreUnavailable):
        await outage.retrieve("conv")
    other = FailSafeTrackerStore(Down(ValueError("another error")))
    assert await other.retrieve("conv") is None  # any other error: as Rasa does


# --- 3d. a message to a conversation a counsellor holds ---------------------------------------------------------------


def paused_processor(events: list) -> tuple:
    """A MessageProcessor on allocbot's domain (no model: the loop only needs the domain and the NLG) and a
    tracker whose last events are ``events``."""
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    processor = MessageProcessor.__new__(MessageProcessor)  # no model to load: the paused branch predicts nothing
    processor.domain = domain
    processor.nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    tracker = DialogueStateTracker.from_events("runtime-waiting", events, domain.slots)
    return processor, tracker


def waiting_turn(reason: str = "human_requested", before: list | None = None, text: str = "vous êtes là ?"):
    from rasa.shared.core.events import BotUttered, ConversationPaused

    handed_over = BotUttered("Un conseiller va vous répondre ici même", metadata={"utter_action": "utter_handoff_live"})
    return [
        UserUttered("je veux un conseiller"),
        handed_over,
        SlotSet("handoff_reason", reason),
        ConversationPaused(),
        *(before or []),
        UserUttered(text),
    ]


async def run_loop(loop, events: list) -> tuple[list[str], object]:
    from rasa.core.channels.channel import CollectingOutputChannel

    processor, tracker = paused_processor(events)
    channel = CollectingOutputChannel()
    await loop(processor, channel, tracker)
    return [m.get("text") for m in channel.messages], tracker


async def test_a_message_while_a_counsellor_holds_the_conversation_gets_an_answer_instead_of_silence() -> None:
    from rasa.core.processor import MessageProcessor

    original = rasa_runtime.unpatched(MessageProcessor._run_prediction_loop)
    said, tracker = await run_loop(original, waiting_turn())
    assert said == []  # Rasa's own: a paused conversation predicts nothing, the person is told nothing
    said, tracker = await run_loop(MessageProcessor._run_prediction_loop, waiting_turn())
    assert len(said) == 1 and "conseiller a votre demande" in said[0] and "3949" in said[0]
    assert "3114" not in said[0]
    assert tracker.is_paused()  # still the counsellor's: nothing predicted, no action logged
    assert tracker.events[-1].metadata["utter_action"] == rasa_runtime.WAITING_RESPONSE
    assert tracker.events[-2].text == "vous êtes là ?"  # the message itself is kept for the console


async def test_an_urgent_handover_gives_the_emergency_numbers_again_while_waiting() -> None:
    from rasa.core.processor import MessageProcessor

    said, _ = await run_loop(MessageProcessor._run_prediction_loop, waiting_turn("distress"))
    assert len(said) == 1 and "3114" in said[0] and "115" in said[0] and "priorité" in said[0]


def test_the_waiting_answer_is_said_once_then_after_a_quiet_while_and_never_once_a_counsellor_wrote() -> None:
    import time

    from rasa.shared.core.events import BotUttered

    now = time.time()
    said = BotUttered("Votre message est bien transmis", metadata={"utter_action": rasa_runtime.WAITING_RESPONSE})
    said.timestamp = now - 60
    asked_again = [said, UserUttered("allo ?")]
    assert rasa_runtime.waiting_answer_due(waiting_turn(), now)
    assert not rasa_runtime.waiting_answer_due(waiting_turn(before=asked_again), now)  # a minute later: quiet
    later = now + rasa_runtime.WAITING_REMINDER_SECONDS
    assert rasa_runtime.waiting_answer_due(waiting_turn(before=asked_again), later)  # a quarter of an hour later
    counsellor = BotUttered("Bonjour, je suis Claire, conseillère.", metadata={"counsellor": "c.martin"})
    assert not rasa_runtime.waiting_answer_due(waiting_turn(before=[counsellor]), later)
    assert not rasa_runtime.waiting_answer_due(waiting_turn(text="EXTERNAL: rappel"), now)
    assert not rasa_runtime.waiting_answer_due([UserUttered("bonjour")], now)  # not paused: Rasa's own loop


# --- 4. identifiers out of Rasa's log lines ---------------------------------------------------------------------------


def rasa_log_line(monkeypatch: pytest.MonkeyPatch, redact_logs: bool | None) -> str:
    """What a handler of Rasa's writes for a line that names an IBAN, once the hook ran (None: no hook)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    monkeypatch.setattr(logging.getLogger(), "handlers", [handler])  # Rasa's handlers, as its main leaves them
    if redact_logs is not None:
        rasa_runtime.CommandLine(redact_logs).configure_commandline(Namespace())
    logger = logging.getLogger("rasa.core.channels.channel")
    monkeypatch.setattr(logger, "disabled", False)
    logger.error("Exception when trying to handle message. %s", f"mon RIB {IBAN}")
    return stream.getvalue()


def test_log_lines_are_redacted_in_our_rasa_and_not_in_the_stock_one(monkeypatch: pytest.MonkeyPatch) -> None:
    assert IBAN in rasa_log_line(monkeypatch, None)  # Rasa alone writes it
    assert IBAN in rasa_log_line(monkeypatch, False)  # the benchmark's stock Rasa stays as Rasa is
    line = rasa_log_line(monkeypatch, True)
    assert IBAN not in line and "[IBAN]" in line


# --- the environment rules: the API token, telemetry ------------------------------------------------------------------


@pytest.fixture(scope="module")
def rasa_parser():
    from rasa.__main__ import create_argument_parser

    return create_argument_parser()


def test_the_api_token_reaches_rasa_s_arguments_from_the_environment(rasa_parser) -> None:
    arguments = rasa_parser.parse_args(["run", "--enable-api", "--port", "5005"])
    rasa_runtime.give_api_token(arguments, "jeton-secret")
    assert arguments.auth_token == "jeton-secret"
    shell = rasa_parser.parse_args(["shell"])
    rasa_runtime.give_api_token(shell, "jeton-secret")
    assert not getattr(shell, "auth_token", None)  # no API, no token to give


def test_a_token_on_the_command_line_and_an_api_without_token_are_refused(rasa_parser) -> None:
    visible = rasa_parser.parse_args(["run", "--enable-api", "--auth-token", "dans-ps"])
    with pytest.raises(SystemExit, match="ps"):
        rasa_runtime.give_api_token(visible, "jeton-secret")
    for missing in (None, "", "change-me"):
        with pytest.raises(SystemExit, match=rasa_runtime.TOKEN_VARIABLE):
            rasa_runtime.give_api_token(rasa_parser.parse_args(["run", "--enable-api"]), missing)


def test_rasa_calls_the_hook_with_its_parsed_arguments(rasa_parser, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.plugin import plugin_manager

    monkeypatch.setenv(rasa_runtime.TOKEN_VARIABLE, "jeton-du-hook")
    rasa_runtime.register_hook(redact_logs=False)
    rasa_runtime.register_hook(redact_logs=False)  # once only
    arguments = rasa_parser.parse_args(["run", "--enable-api"])
    assert plugin_manager().hook.configure_commandline(cmdline_arguments=arguments) == []  # no endpoints file
    assert arguments.auth_token == "jeton-du-hook"
    plugin_manager().unregister(name="allocbot")


def test_every_process_started_gets_telemetry_off_whatever_its_caller_says() -> None:
    assert rasa_runtime.environment({"RASA_TELEMETRY_ENABLED": "true", "X": "1"}) == {
        "RASA_TELEMETRY_ENABLED": "false",
        "X": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    # One math thread unless the caller says otherwise (an operator may give a process more).
    assert rasa_runtime.environment({"OPENBLAS_NUM_THREADS": "4"})["OPENBLAS_NUM_THREADS"] == "4"
    import os

    assert os.environ["RASA_TELEMETRY_ENABLED"] == "false"  # this process too (bot/__init__.py)
    assert "OPENBLAS_NUM_THREADS" in os.environ
    command = rasa_runtime.command("run", "--enable-api", stock=True)
    assert command[1:] == ["-m", "bot.rasa_runtime", "--stock", "run", "--enable-api"]


def test_nothing_of_ours_starts_rasa_but_the_runtime() -> None:
    started_directly = re.compile(r'"-m",\s*"rasa"|bin/rasa\b|python -m rasa\b')
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in [*(PROJECT_ROOT / "bot").rglob("*.py"), PROJECT_ROOT / "Makefile", PROJECT_ROOT / ".ci" / "run"]
        if started_directly.search(path.read_text())
    ]
    assert offenders == []
