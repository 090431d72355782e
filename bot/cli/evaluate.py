"""NLU evaluation: cross-validation on the training data and the independent held-out set.

``python -m bot.cli.evaluate`` writes ``docs/evaluation.md`` (and the confusion
matrix image beside it in ``docs/evaluation/``): per-intent F1 in 5-fold
cross-validation, held-out accuracy per intent, the fallback rate, and whether
out-of-scope messages stay out of the allowance answers. ``--skip-cv`` reuses
the last cross-validation (it retrains five times).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from bot.cli.training import MODEL_PATH, quiet_env, train_if_stale
from bot.config import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "results" / "evaluation"
DOCS = PROJECT_ROOT / "docs"
HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
OUT_OF_SCOPE = {"out_of_scope", "ask_other_benefit"}
ALLOWANCE_ANSWERS = {
    "ask_allowance_amount", "ask_payment_date", "report_missing_payment", "ask_amount_difference",
    "ask_rights_duration", "ask_declaration_window", "check_declaration_status", "report_missed_declaration",
    "ask_how_to_declare_work", "simulate_earnings", "ask_overpayment", "contest_decision",
}


def load_examples(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text())
    examples = []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append((line[2:].strip(), block["intent"]))
    return examples


def cross_validation(folds: int) -> dict:
    out = RESULTS / "cross_validation"
    shutil.rmtree(out, ignore_errors=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "rasa", "test", "nlu", "--nlu", "data/nlu", "--config", "config.yml",
                    "--cross-validation", "--folds", str(folds), "--out", str(out)],
                   cwd=PROJECT_ROOT, check=True, env=quiet_env(), stdout=subprocess.DEVNULL)
    report = json.loads((out / "intent_report.json").read_text())
    report["_seconds"] = time.monotonic() - started
    return report


async def _parse_all(texts: list[str]) -> list[dict]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)

    agent = Agent.load(str(MODEL_PATH))
    return [await agent.parse_message(text) for text in texts]


def held_out() -> dict:
    examples = load_examples(HELDOUT)
    parsed = asyncio.run(_parse_all([text for text, _ in examples]))
    per_intent: dict[str, Counter] = defaultdict(Counter)
    errors, fallback, oos_leaks = [], 0, []
    for (text, expected), result in zip(examples, parsed, strict=True):
        predicted = result["intent"]["name"]
        per_intent[expected]["total"] += 1
        if predicted == "nlu_fallback":
            fallback += 1
        if predicted == expected:
            per_intent[expected]["correct"] += 1
        else:
            errors.append((text, expected, predicted, result["intent"]["confidence"]))
        if expected in OUT_OF_SCOPE and predicted in ALLOWANCE_ANSWERS:
            oos_leaks.append((text, predicted))
    correct = sum(c["correct"] for c in per_intent.values())
    return {"total": len(examples), "correct": correct, "accuracy": correct / len(examples),
            "fallback": fallback, "per_intent": per_intent, "errors": errors, "oos_leaks": oos_leaks,
            "oos_total": sum(per_intent[i]["total"] for i in OUT_OF_SCOPE)}


def write_report(cv: dict | None, heldout: dict) -> Path:
    lines = ["# NLU evaluation", "",
             "Written by `python -m bot.cli.evaluate` (see `bot/cli/evaluate.py`). Pipeline: `config.yml`.", ""]
    if cv:
        macro = cv["macro avg"]
        lines += ["## Cross-validation on the training data (5 folds)", "",
                  f"Macro F1 **{macro['f1-score']:.3f}**, weighted F1 {cv['weighted avg']['f1-score']:.3f}, "
                  f"accuracy {cv['accuracy']:.3f} ({cv['_seconds']:.0f} s for the five trainings).", "",
                  "| intent | precision | recall | F1 | examples |", "|---|---|---|---|---|"]
        for intent, scores in sorted(cv.items()):
            if isinstance(scores, dict) and "f1-score" in scores and intent not in ("macro avg", "weighted avg",
                                                                                    "micro avg"):
                lines.append(f"| {intent} | {scores['precision']:.3f} | {scores['recall']:.3f} | "
                             f"{scores['f1-score']:.3f} | {scores['support']} |")
        image = RESULTS / "cross_validation" / "intent_confusion_matrix.png"
        if image.exists():
            (DOCS / "evaluation").mkdir(parents=True, exist_ok=True)
            shutil.copy(image, DOCS / "evaluation" / "intent_confusion_matrix.png")
            lines += ["", "![Confusion matrix (cross-validation)](evaluation/intent_confusion_matrix.png)"]
    lines += ["", "## Held-out set (`tests/nlu/heldout.yml`, written apart from the training data)", "",
              f"Accuracy **{heldout['accuracy']:.3f}** ({heldout['correct']} / {heldout['total']}); "
              f"sent to the clarification fallback: {heldout['fallback']} "
              f"({heldout['fallback'] / heldout['total']:.1%}).", "",
              f"Out-of-scope and other-benefit messages answered as an allowance question: "
              f"**{len(heldout['oos_leaks'])} / {heldout['oos_total']}**.", "",
              "| intent | correct | total | accuracy |", "|---|---|---|---|"]
    for intent, counts in sorted(heldout["per_intent"].items()):
        lines.append(f"| {intent} | {counts['correct']} | {counts['total']} | "
                     f"{counts['correct'] / counts['total']:.2f} |")
    if heldout["errors"]:
        lines += ["", "### Held-out errors", "", "| message | expected | predicted | confidence |",
                  "|---|---|---|---|"]
        for text, expected, predicted, confidence in heldout["errors"]:
            lines.append(f"| {text.replace('|', '/')} | {expected} | {predicted} | {confidence:.2f} |")
    report = DOCS / "evaluation.md"
    report.write_text("\n".join(lines) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Évalue la compréhension (NLU) et écrit docs/evaluation.md.")
    parser.add_argument("--skip-cv", action="store_true", help="ne pas refaire la validation croisée")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    train_if_stale()
    cv = None
    cached = RESULTS / "cross_validation" / "intent_report.json"
    if not args.skip_cv:
        cv = cross_validation(args.folds)
    elif cached.exists():
        cv = json.loads(cached.read_text())
        cv.setdefault("_seconds", 0)
    heldout = held_out()
    report = write_report(cv, heldout)
    if cv:
        print(f"validation croisée : F1 macro {cv['macro avg']['f1-score']:.3f}")
    print(f"jeu de test indépendant : exactitude {heldout['accuracy']:.3f}, repli {heldout['fallback']}, "
          f"hors-sujet mal routés {len(heldout['oos_leaks'])}/{heldout['oos_total']}")
    print(f"→ {report.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
