# ruff: noqa: F811 - the in-process fixtures are imported from test_actions_in_process and named as parameters
"""The knowledge base (data/knowledge/answers.yml), its selector and its action, in process.

Every entry is rendered with the parameters the backend application itself serves (``GET
/v1/rules/parameters`` through ``httpx.ASGITransport``), so a placeholder that names nothing, a
format that does not exist or a figure typed in the text fails here, not in front of a job seeker.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from decimal import Decimal

import httpx
import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge import SURE, selection, source_line
from bot.backend.rules.parameters import parameter_on
from bot.common import knowledge
from bot.common.config import PROJECT_ROOT
from bot.common.formatting import format_date_fr, format_eur
from bot.nlu.knowledge import (
    AFTER_THE_END_ENTRIES,
    END_OF_RIGHTS,
    KeywordScorer,
    KnowledgeSelector,
    asks_own_end_date,
    asks_what_comes_after,
    build_model,
    training_pairs,
)
from bot.nlu.knowledge_data import NLU_FILE, nlu_text
from tests.servers import TEST_TODAY
from tests.unit.test_actions_in_process import (  # noqa: F401 - fixtures
    BASE_URL,
    SERVICE_TOKEN,
    backend,
    backend_app,
    executor,
    run,
    said,
    tracker,
)

pytestmark = pytest.mark.unit

ENTRIES = knowledge.load_entries()
DIGIT_OUTSIDE_PLACEHOLDERS = re.compile(r"\d")


def _get(app, path: str, token: str | None = SERVICE_TOKEN) -> httpx.Response:
    async def get() -> httpx.Response:
        headers = {"X-Service-Token": token} if token else {}
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=headers
        ) as http:
            return await http.get(path)

    return asyncio.run(get())


@pytest.fixture(scope="module")
def served(backend_app) -> tuple[dict, dict]:
    """The rule parameters and the declaration calendar, as the backend application serves them."""
    parameters, calendar = (
        _get(backend_app, "/v1/rules/parameters"),
        _get(backend_app, "/v1/calendar/declaration-window"),
    )
    assert parameters.status_code == calendar.status_code == 200
    return parameters.json(), calendar.json()


@pytest.fixture(scope="module")
def selector() -> KnowledgeSelector:
    component = KnowledgeSelector({}, None, None)  # type: ignore[arg-type]
    texts, labels = training_pairs(ENTRIES)
    component.model = build_model(42, 20.0).fit(texts, labels)
    component.keywords = KeywordScorer({entry.id: list(entry.keywords) for entry in ENTRIES})
    return component


def test_the_base_has_the_entries_the_issue_asks_each_sourced_and_dated():
    assert len(ENTRIES) >= 60
    for entry in ENTRIES:
        assert entry.source.strip(), entry.id
        assert all(p.startswith("http") or p.startswith("docs/are-rules.md") for p in entry.source.split(" ; "))
        assert entry.checked == date(2026, 12, 3), entry.id
        assert len(entry.examples) >= 3, entry.id
        assert entry.title and entry.keywords, entry.id


def test_no_figure_and_no_date_is_typed_in_an_answer():
    for entry in ENTRIES:
        text = knowledge.PLACEHOLDER.sub("", entry.answer)
        assert not DIGIT_OUTSIDE_PLACEHOLDERS.search(text), (entry.id, text)
        assert "{" not in text and "}" not in text, (entry.id, "placeholder mal écrit")


def test_every_entry_renders_with_the_backends_parameters(served):
    parameters, calendar = served
    for entry in ENTRIES:
        for source, name, _ in entry.placeholders:
            if source in ("rule", "since"):
                assert name in parameters["parameters"], (entry.id, name)
        text = knowledge.render(entry, parameters["parameters"], calendar)
        assert "{" not in text, entry.id


def test_the_figures_are_the_backends_of_the_day(served):
    parameters, calendar = served
    day = date.fromisoformat(TEST_TODAY)
    text = knowledge.render(knowledge.by_id()["fixed_part"], parameters["parameters"], calendar)
    fixed = parameter_on("aj_fixed_part", day)
    assert format_eur(Decimal(str(fixed.value))) in text
    assert format_date_fr(fixed.effective_from) in text
    window = knowledge.current_window(calendar)
    deadline = knowledge.render(knowledge.by_id()["declaration_deadline"], parameters["parameters"], calendar)
    assert format_date_fr(date.fromisoformat(window["closes_on"])) in deadline


def test_the_parameters_route_serves_the_table_of_the_day(served):
    parameters, _ = served
    day = date.fromisoformat(TEST_TODAY)
    assert parameters["today"] == TEST_TODAY
    for name in ("aj_minimum", "waiting_period_days", "overpayment_min_recovery", "monthly_flat_basis"):
        entry = parameter_on(name, day)
        served_value = parameters["parameters"][name]["value"]
        assert (Decimal(served_value) if isinstance(served_value, str) else served_value) == entry.value
        assert parameters["parameters"][name]["effective_from"] == entry.effective_from.isoformat()
    assert "seizable_scale" not in parameters["parameters"]


def test_the_parameters_route_needs_the_service_token(backend_app):
    assert _get(backend_app, "/v1/rules/parameters", token=None).status_code in (401, 403)
    assert _get(backend_app, "/v1/rules/parameters", token="wrong-token").status_code in (401, 403)


def test_an_unknown_placeholder_is_refused_not_left_in_the_text(served):
    parameters, calendar = served
    broken = knowledge.Entry("x", "x", (), (), "{rule.no_such_thing:eur}", "docs/are-rules.md §2", date(2026, 12, 3))
    with pytest.raises(knowledge.TemplateError):
        knowledge.render(broken, parameters["parameters"], calendar)
    with pytest.raises(knowledge.TemplateError):
        knowledge.render(
            knowledge.Entry("y", "y", (), (), "{rule.aj_minimum:furlongs}", "", date(2026, 12, 3)),
            parameters["parameters"],
            calendar,
        )


def test_the_classifier_data_is_generated_from_the_base():
    assert NLU_FILE.read_text(encoding="utf-8") == nlu_text(ENTRIES), (
        "data/nlu/knowledge.yml ne suit plus la base : .venv/bin/python -m bot.nlu.knowledge_data"
    )
    examples = yaml.safe_load(NLU_FILE.read_text())["nlu"][0]["examples"]
    assert examples.count("\n- ") + 1 >= sum(len(e.examples) for e in ENTRIES if e.classifier) - 1


# Paraphrases written for this test (none is an example of the base nor a scenario sentence).
QUESTIONS = [
    ("elle fait combien la partie fixe en ce moment", "fixed_part"),
    ("degressivite c'est a partir de quand exactement", "degressivity"),
    ("c'est combien de jours la carence avant d'etre payé", "waiting_period"),
    ("je veux mettre un autre rib pour mes paiements", "bank_details"),
    ("je demenage a lyon faut faire quoi pour mon dossier", "moving_house"),
    ("je suis tombée malade, ça change quoi pour l'ARE", "sick_leave"),
    ("c'est quoi exactement l'allocation de solidarite specifique", "ass"),
    ("on m'a parlé d'un différé à cause de mes congés payés", "paid_leave_deferral"),
    ("le recharge des droits ça marche comment", "recharge"),
    ("je compte démissionner, j'aurai quelque chose ?", "resignation"),
]


@pytest.mark.parametrize(("text", "expected"), QUESTIONS)
def test_the_selector_chooses_the_entry_of_unseen_paraphrases(selector, text, expected):
    message = Message({TEXT: text, INTENT: {"name": knowledge.INTENT, "confidence": 0.9}})
    selector.process([message])
    chosen = message.get("response_selector")[knowledge.INTENT]["response"]
    assert chosen["intent_response_key"] == f"{knowledge.INTENT}/{expected}"
    assert chosen["confidence"] >= SURE


def test_the_selector_reads_only_general_questions_and_their_clauses(selector):
    personal = Message({TEXT: "combien je vais toucher", INTENT: {"name": "ask_allowance_amount", "confidence": 0.9}})
    text = "quand je suis payé et comment je change de rib"
    start = text.index("comment")
    two = Message(
        {
            TEXT: text,
            INTENT: {"name": "ask_payment_date", "confidence": 0.8},
            ENTITIES: [
                {"entity": "need", "value": "ask_payment_date", "start": 0, "end": start - 4},
                {"entity": "need", "value": knowledge.INTENT, "start": start, "end": len(text)},
            ],
        }
    )
    selector.process([personal, two])
    assert personal.get("response_selector") is None
    clauses = two.get("response_selector")[knowledge.INTENT]["clauses"]
    assert [c["response"]["id"] for c in clauses] == ["bank_details"]
    # The action finds the clause's own choice when it answers that clause.
    entry, confidence, _ = selection({"text": text[start:], **two.as_dict(only_output_properties=True)})
    assert entry == "bank_details" and confidence >= SURE


def test_the_source_is_a_link_on_the_website_and_a_name_elsewhere():
    entry = knowledge.by_id()["ass"]
    assert "https://" in source_line(entry, "socketio")
    sms = source_line(entry, "twilio_sms")
    assert "https://" not in sms and "service-public.fr" in sms and "vérifié le 3 décembre 2026" in sms


def _question(sender: str, text: str, selected: dict | None, entities: list | None = None) -> dict:
    state = tracker(sender, text, knowledge.INTENT)
    message = state["latest_message"]
    if selected is not None:
        message["response_selector"] = {"all_retrieval_intents": [knowledge.INTENT], knowledge.INTENT: selected}
    message["entities"] = entities or []
    state["events"][-1]["parse_data"] = message
    return state


async def test_the_action_answers_with_the_backends_figure_and_no_identification(backend, executor):
    selected = {"response": {"id": "minimum_allowance", "confidence": 0.9}, "ranking": []}
    result = await run(executor, "action_answer_knowledge", _question("k-1", "alloc minimum ?", selected))
    (text,) = said(result)
    parameters = (await backend.rule_parameters())["parameters"]
    assert format_eur(Decimal(parameters["aj_minimum"]["value"])) in text
    assert "Source :" in text and "identifiant" not in text
    assert not [e for e in result["events"] if e.get("event") == "followup"]


async def test_an_unsure_choice_asks_which_topic_or_a_counsellor(backend, executor):
    ranking = [
        {"id": "ass", "confidence": 0.2},
        {"id": "recharge", "confidence": 0.18},
        {"id": "cumul", "confidence": 0.1},
    ]
    selected = {"response": {"id": "ass", "confidence": 0.2}, "ranking": ranking}
    result = await run(executor, "action_answer_knowledge", _question("k-2", "et apres ?", selected))
    (message,) = result["responses"]
    titles = [b["title"] for b in message["buttons"]]
    assert titles[:3] == [knowledge.by_id()[i].title for i in ("ass", "recharge", "cumul")]
    assert "conseiller" in titles[-1].lower()
    assert "Source" not in (message.get("text") or "")


async def test_a_chosen_topic_button_is_answered(backend, executor):
    entities = [{"entity": "knowledge_entry", "value": "waiting_period"}]
    result = await run(executor, "action_answer_knowledge", _question("k-3", "/ask_knowledge", None, entities))
    (text,) = said(result)
    parameters = (await backend.rule_parameters())["parameters"]
    assert f"{parameters['waiting_period_days']['value']} jours" in text


def test_the_selector_is_in_the_pipeline_after_the_guards():
    names = [c["name"] for c in yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())["pipeline"]]
    assert names.index("bot.nlu.knowledge.KnowledgeSelector") > names.index("bot.nlu.answers.AnswerGuard")
    assert names.index("bot.nlu.knowledge.KnowledgeSelector") < names.index("FallbackClassifier")


def _read(selector: KnowledgeSelector, text: str, ranking: list[tuple[str, float]]) -> Message:
    from rasa.shared.nlu.constants import INTENT_RANKING_KEY, TEXT_TOKENS

    from bot.nlu.normalizer import normalize

    message = Message(
        {
            TEXT: text,
            INTENT: {"name": ranking[0][0], "confidence": ranking[0][1]},
            INTENT_RANKING_KEY: [{"name": n, "confidence": c} for n, c in ranking],
        }
    )
    from rasa.nlu.tokenizers.tokenizer import Token

    message.set(TEXT_TOKENS, [Token(w, 0) for w in normalize(text).split()])
    selector.process([message])
    return message


def test_an_in_scope_question_read_as_out_of_scope_is_answered_from_the_base(selector):
    message = _read(selector, "et pour changer mon rib alors", [("out_of_scope", 0.45), ("ask_knowledge", 0.35)])
    assert message.get(INTENT) == {"name": knowledge.INTENT, "confidence": 0.45}
    assert message.get("response_selector")[knowledge.INTENT]["response"]["id"] == "bank_details"


def test_out_of_scope_stays_out_of_scope_without_a_topic_of_the_base_or_about_another_administration(selector):
    unrelated = _read(selector, "il fait beau a lyon demain", [("out_of_scope", 0.45), ("ask_knowledge", 0.35)])
    assert unrelated.get(INTENT)["name"] == "out_of_scope"
    elsewhere = _read(
        selector, "mon arret maladie la cpam le paie quand", [("out_of_scope", 0.5), ("ask_knowledge", 0.3)]
    )
    assert elsewhere.get(INTENT)["name"] == "out_of_scope"


def test_a_simulation_without_an_amount_that_names_the_cumul_asks_the_rule(selector):
    ranking = [("simulate_earnings", 0.45), ("ask_knowledge", 0.36)]
    rule = _read(selector, "si je reprends un petit boulot je perds tout mon chomage", ranking)
    assert rule.get(INTENT) == {"name": knowledge.INTENT, "confidence": 0.45}
    assert rule.get("response_selector")[knowledge.INTENT]["response"]["id"] == "cumul"
    with_amount = _read(selector, "si je reprends un petit boulot a 400 euros je touche combien", ranking)
    assert with_amount.get(INTENT)["name"] == "simulate_earnings"  # an amount: the simulation on the file


async def test_with_a_personal_question_the_identification_comes_first(backend, executor):
    text = "c quoi le delai de carence et je serai payé quand"
    start = text.index("je serai")
    selected = {
        "response": {"id": "waiting_period", "confidence": 0.9},
        "ranking": [],
        "clauses": [{"text": text[:start], "response": {"id": "waiting_period", "confidence": 0.9}, "ranking": []}],
    }
    entities = [
        {"entity": "need", "value": knowledge.INTENT, "start": 0, "end": start - 4},
        {"entity": "need", "value": "ask_payment_date", "start": start, "end": len(text)},
    ]
    result = await run(executor, "action_answer_knowledge", _question("k-4", text, selected, entities))
    assert said(result) == []
    assert [e["name"] for e in result["events"] if e["event"] == "followup"] == ["identification_form"]


def test_the_line_that_dates_the_file_stays_the_last_of_the_turn():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.knowledge import dated_before

    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="Votre allocation : 1 000,00 €.\nChiffres de votre dossier au lundi 2 novembre 2026.")
    moved = dated_before(dispatcher)
    assert moved == "\nChiffres de votre dossier au lundi 2 novembre 2026."
    assert dispatcher.messages[0]["text"] == "Votre allocation : 1 000,00 €."


# What comes after the rights, and the person's own end date (issue 20): sentences written for this test, none an
# example of the base or of data/nlu, nor a scenario sentence.
AFTER_THE_END = [
    "mes droits sont finis, ya pas d'autre allocation qui prend la suite ?",
    "lorsque l'ARE s'arrête j'ai droit à l'ASS ou au RSA ?",
    "le chomage une fois terminé on peut le recharger ou pas",
    "au bout de mes droits il se passe quoi",
    "euh mes droits là quand ils seront finis après y a plus rien c'est ça",
    "il me reste 20 jours de droits, j'aurai quoi après ?",  # the balance told, what follows asked
]
OWN_END_DATE = [
    "mes droits se terminent quand ?",
    "il me reste combien de jours",
    "jusqu'à quand je suis indemnisé",
    "quand est ce que je serai en fin de droits",
    "quand s'arrête mon ARE ?",
    "c'est pour quand ma fin de droits",
    "mes droits finissent quand, et après ?",  # both asked: the file's answer says what follows near the end
    "à partir de quand je toucherai plus rien",
    "je suis bientot en fin de droits ?",
]


def test_the_entries_of_what_comes_after_are_in_the_knowledge_base():
    # A misspelt id would leave the rule silently unused: no promoted question could ever be answered.
    ids = {entry.id for entry in ENTRIES}
    assert AFTER_THE_END_ENTRIES <= ids, sorted(AFTER_THE_END_ENTRIES - ids)
    assert END_OF_RIGHTS in AFTER_THE_END_ENTRIES


@pytest.mark.parametrize("text", AFTER_THE_END)
def test_what_comes_after_the_rights_is_asked(text):
    assert asks_what_comes_after(text)


@pytest.mark.parametrize("text", OWN_END_DATE)
def test_the_own_end_date_or_balance_is_not_what_comes_after(text):
    assert not asks_what_comes_after(text)


@pytest.mark.parametrize("text", AFTER_THE_END)
def test_what_comes_after_read_as_the_end_date_is_answered_from_the_base(selector, text):
    message = _read(
        selector, text, [("ask_rights_duration", 0.73), ("ask_knowledge", 0.19), ("ask_payment_date", 0.02)]
    )
    assert message.get(INTENT) == {"name": knowledge.INTENT, "confidence": 0.73}
    ranking = message.get("intent_ranking")
    assert [r["name"] for r in ranking[:2]] == [knowledge.INTENT, "ask_rights_duration"]
    assert ranking[1]["confidence"] == 0.19
    assert message.get("response_selector")[knowledge.INTENT]["response"]["id"] in AFTER_THE_END_ENTRIES


@pytest.mark.parametrize("text", OWN_END_DATE)
def test_the_own_end_date_stays_the_files(selector, text):
    message = _read(selector, text, [("ask_rights_duration", 0.9), ("ask_knowledge", 0.05)])
    assert message.get(INTENT) == {"name": "ask_rights_duration", "confidence": 0.9}
    assert message.get("response_selector") is None


def test_what_comes_after_keeps_its_needs_and_an_entry_of_what_follows(selector):
    # A marker of « after » but another topic chosen (the payslip): the classifier's reading stands.
    payslip = _read(
        selector, "après ça je dois envoyer ma fiche de paie pour mes droits ?", [("ask_rights_duration", 0.6)]
    )
    assert payslip.get(INTENT)["name"] == "ask_rights_duration"
    # Clauses that carry needs of their own are answered each (the identification first): left to them.
    text = "il me reste 20 jours de droits, j'aurai quoi après ?"
    two = Message(
        {
            TEXT: text,
            INTENT: {"name": "ask_rights_duration", "confidence": 0.7},
            ENTITIES: [{"entity": "need", "value": "ask_rights_duration", "start": 0, "end": 25}],
        }
    )
    selector.process([two])
    assert two.get(INTENT)["name"] == "ask_rights_duration"


def test_the_own_end_date_read_as_the_end_of_rights_entry_is_the_files(selector):
    both = _read(
        selector, "mes droits finissent quand, et après ?", [("ask_knowledge", 0.79), ("ask_rights_duration", 0.18)]
    )
    assert both.get(INTENT) == {"name": "ask_rights_duration", "confidence": 0.79}
    assert asks_own_end_date("il me reste combien de jours") and not asks_own_end_date("en général ça dure combien")
    general = _read(selector, "quand mes droits seront finis j'ai droit à quoi", [("ask_knowledge", 0.8)])
    assert general.get(INTENT)["name"] == knowledge.INTENT
    assert general.get("response_selector")[knowledge.INTENT]["response"]["id"] == "end_of_rights"
