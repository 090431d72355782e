"""The catalogue of needs, domain.yml, data/rules/, data/nlu/ and the action server say the same.

A need added to one of them and forgotten in another fails here with what is
missing where (docs/adding-a-need.md).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml

from bot.common import needs
from bot.common.config import PROJECT_ROOT
from bot.common.needs import NEEDS, Group

pytestmark = pytest.mark.unit

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
RULES = [
    rule
    for path in sorted((PROJECT_ROOT / "data" / "rules").glob("*.yml"))
    for rule in yaml.safe_load(path.read_text())["rules"]
]
MIN_EXAMPLES = 10  # fewer cannot be cross-validated in 5 folds and say little about a need


def registered_actions() -> set[str]:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    logging.getLogger("rasa_sdk.executor").disabled = True  # one "Registered function" line per action
    try:
        executor.register_package("actions")
    finally:
        logging.getLogger("rasa_sdk.executor").disabled = False
    return set(executor.actions)


def first_steps(rule: dict) -> tuple[list[str], str | None]:
    """The intents a rule starts with (one, or an ``or``) and the first action after them."""
    steps = rule["steps"]
    if not steps or not ({"intent", "or"} & set(steps[0])):
        return [], None
    head = steps[0]
    intents = (
        [head["intent"]] if "intent" in head else [branch["intent"] for branch in head["or"] if "intent" in branch]
    )
    action = next((step["action"] for step in steps[1:] if "action" in step), None)
    return intents, action


def condition(rule: dict) -> list[dict]:
    return rule.get("condition") or []


def outside_forms(rule: dict) -> bool:
    return not any("active_loop" in item for item in condition(rule))


def identified(rule: dict) -> bool | None:
    for item in condition(rule):
        for slot in item.get("slot_was_set", []):
            if "identified" in slot:
                return slot["identified"]
    return None


def test_the_catalogue_holds_the_domain_s_intents() -> None:
    domain = set(DOMAIN["intents"])
    catalogue = set(needs.INTENTS)
    assert not catalogue - domain, f"à ajouter sous intents: dans domain.yml : {sorted(catalogue - domain)}"
    assert not domain - catalogue, f"à ajouter au catalogue (bot/common/needs.py) : {sorted(domain - catalogue)}"


def test_every_answer_is_an_action_or_a_response_of_the_domain() -> None:
    known = set(DOMAIN["actions"]) | set(DOMAIN["responses"])
    missing = {need.intent: need.answer for need in NEEDS if need.answer not in known}
    assert not missing, f"réponses absentes de domain.yml (actions: ou responses:) : {missing}"


def test_the_action_server_registers_exactly_the_domain_s_custom_actions() -> None:
    registered = registered_actions()
    declared = set(DOMAIN["actions"])
    assert declared == registered, (
        f"déclarées sans action dans actions/ : {sorted(declared - registered)} ; "
        f"actions de actions/ absentes de domain.yml : {sorted(registered - declared)}"
    )
    answers = {need.answer for need in NEEDS if need.answer.startswith("action_")}
    assert answers <= registered, f"le catalogue nomme des actions qui n'existent pas : {sorted(answers - registered)}"


def test_each_need_s_rule_runs_the_catalogue_s_answer() -> None:
    found: dict[str, set[str]] = {}
    for rule in RULES:
        intents, action = first_steps(rule)
        if outside_forms(rule) and identified(rule) is not False and action:
            for intent in intents:
                found.setdefault(intent, set()).add(action)
    for need in NEEDS:
        assert found.get(need.intent) == {need.answer}, (
            f"{need.intent} : la règle de data/rules/ lance {sorted(found.get(need.intent, set())) or 'rien'}, "
            f"le catalogue dit {need.answer}"
        )


def test_personal_needs_are_answered_only_once_identified_and_start_the_identification_before() -> None:
    personal = {need.intent for need in NEEDS if need.group is Group.PERSONAL}
    assert personal == set(needs.PERSONAL_ACTIONS)
    for rule in RULES:
        intents, action = first_steps(rule)
        if outside_forms(rule) and set(intents) & personal and action != "identification_form":
            assert identified(rule) is True, f"« {rule['rule']} » répond sans identification"
    starting = [first_steps(rule)[0] for rule in RULES if first_steps(rule)[1] == "identification_form"]
    assert len(starting) == 1 and set(starting[0]) == personal, (
        f"data/rules/identification.yml doit lancer l'identification pour {sorted(personal)}, "
        f"elle le fait pour {sorted(starting[0]) if starting else 'aucun'}"
    )


def test_every_need_has_training_data() -> None:
    counts: dict[str, int] = {}
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            if "intent" in block:
                examples = [line for line in block["examples"].splitlines() if line.strip().startswith("- ")]
                counts[block["intent"]] = counts.get(block["intent"], 0) + len(examples)
    thin = {intent: counts.get(intent, 0) for intent in needs.INTENTS if counts.get(intent, 0) < MIN_EXAMPLES}
    assert not thin, f"exemples d'entraînement (data/nlu/) insuffisants : {thin}"


def test_labels_are_what_people_read_and_only_for_needs() -> None:
    assert set(needs.LABELS) <= set(needs.INTENTS)
    for intent, label in needs.LABELS.items():
        assert label[0].isupper() and not label.endswith((".", "?")), (intent, label)
    # Never offered as a choice: an answer to the bot's own question, or the suicide-prevention need
    # (the 3114 is given at once, not proposed).
    assert not {"affirm", "deny", "inform", needs.SUICIDAL_THOUGHTS, needs.OUT_OF_SCOPE} & set(needs.LABELS)


def test_the_groups_the_guards_and_the_evaluation_use() -> None:
    from bot.cli import evaluate
    from bot.nlu import scope

    assert scope.ALLOWANCE_INTENTS == evaluate.ALLOWANCE_ANSWERS == needs.ALLOWANCE_INTENTS
    assert evaluate.OUT_OF_SCOPE == needs.ELSEWHERE_INTENTS == {needs.OUT_OF_SCOPE, needs.OTHER_BENEFIT}
    assert not needs.ALLOWANCE_INTENTS & needs.ELSEWHERE_INTENTS
    assert set(needs.PERSONAL_ACTIONS) <= needs.ALLOWANCE_INTENTS


def test_a_name_missing_from_the_catalogue_fails_at_once() -> None:
    with pytest.raises(LookupError, match="ask_pension"):
        needs._named("ask_pension")


def test_the_training_fingerprint_covers_the_catalogue() -> None:
    from bot.cli.training import training_inputs

    assert Path(needs.__file__).resolve() in {path.resolve() for path in training_inputs()}
