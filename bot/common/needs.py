"""The catalogue of what people come for: one entry per intent of the assistant.

Every list of needs in the code is derived from here, so that adding a need is
one entry below, its training data (``data/nlu/``), its rule (``data/rules/``),
its lines in ``domain.yml`` and, when it reads the file, its action
(docs/adding-a-need.md):

- the labels a person reads in the clarifying question and a counsellor in the
  ticket summary and the console (``LABELS``);
- the personal needs, which start the identification, and the action that
  answers each one once the person is identified (``PERSONAL_ACTIONS``);
- the allowance questions, which the scope guard (``bot.nlu.scope``) turns
  into a redirection when the message is about another administration, and
  the evaluation (``bot.cli.evaluate``) counts as leaks when an out-of-scope
  message gets one of them (``ALLOWANCE_INTENTS``, ``ELSEWHERE_INTENTS``);
- the intent names that components and actions set or test (``OUT_OF_SCOPE``,
  ``SUICIDAL_THOUGHTS``…), checked against the catalogue when this module loads.

``tests/unit/test_needs_catalogue.py`` checks that the catalogue, ``domain.yml``,
``data/rules/`` and the actions the action server registers say the same.
Pure data: no import of Rasa or of another allocbot package.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Group(Enum):
    """How the bot treats a need."""

    PERSONAL = "personal"
    """Answered from the person's file: identification first, then ``answer``."""
    ALLOWANCE = "allowance"
    """About the allowance, answered without the file (the same for everyone)."""
    ELSEWHERE = "elsewhere"
    """Not ours to answer: a redirection (the CAF, francetravail.fr)."""
    HUMAN = "human"
    """A counsellor, and emergency numbers first when the person is in distress."""
    PRIVACY = "privacy"
    """The person's rights over the conversation itself (erasure)."""
    CONVERSATION = "conversation"
    """Greetings, answers to the bot's questions, follow-ups on the last answer."""


@dataclass(frozen=True)
class Need:
    intent: str
    group: Group
    answer: str
    """What the bot runs first for this intent outside a form (its rule in ``data/rules/``): a custom action or
    a response. For a personal need, the action that reads the file once the person is identified."""
    label: str | None = None
    """How a person names the need (clarifying choices, ticket summaries, the console); None: never offered."""


NEEDS: tuple[Need, ...] = (
    Need("greet", Group.CONVERSATION, "utter_greet"),
    Need("goodbye", Group.CONVERSATION, "utter_goodbye"),
    Need("thank", Group.CONVERSATION, "utter_you_are_welcome"),
    Need("affirm", Group.CONVERSATION, "action_answer_in_context"),
    Need("deny", Group.CONVERSATION, "action_answer_in_context"),
    Need("bot_challenge", Group.CONVERSATION, "utter_iamabot"),
    Need("ask_human", Group.HUMAN, "action_handoff", "Parler à un conseiller"),
    Need("request_data_deletion", Group.PRIVACY, "utter_data_deletion", "Effacer mes données"),
    Need("ask_allowance_amount", Group.PERSONAL, "action_answer_allowance_amount", "Le montant de mon allocation"),
    Need("ask_payment_date", Group.PERSONAL, "action_answer_payment_date", "La date de mon prochain paiement"),
    Need("report_missing_payment", Group.PERSONAL, "action_answer_missing_payment", "Un paiement que je n'ai pas reçu"),
    Need(
        "ask_amount_difference",
        Group.PERSONAL,
        "action_explain_amount_difference",
        "Un montant plus bas que d'habitude",
    ),
    Need("ask_rights_duration", Group.PERSONAL, "action_answer_rights_duration", "La durée de mes droits"),
    Need("ask_declaration_window", Group.ALLOWANCE, "action_answer_declaration_window", "Les dates de l'actualisation"),
    Need(
        "check_declaration_status",
        Group.PERSONAL,
        "action_check_declaration_status",
        "Si mon actualisation est bien passée",
    ),
    Need("report_missed_declaration", Group.PERSONAL, "action_help_missed_declaration", "J'ai oublié de m'actualiser"),
    Need("ask_how_to_declare_work", Group.ALLOWANCE, "utter_how_to_declare_work", "Comment déclarer mon travail"),
    Need("simulate_earnings", Group.PERSONAL, "action_simulate_earnings", "Ce que je toucherai si je travaille"),
    Need("ask_overpayment", Group.PERSONAL, "action_answer_overpayment", "Un trop-perçu"),
    # Issue 20, awaited documents: which documents the file still awaits, the payment each holds, where to send it.
    Need(
        "ask_awaited_documents",
        Group.PERSONAL,
        "action_answer_awaited_documents",
        "Les documents que je dois envoyer",
    ),
    Need("contest_decision", Group.ALLOWANCE, "action_answer_contest", "Contester une décision"),
    Need("ask_other_benefit", Group.ELSEWHERE, "utter_other_benefit", "Une autre aide (RSA, APL, CAF)"),
    Need("out_of_scope", Group.ELSEWHERE, "utter_out_of_scope"),
    Need("express_distress", Group.HUMAN, "utter_distress", "Je suis en difficulté"),
    Need("express_suicidal_thoughts", Group.HUMAN, "utter_suicide_prevention"),
    Need("ask_why", Group.CONVERSATION, "action_answer_followup"),
    Need("followup_month", Group.CONVERSATION, "action_answer_followup"),
    Need("followup_net_gross", Group.CONVERSATION, "action_answer_followup"),
    Need("inform", Group.CONVERSATION, "action_answer_inform"),
    # Issue 20, safety part: a message in another language (bot/nlu/languages.py), answered in that language.
    Need("speak_other_language", Group.CONVERSATION, "action_answer_other_language"),
    # knowledge (issue 20): a general question about the ARE (the fixed part, the waiting period, changing the
    # RIB…), answered at once from the knowledge base, no identification (data/knowledge/answers.yml).
    Need("ask_knowledge", Group.ALLOWANCE, "action_answer_knowledge", "Une question générale sur l'allocation"),
)

