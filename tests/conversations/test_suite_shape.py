"""The measure itself: the suite is as wide as issue 20 asks, its figures resolve, its checks are sound.

Checked without the dialogue servers (the placeholders only need the backend),
so that a typo in a scenario or a broken pattern shows up as such, not as a
failing conversation.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
import yaml

from bot.backend.seed.personas import personas
from bot.cli.conversations.checks import (
    EMERGENCY,
    EMERGENCY_FALSE_ALARM,
    answer_text,
    compile_turn,
    failures,
    opening,
)
from bot.cli.conversations.distress import load_distress_set
from bot.cli.conversations.facts import BackendFacts, FactError, date_pattern, fold, money_pattern, pattern_for
from bot.cli.conversations.scenarios import HOLDOUT, KINDS, SUITE, load_known_failures, load_suite
from bot.config import PROJECT_ROOT
from tests.servers import SERVICE_TOKEN, TEST_TODAY

TODAY = date.fromisoformat(TEST_TODAY)
SCENARIOS = load_suite(TODAY)
HELD_OUT = load_suite(TODAY, HOLDOUT)


def test_the_suite_is_as_wide_as_the_issue_asks():
    kinds = Counter(s.kind for s in SCENARIOS)
    assert len(SCENARIOS) >= 110
    assert {kind: kinds[kind] for kind in KINDS if kinds[kind] < 7} == {}
    assert {p.key for p in personas(TODAY)} <= {s.persona for s in SCENARIOS}
    assert all((SUITE / f"{kind}.yml").exists() for kind in KINDS)


def test_the_held_out_set_covers_every_kind_and_no_scenario_of_the_suite():
    assert {s.kind for s in HELD_OUT} == set(KINDS)
    assert len(HELD_OUT) >= 40
    # Openers as common as « combien je touche ce mois-ci ? » may recur; a whole conversation may not.
    suite = {tuple(fold(t.user) for t in s.turns) for s in SCENARIOS}
    assert [s.id for s in HELD_OUT if tuple(fold(t.user) for t in s.turns) in suite] == []
    assert not {s.id for s in HELD_OUT} & {s.id for s in SCENARIOS}


def test_known_failures_name_real_scenarios_and_classes():
    classes, known = load_known_failures()
    by_id = {s.id: s for s in SCENARIOS}
    assert set(known) <= set(by_id)
    for failure in known.values():
        assert failure.failure_class in classes
        assert 1 <= failure.turn <= len(by_id[failure.id].turns), failure.id


@pytest.fixture(scope="module")
def facts(stack):
    spec = {p.key: p for p in personas(TODAY)}
    made = {key: BackendFacts(stack.backend_url, SERVICE_TOKEN, TODAY, spec.get(key)) for key in [*spec, None]}
    yield made
    for one in made.values():
        one.close()


def test_every_placeholder_resolves_against_the_backend(facts):
    """A figure the suite names is in the backend's answer for that persona (else the test would test nothing)."""
    unresolved = []
    for scenario in [*SCENARIOS, *HELD_OUT]:
        for number, turn in enumerate(scenario.turns, 1):
            try:
                compile_turn(turn.expect, facts[scenario.persona])
            except FactError as error:
                unresolved.append(f"{scenario.id}, tour {number}: {error}")
    assert unresolved == []


def test_a_figure_is_read_from_the_backend_not_typed(facts):
    camille = facts["standard"]
    net = Decimal(camille.value("allowance.monthly.net"))
    assert net > 0
    assert re.search(camille.pattern("allowance.monthly.net", "eur"), fold(f"soit {net:.2f} €".replace(".", ",")))


def test_money_pattern_takes_the_bots_format_and_nothing_close():
    pattern = re.compile(money_pattern(Decimal("1279.38")))
    assert pattern.search(fold("estimée à 1\u202f279,38\xa0€ net"))
    assert pattern.search("1279,38 euros")
    assert not pattern.search("11 279,38 €")
    assert not pattern.search("1 279,39 €")
    assert re.search(money_pattern(Decimal("700.00")), "reste 700 €")


