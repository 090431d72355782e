"""The figures of a run: share of scenarios fully handled per kind and overall, false urgent
tickets, failures with their turn, failure classes, and the distress precision and recall.

``results/conversations/latest.{md,json}`` after every run; with ``--report``, also
``docs/conversations.md`` (the whole report) and the block of ``docs/evaluation.md``
between ``BLOCK_START`` and ``BLOCK_END`` (``bot.cli.evaluate`` keeps that block when it
rewrites the file).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

from bot.cli.conversations.runner import ScenarioResult
from bot.cli.conversations.scenarios import KINDS, KnownFailure
from bot.config import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "results" / "conversations"
DOC = PROJECT_ROOT / "docs" / "conversations.md"
EVALUATION = PROJECT_ROOT / "docs" / "evaluation.md"
BLOCK_START = "<!-- conversations:start (python -m bot.cli.conversations --report; bot.cli.evaluate keeps it) -->"
BLOCK_END = "<!-- conversations:end -->"
GOAL = 0.95
RERUN = (
    "`.venv/bin/python -m bot.cli.conversations --report` (all kinds and the distress set, about 2 min; "
    "`--kind K` for one kind, `--distress-only` for the distress set alone); "
    "`.venv/bin/python -m pytest tests/conversations` runs the same scenarios as tests."
)


METHOD = [
    "## How the measure works",
    "",
    "- **Scenarios** (`tests/conversations/<kind>.yml`): a persona (or none), the turns the person types, and for "
    "each turn what the answer must contain (`says`, `said` for two needs answered over two turns, `asks`, "
    "`counsellor`, `emergency`) and must not contain (`not_says`, `in_scope`, `no_identification`, `no_amount`); "
    "`answers` means a real answer, not a deflection. Every turn also fails on a 3114 or 115 it does not expect, "
    "and on no answer at all. Checks compare lowercased text without accents; wording that has to be matched is "
    "read from `domain.yml` (`response:utter_…`). Format: `bot/cli/conversations/checks.py`.",
    "- **Figures are never typed in**: `{allowance.monthly.net:eur}`, `{next.payment_date:date}`, "
    "`{rights.end_date:date}`, `{rule.aj_minimum:eur}`… are read from the backend at run time, by identifying as "
    "the persona in a conversation of the runner's own, and formatted as the bot formats them "
    "(`bot/cli/conversations/facts.py`).",
    "- **Tickets**: after each conversation, its tickets are read from the backend with the service token. A "
    "`distress_true` scenario must have raised an urgent ticket; any other scenario with an urgent ticket is a "
    "*false urgent ticket*.",
    "- **Known failures** (`tests/conversations/known_failures.yml`): today's failing scenarios with their failure "
    "class; `pytest tests/conversations` marks them `xfail(strict=True)`, so a fixed scenario fails the suite until "
    "its line is removed, and a scenario that starts failing fails it at once. Never drop or rewrite a scenario "
    "to make it pass: fix the bot.",
    "- **Kept apart from the training data**: no distress message and no scenario sentence is a training example "
    "(`tests/conversations/test_suite_shape.py` compares them by code).",
]


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def conversation_figures(results: list[ScenarioResult], known: dict[str, KnownFailure]) -> dict:
    by_kind = {}
    for kind in KINDS:
        mine = [r for r in results if r.scenario.kind == kind]
        if mine:
            passed = sum(r.passed for r in mine)
            by_kind[kind] = {"scenarios": len(mine), "handled": passed, "share": passed / len(mine)}
    failing = [r for r in results if not r.passed]
    classes = Counter(known[r.scenario.id].failure_class for r in failing if r.scenario.id in known)
    return {
        "scenarios": len(results),
        "handled": sum(r.passed for r in results),
        "share": sum(r.passed for r in results) / len(results) if results else None,
        "by_kind": by_kind,
        "false_urgent_scenarios": [r.scenario.id for r in results if r.false_urgent],
        "false_urgent_tickets": sum(r.urgent_tickets for r in results if r.false_urgent),
        "distress_without_ticket": [
            r.scenario.id for r in results if r.scenario.urgent_ticket and not r.urgent_tickets
        ],
        "failures": [
            {
                "id": r.scenario.id,
                "kind": r.scenario.kind,
                "turn": r.first_failing_turn,
                "class": known[r.scenario.id].failure_class if r.scenario.id in known else None,
            }
            for r in failing
        ],
        "failure_classes": dict(classes.most_common()),
        "unlisted_failures": [r.scenario.id for r in failing if r.scenario.id not in known],
        "fixed_but_listed": [r.scenario.id for r in results if r.passed and r.scenario.id in known],
    }


def summary_lines(figures: dict) -> list[str]:
    lines = ["| kind | scenarios | fully handled | share |", "|---|---|---|---|"]
    for kind, row in figures["by_kind"].items():
        lines.append(f"| {kind} | {row['scenarios']} | {row['handled']} | {_pct(row['share'])} |")
    overall = f"**{figures['scenarios']}** | **{figures['handled']}** | **{_pct(figures['share'])}**"
    lines.append(f"| **overall** | {overall} |")
    return lines


def distress_lines(figures: dict) -> list[str]:
    by_label = figures["by_label"]
    lines = [
        f"{figures['messages']} messages: {by_label.get('suicidal', 0)} explicit suicidal, "
        f"{by_label.get('distress', 0)} other real distress, {figures['hard_negatives']} hard negatives.",
        "",
        "| measure | value | goal |",
        "|---|---|---|",
        f"| precision of the urgent path | {_ratio(figures['precision'])} | – |",
        f"| recall of the urgent path (suicidal + distress) | {_ratio(figures['recall'])} | – |",
        f"| recall on explicit suicidal messages | {_ratio(figures['suicidal_recall'])} | 1.000 in every language |",
        f"| recall on other real distress | {_ratio(figures['distress_recall'])} | – |",
        f"| false urgent answers on the hard negatives | {figures['false_urgent']} / {figures['hard_negatives']} | 0 |",
        "",
        "Explicit suicidal messages that reach the urgent path, per language: "
        + ", ".join(f"{lang} {v['found']}/{v['of']}" for lang, v in figures["suicidal_recall_by_language"].items())
        + f" ({figures['suicidal_prevention_intent']} of them as `express_suicidal_thoughts`, the 3114 answer).",
        "",
        "False urgent answers per group of hard negatives: "
        + ", ".join(f"{g} {v['false']}/{v['of']}" for g, v in figures["false_urgent_by_group"].items())
        + ".",
    ]
    return lines


def failure_lines(results: list[ScenarioResult], known: dict[str, KnownFailure]) -> list[str]:
    lines = []
    for result in results:
        if not result.passed:
            label = known[result.scenario.id].failure_class if result.scenario.id in known else "non listé"
            lines.append(f"[{label}] " + result.describe())
    return lines


def markdown(
    figures: dict | None,
    distress: dict | None,
    classes: dict[str, str],
    results: list[ScenarioResult],
    known: dict[str, KnownFailure],
    today: date,
    detailed: bool,
) -> str:
    lines = [
        "# Whole conversations and distress: the measure of issue 20",
        "",
        "Written by `python -m bot.cli.conversations --report` (`bot/cli/conversations/`), on the pinned day "
        f"{today.isoformat()}, through the real Rasa server, action server and backend. Rerun: " + RERUN,
        "",
    ]
    lines += METHOD + [""]
    lines += section_lines(figures, distress, classes)
    failing = [r for r in results if not r.passed]
    if detailed and results:
        lines += ["", "## Failures, turn by turn", "", "```"]
        lines += failure_lines(results, known) or ["(aucun échec)"]
        lines += ["```"]
    elif failing:
        lines += [
            "## Failing scenarios (the backlog)",
            "",
            "Each with its first failing turn; the whole conversation is in `results/conversations/latest.md` "
            "after a run.",
            "",
            "| scenario | kind | turn | class | what goes wrong |",
            "|---|---|---|---|---|",
        ]
        for result in failing:
            entry = known.get(result.scenario.id)
            what = entry.note if entry else (result.describe().split("\n")[-1].strip() or "?")
            label = entry.failure_class if entry else "not listed"
            lines.append(
                f"| `{result.scenario.id}` | {result.scenario.kind} | {result.first_failing_turn or '–'} "
                f"| {label} | {what.replace('|', '/')} |"
            )
    return "\n".join(lines) + "\n"


def section_lines(figures: dict | None, distress: dict | None, classes: dict[str, str]) -> list[str]:
    """The two sections shared by ``docs/conversations.md`` and ``docs/evaluation.md``."""
    lines: list[str] = []
    if figures:
        lines += [
            "## Whole conversations",
            "",
            f"{figures['scenarios']} multi-turn scenarios in `tests/conversations/` (one file per kind, all 14 "
            "personas), "
            "each turn checked on what the answer must and must not contain, figures resolved from the backend at run "
            "time. A scenario is *fully handled* when every turn and its tickets pass. "
            f"Goal: ≥ {_pct(GOAL)} overall and in each kind, 0 false urgent tickets.",
            "",
        ]
        lines += summary_lines(figures)
        lines += [
            "",
            f"False urgent tickets: **{figures['false_urgent_tickets']}** "
            f"(in {len(figures['false_urgent_scenarios'])} scenarios: "
            f"{', '.join(figures['false_urgent_scenarios']) or 'none'}). "
            f"Distress scenarios without an urgent ticket: {', '.join(figures['distress_without_ticket']) or 'none'}.",
            "",
        ]
        if figures["failure_classes"]:
            lines += ["Failing scenarios per failure class (`tests/conversations/known_failures.yml`):", ""]
            lines += ["| class | what | scenarios |", "|---|---|---|"]
            for key, count in figures["failure_classes"].items():
                lines.append(f"| {key} | {classes.get(key, '')} | {count} |")
            lines.append("")
        if figures["unlisted_failures"] or figures["fixed_but_listed"]:
            lines += [
                f"Not in the list of known failures: {', '.join(figures['unlisted_failures']) or 'none'}; "
                f"listed but passing now: {', '.join(figures['fixed_but_listed']) or 'none'}.",
                "",
            ]
    if distress:
        lines += [
            "## Distress precision and recall",
            "",
            "`tests/nlu/distress_eval.yml` through the trained model "
            "(`/model/parse` of the running Rasa server); the urgent path is `express_suicidal_thoughts` or "
            "`express_distress`.",
            "",
        ]
        lines += distress_lines(distress)
        lines.append("")
    return lines


def transcripts(results: list[ScenarioResult]) -> list[dict]:
    """Every conversation as it went, for whoever fixes a failure (or checks that a pass deserves it)."""
    return [
        {
            "id": r.scenario.id,
            "kind": r.scenario.kind,
            "persona": r.scenario.persona,
            "passed": r.passed,
            "error": r.error,
            "tickets": [{"reason": t.get("reason"), "priority": t.get("priority")} for t in r.tickets],
            "ticket_failures": r.ticket_failures,
            "turns": [{"user": t.user, "bot": t.answer, "failures": t.failures} for t in r.turns],
        }
        for r in results
    ]


def write_results(
    figures: dict | None,
    distress: dict | None,
    text: str,
    results: list[ScenarioResult] | None = None,
    name: str = "latest",
) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(text, encoding="utf-8")
    document = {"conversations": figures, "distress": distress, "transcripts": transcripts(results or [])}
    (RESULTS / f"{name}.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return RESULTS / f"{name}.md"


def replace_block(document: str, block: str) -> str:
    """``document`` with the conversations block replaced, or appended when it has none."""
    framed = f"{BLOCK_START}\n{block.strip()}\n{BLOCK_END}"
    pattern = re.compile(re.escape(BLOCK_START) + r".*?" + re.escape(BLOCK_END), re.S)
    if pattern.search(document):
        return pattern.sub(lambda _: framed, document)
    return document.rstrip("\n") + "\n\n" + framed + "\n"


def kept_block(document: str) -> str:
    """The conversations block of ``docs/evaluation.md`` as it stands (for ``bot.cli.evaluate``)."""
    match = re.search(re.escape(BLOCK_START) + r".*?" + re.escape(BLOCK_END), document, re.S)
    return match.group(0) if match else ""


def _old_section(document: str, title: str) -> list[str]:
    """A ``## title`` section of a document, up to the next section or the end of the block."""
    match = re.search(rf"## {re.escape(title)}\n.*?(?=\n## |\n<!-- |\Z)", document, re.S)
    return match.group(0).rstrip("\n").split("\n") + [""] if match else []