BY_INTENT: dict[str, Need] = {need.intent: need for need in NEEDS}
INTENTS: tuple[str, ...] = tuple(BY_INTENT)

LABELS: dict[str, str] = {need.intent: need.label for need in NEEDS if need.label}
"""The needs a person can be offered, in their own words."""

PERSONAL_ACTIONS: dict[str, str] = {need.intent: need.answer for need in NEEDS if need.group is Group.PERSONAL}
# The needs whose answer also gives the file's reasons when the message asks why with them (« pourquoi mon
# premier paiement arrive si tard ? », « combien je touche et pourquoi si peu ? »): actions.personal and
# bot.nlu.clauses read this one list.
EXPLAINED_WHEN_ASKED_WHY: frozenset[str] = frozenset(
    {"ask_allowance_amount", "ask_payment_date", "report_missing_payment", "ask_rights_duration"}
)
"""Personal intent → the action that answers it once the person is identified."""

ALLOWANCE_INTENTS: frozenset[str] = frozenset(
    need.intent for need in NEEDS if need.group in (Group.PERSONAL, Group.ALLOWANCE)
)
"""Questions about the person's allowance: identification and the ARE figures follow."""

ELSEWHERE_INTENTS: frozenset[str] = frozenset(need.intent for need in NEEDS if need.group is Group.ELSEWHERE)
"""Questions another organisation answers: a redirection, never an allowance figure."""


def _named(intent: str) -> str:
    """An intent that code names: a typo, or a need taken out of the catalogue, fails at import."""
    if intent not in BY_INTENT:
        raise LookupError(f"« {intent} » n'est pas dans le catalogue des besoins (bot/common/needs.py).")
    return intent


OUT_OF_SCOPE = _named("out_of_scope")
OTHER_BENEFIT = _named("ask_other_benefit")
SUICIDAL_THOUGHTS = _named("express_suicidal_thoughts")
DISTRESS = _named("express_distress")
OTHER_LANGUAGE = _named("speak_other_language")
AFFIRM = _named("affirm")
DENY = _named("deny")
THANK = _named("thank")
KNOWLEDGE = _named("ask_knowledge")
SIMULATION = _named("simulate_earnings")
RIGHTS_DURATION = _named("ask_rights_duration")

if len(BY_INTENT) != len(NEEDS):  # pragma: no cover - a data error, caught by the first import
    raise ValueError("Un intent apparaît deux fois dans le catalogue des besoins.")