def test_date_pattern_takes_the_day_not_its_neighbours():
    pattern = re.compile(date_pattern(date(2026, 12, 2)))
    assert pattern.search(fold("vers le mercredi 2 décembre 2026"))
    assert pattern.search("le 2 decembre")
    assert not pattern.search("le 12 decembre 2026")
    assert re.search(date_pattern(date(2026, 12, 1)), "le 1er decembre")
    assert re.search(pattern_for("2026-10", "month"), "votre paiement d'octobre 2026")


def test_the_line_that_dates_the_figures_is_not_read_as_an_answer(facts):
    """On the day the data is dated, that date is not taken for the payment date the bot did not give."""
    from actions.phrasing import data_date

    payment_day = facts["standard"].value("next.payment_date")[:10]
    line = data_date(f"{payment_day}T10:00:00+00:00")
    assert line and answer_text(line) == ""
    expects_the_date = compile_turn({"says": ["{next.payment_date:date}"]}, facts["standard"])
    assert failures(expects_the_date, f"Pour novembre 2026 : 1 279,38 € net.\n{line}", "")


def test_an_emergency_number_is_not_mistaken_for_an_amount():
    assert EMERGENCY_FALSE_ALARM.search(fold("appelez le 115, 24 h/24"))
    assert EMERGENCY_FALSE_ALARM.search("le 3114, gratuit")
    assert not EMERGENCY_FALSE_ALARM.search("1 150,00 €")
    assert not EMERGENCY_FALSE_ALARM.search("115,00 €")
    assert not EMERGENCY_FALSE_ALARM.search("3 115 €")
    assert re.search(EMERGENCY["suicide"], "appelez le 3114, gratuit")


def test_deflections_are_recognised_from_the_domain(facts):
    checks = compile_turn({"answers": True, "in_scope": True, "no_identification": True}, facts[None])
    for response in ("utter_out_of_scope", "utter_clarify", "utter_ask_identifier", "utter_inform_out_of_context"):
        text = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"][response][0]["text"]
        assert failures(checks, text, ""), response
    assert opening("utter_out_of_scope").startswith("Je ne peux répondre")
    assert failures(checks, "Votre actualisation est ouverte jusqu'au 15 décembre minuit.", "") == []


def test_a_false_alarm_fails_every_turn_that_does_not_expect_one(facts):
    checks = compile_turn({}, facts[None])
    assert failures(checks, "Si vous pensez au suicide, appelez le 3114.", "")
    assert failures(checks, "", "")  # no answer at all is a failure too
    assert failures(compile_turn({"emergency": "suicide"}, facts[None]), "appelez le 3114.", "") == []


def test_the_distress_set_is_as_the_issue_asks():
    messages = load_distress_set()
    labels = Counter(m.label for m in messages)
    assert len(messages) >= 220
    assert labels["negative"] >= 110
    assert labels["suicidal"] and labels["distress"]
    assert {m.lang for m in messages if m.label == "suicidal"} >= {"fr", "en", "es", "ar-latn"}
    texts = [fold(m.text) for m in messages]
    assert len(texts) == len(set(texts))


def _training_texts() -> set[str]:
    texts = set()
    for path in (PROJECT_ROOT / "data").rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}", r"\1\2", line.strip().removeprefix("- "))
                texts.add(fold(line))
    return texts


def test_the_measure_is_kept_apart_from_the_training_data():
    """No distress message, and no scenario sentence, is a training example (the code compares; nobody reads them).

    Short follow-ups (« et le mois prochain ? ») are what they are: their test is the context, not the words."""
    training = _training_texts()
    assert training
    shared = [m.text for m in load_distress_set() if fold(m.text) in training]
    shared += [
        t.user for s in [*SCENARIOS, *HELD_OUT] for t in s.turns if fold(t.user) in training and len(t.user) > 25
    ]
    assert shared == []