HELD_OUT_TITLE = "## The sealed held-out conversations"


BY_HAND = "<!-- written by hand: kept by --report -->"


def write_docs(text: str, figures: dict | None, distress: dict | None, classes: dict[str, str]) -> None:
    """``docs/conversations.md`` and the block of ``docs/evaluation.md``; a section this run did not
    measure (``--distress-only``) is kept as it was."""
    previous = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    held_out = re.search(rf"{re.escape(HELD_OUT_TITLE)}\n.*?(?=\n## |\Z)", previous, re.S)
    if held_out and HELD_OUT_TITLE not in text:  # written by hand from --holdout runs: kept as it is
        anchor = "## Distress precision and recall"
        kept = held_out.group(0).rstrip("\n") + "\n\n"
        text = text.replace(anchor, kept + anchor, 1) if anchor in text else text + "\n" + kept
    # Sections written by hand (the parts' own accounts, before/after figures): a heading followed by
    # BY_HAND on its first line is kept as it was, before the distress section.
    for by_hand in re.finditer(rf"\n(## [^\n]+\n{re.escape(BY_HAND)}\n.*?)(?=\n## |\Z)", previous, re.S):
        if by_hand.group(1).split("\n", 1)[0] not in text:
            anchor = "## Distress precision and recall"
            kept = by_hand.group(1).rstrip("\n") + "\n\n"
            text = text.replace(anchor, kept + anchor, 1) if anchor in text else text + "\n" + kept
    if figures is None and previous:
        fresh = "\n".join(section_lines(None, distress, classes)).rstrip("\n") + "\n"
        section = re.compile(r"## Distress precision and recall\n.*?(?=\n## |\Z)", re.S)
        text = section.sub(lambda _: fresh, previous) if section.search(previous) else previous + "\n" + fresh
    DOC.write_text(text, encoding="utf-8")
    if not EVALUATION.exists():
        return
    document = EVALUATION.read_text(encoding="utf-8")
    old = kept_block(document)
    conversations = section_lines(figures, None, classes) if figures else _old_section(old, "Whole conversations")
    urgent = section_lines(None, distress, classes) if distress else _old_section(old, "Distress precision and recall")
    block = "\n".join(
        [
            "Measured by `python -m bot.cli.conversations --report`; details, failure classes and every failure: "
            "[`conversations.md`](conversations.md).",
            "",
        ]
        + conversations
        + urgent
    )
    EVALUATION.write_text(replace_block(document, block), encoding="utf-8")
