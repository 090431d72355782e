"""The one place where allocbot starts Rasa and the only one that changes it.

Every Rasa the project starts is ``python -m bot.rasa_runtime <rasa command>``:
the server (``bot/cli/processes.py``, for ``make run``, the tests and the
benchmark), ``make shell``, training (``bot/cli/training.py``), ``rasa data
validate`` and ``rasa test`` (``bot/cli/check.py``). ``--stock`` first runs
Rasa unpatched (the benchmark's stock assistant, ``bot/bench/stock.py``).

For every Rasa, patched or not (``environment``, ``main``):

- **telemetry off**: ``RASA_TELEMETRY_ENABLED=false`` in this process and in every
  process started with ``environment()``; Rasa otherwise sends usage events to
  its servers and crash reports to Sentry with a persistent user id
  (docs/privacy.md);
- **one math thread** (``ONE_MATH_THREAD``, unless the caller's environment sets
  them): OpenBLAS's spare thread spinning after each small product was half the
  Rasa server's CPU per message;
- **the HTTP API token from the environment**: Rasa 3.6 reads it only from
  ``--auth-token``, and a command line is visible in ``ps`` to every local user.
  Here ``ALLOCBOT_RASA_TOKEN`` is given to Rasa's parsed arguments in the
  process, through Rasa's own ``configure_commandline`` plugin hook;
  ``--auth-token`` on the command line is refused, and so is ``--enable-api``
  without the variable (an API without a token is open to anyone).

For allocbot's Rasa only, and only on Rasa ``SUPPORTED_RASA`` (``install_patches``;
each replaces a private internal, so another version is refused with a clear
message rather than patched blindly; each has its own test against Rasa's
unpatched behaviour in ``tests/unit/test_rasa_runtime.py``):

1. ``install_cached_action_validation``: the action server's answers checked with
   validators built once (Rasa rebuilt and meta-checked the schema on every call:
   about 40 % of the Rasa server's CPU under load, measured with ``bot.bench.profile``);
2. ``install_event_type_lookup``: event classes found by name in a table;
3. ``install_unreachable_action_answer``: when the action server cannot be reached,
   Rasa says so in French instead of staying silent;
3b. ``install_store_outage_answer``: when a message cannot be processed at all (the
   conversation store or the lock store is down, a PostgreSQL or Redis restart), the
   person is told so in French instead of getting nothing, and an unreadable
   conversation is not mistaken for a new one (Rasa's ``FailSafeTrackerStore``);
3c. ``install_admission_gate``: under overload, at most ``ALLOCBOT_MAX_CONCURRENT_TURNS``
   turns at once, the others queued, and a message that waited too long answered « le
   service est très sollicité » instead of timing out (``bot.scale.admission``);
3d. ``install_waiting_answer``: a message written while a counsellor holds the conversation
   (Rasa has paused it, ``ConversationPaused``) gets ``utter_handoff_waiting`` (the counsellor has the
   request and will answer here; the 3949 otherwise) instead of silence: once, then again only after
   ``WAITING_REMINDER_SECONDS`` without a counsellor's line; never once a counsellor has written. The
   message itself is stored as before, for the counsellor's console;
3e. ``install_kept_alive_action_calls``: Rasa's calls to the action server over connections kept alive
   (Rasa opened and closed one for each action of each turn) and bounded by
   ``ALLOCBOT_ACTION_TIMEOUT_SECONDS`` instead of five minutes (``bot.scale.action_calls``);
3f. ``install_shared_prediction_states``: the conversation's dialogue states computed once per prediction
   instead of once per policy call (``bot.scale.prediction_states``);
4. identifiers redacted from Rasa's log lines (``bot.privacy.log_redaction``), on
   Rasa's handlers once Rasa has configured them (the same plugin hook).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from importlib.metadata import version
from typing import Any

import pluggy

from bot import ONE_MATH_THREAD  # what every process gets unless its caller's environment sets it

SUPPORTED_RASA = "3.6.21"
TELEMETRY_VARIABLE = "RASA_TELEMETRY_ENABLED"
TOKEN_VARIABLE = "ALLOCBOT_RASA_TOKEN"
PROCESS_ENV = {TELEMETRY_VARIABLE: "false"}
"""What every process allocbot starts gets in its environment, whatever the caller's environment says."""

logger = logging.getLogger(__name__)


class UnsupportedRasa(RuntimeError):
    """The installed Rasa is not the one the patches were written and tested for."""


def environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (this process's environment by default) with Rasa's telemetry off and one math thread."""
    return {**ONE_MATH_THREAD, **(os.environ if base is None else base), **PROCESS_ENV}


def command(*rasa_args: str, stock: bool = False) -> list[str]:
    """The command line that runs ``rasa <rasa_args>`` through this module."""
    return [sys.executable, "-m", "bot.rasa_runtime", *(["--stock"] if stock else []), *rasa_args]


def keep_process_environment() -> None:
    """Telemetry off and one math thread in this process, before Rasa (and numpy) read their configuration."""
    for name, value in ONE_MATH_THREAD.items():
        os.environ.setdefault(name, value)
    os.environ.update(PROCESS_ENV)


def check_rasa_version(installed: str | None = None) -> None:
    """Refuse to patch a Rasa other than ``SUPPORTED_RASA``."""
    installed = installed or version("rasa")
    if installed != SUPPORTED_RASA:
        raise UnsupportedRasa(
            f"Les correctifs d'allocbot (bot/rasa_runtime.py) ont été écrits et testés pour Rasa {SUPPORTED_RASA}, "
            f"mais Rasa {installed} est installé : ils remplacent des fonctions internes de Rasa et ne sont pas "
            f"appliqués à une autre version. Réinstallez l'environnement verrouillé (./scripts/bootstrap), ou "
            f"vérifiez chaque correctif contre Rasa {installed} (tests/unit/test_rasa_runtime.py) avant de changer "
            f"SUPPORTED_RASA."
        )


def unpatched(function: Callable) -> Callable:
    """What Rasa had before one of these patches replaced it (``function`` itself if it is Rasa's): each
    patch's test compares the two."""
    return getattr(function, "_allocbot_original", function)


def install_patches(installed: str | None = None) -> None:
    """Every patch of allocbot's Rasa, after the version check; idempotent."""
    check_rasa_version(installed)
    install_cached_action_validation()
    install_event_type_lookup()
    install_unreachable_action_answer()
    install_store_outage_answer()
    install_admission_gate()
    install_waiting_answer()
    install_kept_alive_action_calls()
    install_shared_prediction_states()


def action_result_errors(schema: dict[str, Any]) -> Callable[[Any], Iterator[Exception]]:
    """The errors of an action server's answer against Rasa's response schema, found faster.

    Rasa's schema checks each event against a ``oneOf`` of 23 event schemas, each
    fixing ``event`` to its own constant: every event was matched against all 23
    (about 2 ms per answer, 7 % of the Rasa server's CPU under load). Exactly one
    branch can match a given ``event`` value, so checking the event against that
    branch alone accepts and rejects the same answers.
    """
    from copy import deepcopy

    from jsonschema import ValidationError
    from jsonschema.validators import validator_for

    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate did on every call, done once
    base = deepcopy(schema)
    branches = base["properties"]["events"]["items"].pop("oneOf")
    by_event = {branch["properties"]["event"]["const"]: validator_class(branch) for branch in branches}
    base_validator = validator_class(base)

    def errors(result: Any) -> Iterator[Exception]:
        yield from base_validator.iter_errors(result)
        events = result.get("events") if isinstance(result, dict) else None
        for event in events if isinstance(events, list) else ():
            if not isinstance(event, dict) or not isinstance(event.get("event"), str):
                continue  # reported by the base schema (an object with a string "event")
            branch = by_event.get(event["event"])
            if branch is None:
                yield ValidationError(f"{event['event']!r} is not valid under any of the given schemas")
            else:
                yield from branch.iter_errors(event)

    return errors


def install_cached_action_validation() -> None:
    """Replace ``RemoteAction._validate_action_result`` with the same check on validators built once.

    Rasa 3.6 calls ``jsonschema.validate(result, schema)`` for every custom action, and that
    function checks the schema itself against the JSON Schema meta-schema each time before
    checking the answer: about 130 ms per call on this machine, against 8 ms with a validator
    built once (docs/performance.md). Same schema, same verdicts, the same exception with Rasa's hint
    appended; its first line may name the failing event rather than the whole answer.
    """
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    if getattr(RemoteAction._validate_action_result, "_allocbot_cached", False):
        return
    original = RemoteAction._validate_action_result
    errors = action_result_errors(RemoteAction.action_response_format_spec())

    def _validate_action_result(self, result: dict[str, Any]) -> bool:
        error = best_match(errors(result))
        if error is None:
            return True
        if not isinstance(error, ValidationError):  # best_match returns the validator's own error type
            raise error
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            "For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    _validate_action_result._allocbot_cached = True  # type: ignore[attr-defined]
    _validate_action_result._allocbot_original = original  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result


def install_event_type_lookup() -> None:
    """Find an event's class by its name in a table instead of walking every subclass of ``Event``.

    Rasa 3.6 rebuilds the list of all ``Event`` subclasses for every event it reads
    back (each stored event, each event an action returns): 3 to 4 % of the Rasa
    server's CPU under load. Only names that resolve are remembered, so an unknown
    name still raises (or gets the default) exactly as before.
    """
    from rasa.shared.core.events import Event

    if getattr(Event.resolve_by_type, "_allocbot_table", False):
        return
    original = Event.resolve_by_type
    found: dict[str, type] = {}

    def resolve_by_type(type_name, default=None):
        cls = found.get(type_name)
        if cls is None:
            cls = original(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    resolve_by_type._allocbot_table = True  # type: ignore[attr-defined]
    resolve_by_type._allocbot_original = original  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)


SAY_INSTEAD = ("utter_backend_unavailable", "utter_offer_human")


def install_unreachable_action_answer() -> None:
    """When the action server cannot be reached, Rasa says so in French instead of staying silent.

    Rasa 3.6 logs a failed custom action and goes on with no message: the person
    would get an empty answer while the action server restarts. This wraps
    ``RemoteAction.run`` so that a failed call (connection refused, timeout, 5xx,
    refused token) yields ``utter_backend_unavailable`` and ``utter_offer_human``
    (the 3949 number and "conseiller") instead. Form validation rejections still
    go through untouched.
    """
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
    from rasa.shared.exceptions import RasaException

    if getattr(RemoteAction.run, "_allocbot_wrapped", False):
        return
    original = RemoteAction.run

    async def run(self, output_channel, nlg, tracker, domain):
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except RasaException:
            logger.error("Serveur d'actions injoignable pendant « %s » : réponse de secours envoyée.", self.name())
            events = []
            for response in SAY_INSTEAD:
                message = await nlg.generate(response, tracker, output_channel.name())
                if message:
                    events.append(create_bot_utterance(message))
            return events

    run._allocbot_wrapped = True  # type: ignore[attr-defined]
    run._allocbot_original = original  # type: ignore[attr-defined]
    RemoteAction.run = run


OUTAGE_TEXT = (
    "Le service est momentanément indisponible et votre message n'a pas pu être traité. "
    "Merci de le renvoyer dans quelques instants. Un conseiller peut aussi vous aider au 3949 "
    "(service gratuit + prix d'un appel)."
)


def outage_answering(handle_message: Callable) -> Callable:
    """``Agent.handle_message`` that answers ``OUTAGE_TEXT`` on the message's channel when it fails as a whole."""

    async def wrapper(self, message):
        try:
            return await handle_message(self, message)
        except Exception as error:  # the message failed as a whole; CancelledError is not an Exception
            logger.error("Message non traité (%s) : réponse d'indisponibilité envoyée.", type(error).__name__)
            channel = getattr(message, "output_channel", None)
            if channel is not None:
                try:
                    await channel.send_text_message(message.sender_id, OUTAGE_TEXT)
                except Exception as send_error:  # the channel itself is down: nothing more can be said
                    logger.error("Réponse d'indisponibilité non envoyée (%s).", type(send_error).__name__)
            return None

    wrapper._allocbot_wrapped = True  # type: ignore[attr-defined]
    wrapper._allocbot_original = handle_message  # type: ignore[attr-defined]
    return wrapper


def install_store_outage_answer() -> None:
    """A message that fails as a whole gets a French answer instead of silence.

    When the conversation store (PostgreSQL) or the lock store (Redis) cannot be
    reached, Rasa 3.6 raises out of ``Agent.handle_message``: the REST channel then
    answers ``[]``, socket.io and the webhooks nothing at all. This wraps it so
    that the person is told, on the channel they wrote on, that the message was not
    processed and should be sent again (nothing was stored: sending it again is safe).
    """
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import FailSafeTrackerStore

    if not getattr(FailSafeTrackerStore.retrieve, "_allocbot_wrapped", False):
        FailSafeTrackerStore.retrieve = store_errors_let_through(FailSafeTrackerStore.retrieve)
    if getattr(Agent.handle_message, "_allocbot_wrapped", False):
        return
    Agent.handle_message = outage_answering(Agent.handle_message)


def install_admission_gate(environ: Mapping[str, str] | None = None) -> None:
    """``Agent.handle_message`` behind one ``AdmissionGate`` per process, outside the outage answer.

    Outside, so that a message turned away never touches the stores; idempotent (the gate installed first stays)."""
    from rasa.core.agent import Agent

    from bot.scale.admission import AdmissionGate, admitting

    if getattr(Agent.handle_message, "_allocbot_gate", None) is not None:
        return
    gate = AdmissionGate.from_environment(None if environ is None else dict(environ))
    Agent.handle_message = admitting(Agent.handle_message, gate)


def install_kept_alive_action_calls(environ: Mapping[str, str] | None = None) -> None:
    """``EndpointConfig.request`` through one ``ActionCalls`` per process; its session closed with the server.

    Rasa's only endpoint calls while serving are the custom actions' (no NLG server, no callback channel).
    Idempotent: the first installed stays."""
    import rasa.core.run
    from rasa.utils.endpoints import EndpointConfig

    from bot.scale.action_calls import ActionCalls, timeout_seconds

    if getattr(EndpointConfig.request, "_allocbot_wrapped", False):
        return
    calls = ActionCalls(timeout_seconds(None if environ is None else dict(environ)))
    original_request = EndpointConfig.request
    original_close = rasa.core.run.close_resources

    async def request(self, method="post", subpath=None, content_type="application/json", compress=False, **kwargs):
        return await calls.request(self, method, subpath, content_type, compress, **kwargs)

    async def close_resources(app, loop):
        await original_close(app, loop)
        await calls.close()

    request._allocbot_wrapped = True  # type: ignore[attr-defined]
    request._allocbot_original = original_request  # type: ignore[attr-defined]
    request._allocbot_calls = calls  # type: ignore[attr-defined]
    close_resources._allocbot_original = original_close  # type: ignore[attr-defined]
    EndpointConfig.request = request
    rasa.core.run.close_resources = close_resources


def install_shared_prediction_states() -> None:
    """``TrackerFeaturizer._create_states`` through ``shared_states``; idempotent."""
    from rasa.core.featurizers.tracker_featurizers import TrackerFeaturizer

    from bot.scale.prediction_states import shared_states

    if getattr(TrackerFeaturizer._create_states, "_allocbot_wrapped", False):
        return
    TrackerFeaturizer._create_states = staticmethod(shared_states(TrackerFeaturizer._create_states))


WAITING_RESPONSE = "utter_handoff_waiting"
WAITING_REMINDER_SECONDS = 15 * 60
"""A person waiting for a counsellor is told once that the message is there; again after this long with no
counsellor's line, not on each of the several short messages people send in a row."""


def waiting_answer_due(events: Any, now: float, every: float = WAITING_REMINDER_SECONDS) -> bool:
    """Whether the latest message of a paused conversation gets ``WAITING_RESPONSE``.

    ``events`` are the tracker's (oldest first). Yes when the latest user message came after the last pause,
    no counsellor has written since that pause (the person is then in a live chat with them), and the bot has
    not said ``WAITING_RESPONSE`` since the pause, or said it more than ``every`` seconds ago.
    """
    from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
    from rasa.shared.core.events import BotUttered, ConversationPaused, UserUttered

    said_at: float | None = None
    user_seen = False
    for event in reversed(list(events)):
        if isinstance(event, ConversationPaused):
            break
        if isinstance(event, UserUttered):
            if not user_seen and (not event.text or event.text.startswith(EXTERNAL_MESSAGE_PREFIX)):
                return False  # a reminder or an external event, not the person writing
            user_seen = True
        elif isinstance(event, BotUttered):
            metadata = event.metadata or {}
            if metadata.get("counsellor"):
                return False
            if metadata.get("utter_action") == WAITING_RESPONSE and said_at is None:
                said_at = event.timestamp
    else:
        return False  # no pause in the conversation: Rasa answers as usual
    return user_seen and (said_at is None or now - said_at >= every)


def waiting_answering(run_prediction_loop: Callable) -> Callable:
    """``MessageProcessor._run_prediction_loop`` that, on a paused conversation, says ``WAITING_RESPONSE`` when
    ``waiting_answer_due``; Rasa's own loop otherwise (it predicts nothing on a paused conversation)."""
    import time

    from rasa.core.actions.action import create_bot_utterance

    async def wrapper(self, output_channel, tracker):
        if self._should_handle_message(tracker) or not waiting_answer_due(tracker.events, time.time()):
            return await run_prediction_loop(self, output_channel, tracker)
        message = await self.nlg.generate(WAITING_RESPONSE, tracker, output_channel.name())
        if not message:  # a model trained before the response existed: silent, as Rasa is
            return None
        message["utter_action"] = WAITING_RESPONSE
        event = create_bot_utterance(message)
        tracker.update(event, self.domain)
        await self.execute_side_effects([event], tracker, output_channel)
        return None

    wrapper._allocbot_wrapped = True  # type: ignore[attr-defined]
    wrapper._allocbot_original = run_prediction_loop  # type: ignore[attr-defined]
    return wrapper


def install_waiting_answer() -> None:
    """A message to a conversation a counsellor holds gets a short answer instead of silence.

    During opening hours a handover pauses the conversation (``actions/handoff.py``) until the counsellor
    closes the ticket; Rasa 3.6 then stores every message and predicts nothing, so the person writing
    « vous êtes là ? » got no answer at all. The answer is a ``bot`` event without an action (like the
    counsellor's own lines, ``bot.console.clients``): the dialogue's state is the same when the conversation
    is resumed, and the console shows the counsellor what the person was told.
    """
    from rasa.core.processor import MessageProcessor

    if getattr(MessageProcessor._run_prediction_loop, "_allocbot_wrapped", False):
        return
    MessageProcessor._run_prediction_loop = waiting_answering(MessageProcessor._run_prediction_loop)


def store_errors_let_through(retrieve: Callable) -> Callable:
    """``FailSafeTrackerStore.retrieve`` that lets a conversation store's outage through.

    Rasa's wrapper answers "no such conversation" to any error of the store: the
    turn would then start a new conversation (the person asked to identify again,
    and that new conversation stored over the old one). An error marked
    ``allocbot_store_down`` (``bot.privacy.tracker_store.ConversationStoreUnavailable``)
    goes up to ``outage_answering`` instead; any other error is Rasa's as before.
    """

    async def wrapper(self, sender_id):
        try:
            return await self._tracker_store.retrieve(sender_id)
        except Exception as error:
            if getattr(error, "allocbot_store_down", False):
                raise
            self.on_tracker_store_retrieve_error(error)  # what Rasa's own does
            return None

    wrapper._allocbot_wrapped = True  # type: ignore[attr-defined]
    wrapper._allocbot_original = retrieve  # type: ignore[attr-defined]
    return wrapper


class CommandLine:
    """Rasa's ``configure_commandline`` plugin hook: called by Rasa's ``main`` with the parsed
    arguments, after Rasa has configured its logging and before it runs the command."""

    def __init__(self, redact_logs: bool):
        self.redact_logs = redact_logs

    @pluggy.HookimplMarker("rasa")
    def configure_commandline(self, cmdline_arguments: Any) -> None:
        give_api_token(cmdline_arguments, os.environ.get(TOKEN_VARIABLE))
        if self.redact_logs:
            from bot.privacy import log_redaction

            log_redaction.install()
        return None


def give_api_token(arguments: Any, token: str | None) -> None:
    """Hand the API token to Rasa's parsed arguments; refuse it on the command line, and an API without one."""
    if getattr(arguments, "auth_token", None):
        raise SystemExit(
            f"Le jeton de l'API Rasa ne se passe pas sur la ligne de commande (--auth-token est visible dans ps) : "
            f"mettez-le dans la variable d'environnement {TOKEN_VARIABLE}."
        )
    if not getattr(arguments, "enable_api", False):
        return
    if not token or token == "change-me":
        raise SystemExit(
            f"L'API HTTP de Rasa (--enable-api) exige un jeton : définissez {TOKEN_VARIABLE} (voir .env.example)."
        )
    arguments.auth_token = token


def register_hook(redact_logs: bool) -> None:
    from rasa.plugin import plugin_manager

    manager = plugin_manager()
    if manager.get_plugin("allocbot") is None:
        manager.register(CommandLine(redact_logs), name="allocbot")


def import_model_reader_first() -> None:
    """Import skops, which reads allocbot's scikit-learn models, before Rasa brings in TensorFlow.

    At import, skops lists the types it trusts, and for every numpy function without a ``__module__``
    it searches the whole of ``sys.modules``. After TensorFlow (about 3 700 modules) that search took
    7 to 8 s of CPU at every start of Rasa, training included; imported first, skops costs
    about 2.7 s in all. Measured with ``py-spy`` on Rasa's start (docs/performance.md, cold start).
    """
    import skops.io  # noqa: F401  (imported for its side effect: the trusted-type table, built now)


def main(argv: list[str] | None = None) -> None:
    """``python -m bot.rasa_runtime [--stock] <rasa command and options>``."""
    args = list(sys.argv[1:] if argv is None else argv)
    stock = args[:1] == ["--stock"]
    if stock:
        args = args[1:]
    keep_process_environment()
    if not stock:
        import_model_reader_first()
        try:
            install_patches()
        except UnsupportedRasa as error:
            raise SystemExit(str(error)) from None
    register_hook(redact_logs=not stock)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *args]
    rasa_main()


if __name__ == "__main__":
    main()
