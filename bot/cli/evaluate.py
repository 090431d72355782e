"""NLU and dialogue evaluation: writes ``docs/evaluation.md``.

``python -m bot.cli.evaluate`` measures, with the pipeline of ``config.yml``:

- **cross-validation on the training data** (5 stratified folds, seed 42): per-intent
  precision/recall/F1 of the intent classifier and its confusion matrix
  (``docs/evaluation/intent_confusion_matrix.png``). The folds are trained and
  parsed with Rasa's own ``train_nlu`` and ``Agent``, like ``rasa test nlu
  --cross-validation``, with two differences: the folds are seeded (Rasa's are
  not, so two runs would not give the same figures) and the whole intent ranking
  of every message is kept, which the fallback calibration needs;
- **the fallback thresholds**: from the cross-validated rankings, the
  ``FallbackClassifier`` threshold and ambiguity threshold that minimise
  ``WRONG_ANSWER_COST`` × wrong answers + clarifying questions (a table of the
  candidates goes into the report, so the choice in ``config.yml`` can be checked);
- **the held-out set** ``tests/nlu/heldout.yml`` (written apart from the training
  data, never used for tuning): accuracy per intent, fallback rate, and how many
  out-of-scope or other-benefit messages would get an allowance answer. Only
  aggregate figures are written: the held-out messages and their errors are never
  printed, so that nobody tunes the data on them by accident;
- **the conversation tests** ``tests/stories`` (``rasa test core``): stories,
  correct, failed;
- near-duplicate training examples (a template explosion inflates
  cross-validation without teaching anything).

``--skip-cv`` reuses the last cross-validation predictions (the five trainings
take a few minutes), ``--folds`` changes the number of folds. ``--cv-only`` runs the
cross-validation alone and prints its figures without touching the held-out set or
the report: the way to compare changes while tuning; with ``--errors`` it also prints the
misclassified training examples (expected → predicted, confidence, text).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import product
from pathlib import Path
from typing import Any

import yaml

from bot import rasa_runtime
from bot.cli.training import MODEL_PATH, quiet_env, train_if_stale
from bot.common import needs
from bot.common.config import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "results" / "evaluation"
CV_PREDICTIONS = RESULTS / "cv_predictions.json"
DOCS = PROJECT_ROOT / "docs"
CONFUSION_IMAGE = DOCS / "evaluation" / "intent_confusion_matrix.png"
CONFIG = PROJECT_ROOT / "config.yml"
NLU_DATA = PROJECT_ROOT / "data" / "nlu"
HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
STORIES = PROJECT_ROOT / "tests" / "stories"
SEED = 42
FALLBACK = "nlu_fallback"
# A wrong answer costs more than a clarifying question: the person has to notice
# that the answer is about something else, then rephrase anyway. Twice as much is
# the ratio the thresholds are chosen with.
WRONG_ANSWER_COST = 2.0
THRESHOLDS = [round(0.05 + 0.01 * i, 2) for i in range(46)]  # 0.05 … 0.50
AMBIGUITY_THRESHOLDS = [0.0, 0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25]
# The evaluation's groups come from the catalogue: a leak is an out-of-scope or other-benefit
# message that gets an allowance answer.
OUT_OF_SCOPE = needs.ELSEWHERE_INTENTS
ALLOWANCE_ANSWERS = needs.ALLOWANCE_INTENTS


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs of a Rasa YAML NLU file (plain examples, no entity markup)."""
    data = yaml.safe_load(path.read_text())
    examples = []
    for block in data["nlu"]:
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append((line[2:].strip(), block["intent"]))
    return examples


def configured_thresholds(config: Path = CONFIG) -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of the FallbackClassifier in config.yml."""
    for component in yaml.safe_load(config.read_text())["pipeline"]:
        if component["name"] == "FallbackClassifier":
            return float(component.get("threshold", 0.3)), float(component.get("ambiguity_threshold", 0.1))
    return 0.0, 0.0


# --- predictions ------------------------------------------------------------------------------------------------


def _prediction(expected: str, result: dict) -> dict:
    """What the evaluation keeps of one parse: the classifier's ranking without the fallback."""
    ranking = [r for r in result.get("intent_ranking", []) if r["name"] != FALLBACK]
    top: dict[str, Any] = ranking[0] if ranking else {"name": None, "confidence": 0.0}
    second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
    return {
        "expected": expected,
        "predicted": top["name"],
        "confidence": float(top["confidence"]),
        "second": float(second),
        "final": result["intent"]["name"],
    }


async def _cross_validation(folds: int) -> list[dict]:
    import logging

    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from rasa.utils.log_utils import configure_structlog
    from sklearn.model_selection import StratifiedKFold

    configure_structlog(logging.WARNING)
    data = load_data(str(NLU_DATA))
    examples = data.intent_examples
    labels = [example.get("intent") for example in examples]
    predictions: list[dict] = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for fold, (train_index, test_index) in enumerate(splitter.split(examples, labels), start=1):
        print(f"  pli {fold}/{folds}…", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            train = TrainingData(
                training_examples=[examples[i] for i in train_index],
                entity_synonyms=data.entity_synonyms,
                regex_features=data.regex_features,
                lookup_tables=data.lookup_tables,
            )
            RasaYAMLWriter().dump(Path(tmp) / "train.yml", train)
            model = train_nlu(str(CONFIG), str(Path(tmp) / "train.yml"), tmp)
            agent = Agent.load(model)
            for i in test_index:
                result = await agent.parse_message(examples[i].get("text"))
                predictions.append({**_prediction(labels[i], result), "text": examples[i].get("text"), "fold": fold})
    return predictions


def cross_validation(folds: int) -> dict:
    started = time.monotonic()
    predictions = asyncio.run(_cross_validation(folds))
    run = {"folds": folds, "seconds": time.monotonic() - started, "predictions": predictions}
    RESULTS.mkdir(parents=True, exist_ok=True)
    CV_PREDICTIONS.write_text(json.dumps(run, ensure_ascii=False, indent=1))
    return run


async def _parse_all(texts: list[str]) -> list[dict]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(MODEL_PATH))
    return [await agent.parse_message(text) for text in texts]


def held_out() -> list[dict]:
    """Predictions of the trained model on the held-out set (kept in memory, never written)."""
    examples = load_examples(HELDOUT)
    parsed = asyncio.run(_parse_all([text for text, _ in examples]))
    return [_prediction(expected, result) for (_, expected), result in zip(examples, parsed, strict=True)]


# --- measures ---------------------------------------------------------------------------------------------------


def with_thresholds(predictions: list[dict], threshold: float, ambiguity: float) -> list[str]:
    """The final intent of each prediction under the FallbackClassifier's rule."""
    return [
        FALLBACK if p["confidence"] < threshold or p["confidence"] - p["second"] < ambiguity else p["predicted"]
        for p in predictions
    ]


def outcome(predictions: list[dict], finals: list[str]) -> dict:
    total = len(predictions)
    fallback = sum(final == FALLBACK for final in finals)
    wrong = sum(final not in (FALLBACK, p["expected"]) for p, final in zip(predictions, finals, strict=True))
    leaks = sum(
        p["expected"] in OUT_OF_SCOPE and final in ALLOWANCE_ANSWERS
        for p, final in zip(predictions, finals, strict=True)
    )
    return {
        "total": total,
        "fallback": fallback,
        "wrong": wrong,
        "right": total - fallback - wrong,
        "leaks": leaks,
        "oos_total": sum(p["expected"] in OUT_OF_SCOPE for p in predictions),
        "cost": WRONG_ANSWER_COST * wrong + fallback,
    }


def calibrate(predictions: list[dict]) -> list[tuple[float, float, dict]]:
    """Every (threshold, ambiguity) candidate with its outcome, cheapest first.

    Among equally cheap candidates, the highest threshold first: it costs nothing on the
    training data and asks rather than guesses on messages unlike any of them (gibberish)."""
    candidates = [
        (t, a, outcome(predictions, with_thresholds(predictions, t, a)))
        for t, a in product(THRESHOLDS, AMBIGUITY_THRESHOLDS)
    ]
    return sorted(candidates, key=lambda c: (c[2]["cost"], -c[0], c[1]))


def intent_report(predictions: list[dict]) -> dict:
    from sklearn.metrics import classification_report

    y_true = [p["expected"] for p in predictions]
    y_pred = [p["predicted"] for p in predictions]
    return classification_report(y_true, y_pred, labels=sorted(set(y_true)), output_dict=True, zero_division=0)


def confusion_image(predictions: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from rasa.utils.plotting import plot_confusion_matrix
    from sklearn.metrics import confusion_matrix

    labels = sorted({p["expected"] for p in predictions} | {p["predicted"] for p in predictions})
    matrix = confusion_matrix(
        [p["expected"] for p in predictions], [p["predicted"] for p in predictions], labels=labels
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    plot_confusion_matrix(
        matrix, classes=labels, title="Intent confusion matrix (cross-validation)", output_file=str(path)
    )


def near_duplicates(examples: list[tuple[str, str]]) -> Counter:
    """Per intent, examples that differ from another one of the same intent by at most one word.

    "combien pour mars", "combien pour avril", "combien pour mai"… are one example
    for the classifier and a free point in cross-validation."""
    from bot.nlu.normalizer import normalize

    buckets: dict[tuple, set[int]] = defaultdict(set)
    words = [tuple(w for w in normalize(text).split() if w not in "?!.,;:") for text, _ in examples]
    for index, tokens in enumerate(words):
        if len(tokens) < 3:
            continue  # short answers ("oui", "et en mai ?") are legitimately alike
        buckets[(examples[index][1], tokens)].add(index)
        for position in range(len(tokens)):
            buckets[(examples[index][1], tokens[:position] + ("*",) + tokens[position + 1 :])].add(index)
    flagged = set()
    for members in buckets.values():
        if len(members) > 1:
            flagged |= set(sorted(members)[1:])
    return Counter(examples[index][1] for index in flagged)


def conversation_tests() -> dict:
    """``rasa test core`` on tests/stories with the trained model: stories, correct, failed."""
    out = RESULTS / "stories"
    completed = subprocess.run(
        rasa_runtime.command(
            "test", "core", "--stories", str(STORIES), "--model", str(MODEL_PATH), "--out", str(out), "--no-plot"
        ),
        cwd=PROJECT_ROOT,
        env=quiet_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    report_path = out / "story_report.json"
    if completed.returncode != 0 or not report_path.exists():
        return {"error": completed.stderr.strip().splitlines()[-1:] or ["rasa test core a échoué"]}
    report = json.loads(report_path.read_text())
    failed_file = yaml.safe_load((out / "failed_test_stories.yml").read_text()) or {}
    failed = (
        [story.get("story", "?") for story in failed_file.get("stories", [])] if isinstance(failed_file, dict) else []
    )
    conversation = report["conversation_accuracy"]
    return {
        "total": conversation["total"],
        "correct": conversation["correct"],
        "failed": failed,
        "action_accuracy": report["accuracy"],
        "actions": report["macro avg"]["support"],
    }


# --- report -----------------------------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def _cv_section(run: dict, configured: tuple[float, float]) -> list[str]:
    predictions = run["predictions"]
    report = intent_report(predictions)
    confusion_image(predictions, CONFUSION_IMAGE)
    macro = report["macro avg"]
    total = len(predictions)
    lines = [
        f"## Cross-validation on the training data ({run['folds']} folds)",
        "",
        f"{total} examples, {run['folds']} stratified folds (seed {SEED}); each fold is trained with Rasa's "
        f"`train_nlu` on `config.yml` and parsed with Rasa's `Agent` ({run['seconds']:.0f} s in all). "
        "Scores of the intent classifier itself (the top intent, before the fallback).",
        "",
        f"Macro F1 **{macro['f1-score']:.3f}**, weighted F1 {report['weighted avg']['f1-score']:.3f}, "
        f"accuracy {report['accuracy']:.3f}.",
        "",
        "| intent | precision | recall | F1 | examples |",
        "|---|---|---|---|---|",
    ]
    for intent in sorted(k for k in report if k not in ("accuracy", "macro avg", "weighted avg", "micro avg")):
        scores = report[intent]
        lines.append(
            f"| {intent} | {scores['precision']:.3f} | {scores['recall']:.3f} | "
            f"{scores['f1-score']:.3f} | {int(scores['support'])} |"
        )
    confusions = Counter((p["expected"], p["predicted"]) for p in predictions if p["expected"] != p["predicted"])
    lines += [
        "",
        "Most frequent confusions (expected → predicted): "
        + ", ".join(f"{a} → {b} ({n})" for (a, b), n in confusions.most_common(8))
        + ".",
        "",
        f"![Confusion matrix (cross-validation)](evaluation/{CONFUSION_IMAGE.name})",
        "",
    ]

    candidates = calibrate(predictions)
    best_t, best_a, best = candidates[0]
    now = outcome(predictions, with_thresholds(predictions, *configured))
    lines += [
        "## Fallback thresholds (from the cross-validation)",
        "",
        f"A message goes to the clarifying question when the top intent's confidence is below the threshold "
        f"or less than the ambiguity threshold above the second intent. Each candidate is scored on the "
        f"cross-validated rankings with cost = {WRONG_ANSWER_COST:g} × wrong answers + clarifying questions.",
        "",
        "| threshold | ambiguity | clarifying questions | wrong answers | right answers | out-of-scope leaks | cost |",
        "|---|---|---|---|---|---|---|",
    ]
    shown = candidates[:5] + [c for c in candidates if (c[0], c[1]) == configured and c not in candidates[:5]]
    for t, a, o in shown:
        mark = " (config.yml)" if (t, a) == configured else ""
        lines.append(
            f"| {t:.2f}{mark} | {a:.2f} | {o['fallback']} ({_pct(o['fallback'], o['total'])}) | "
            f"{o['wrong']} ({_pct(o['wrong'], o['total'])}) | {o['right']} | {o['leaks']} | {o['cost']:g} |"
        )
    for label, t in ((" (no fallback)", 0.0), ("", 0.30), ("", 0.40)):
        o = outcome(predictions, with_thresholds(predictions, t, 0.0))
        lines.append(
            f"| {t:.2f}{label} | 0.00 | {o['fallback']} ({_pct(o['fallback'], o['total'])}) | "
            f"{o['wrong']} ({_pct(o['wrong'], o['total'])}) | {o['right']} | {o['leaks']} | {o['cost']:g} |"
        )
    answered = now["total"] - now["fallback"]
    lines += [
        "",
        f"Best candidate: threshold {best_t:.2f}, ambiguity {best_a:.2f}. `config.yml` uses "
        f"{configured[0]:.2f} / {configured[1]:.2f}: in cross-validation, **{_pct(now['fallback'], now['total'])}"
        f"** of the messages get a clarifying question (fallback rate), {_pct(now['right'], answered)} of the "
        f"others are answered on the right need, and {now['leaks']} of {now['oos_total']} out-of-scope or "
        "other-benefit messages would get an allowance answer.",
        "",
    ]
    return lines


def _heldout_section(predictions: list[dict], configured: tuple[float, float]) -> list[str]:
    total = len(predictions)
    finals = [p["final"] for p in predictions]
    o = outcome(predictions, finals)
    per_intent: dict[str, Counter] = defaultdict(Counter)
    for p, final in zip(predictions, finals, strict=True):
        per_intent[p["expected"]]["total"] += 1
        per_intent[p["expected"]]["correct"] += final == p["expected"]
        per_intent[p["expected"]]["fallback"] += final == FALLBACK
    raw = sum(p["predicted"] == p["expected"] for p in predictions)
    lines = [
        "## Held-out set (`tests/nlu/heldout.yml`, written apart from the training data)",
        "",
        "Messages in other phrasings and with typos, written before any tuning and never used to tune. "
        "Only aggregate figures are shown, so that the set stays held out.",
        "",
        f"Accuracy **{o['right'] / total:.3f}** ({o['right']} / {total}; a clarifying question counts as "
        f"an error). Sent to the clarifying question (fallback rate): {o['fallback']} "
        f"({_pct(o['fallback'], total)}); answered on a wrong need: {o['wrong']} ({_pct(o['wrong'], total)}). "
        f"Top intent of the classifier, without the fallback: {raw / total:.3f}.",
        "",
        f"Out-of-scope and other-benefit messages answered as an allowance question: "
        f"**{o['leaks']} / {o['oos_total']}**.",
        "",
        "| intent | correct | fallback | total | accuracy |",
        "|---|---|---|---|---|",
    ]
    for intent, counts in sorted(per_intent.items()):
        lines.append(
            f"| {intent} | {counts['correct']} | {counts['fallback']} | {counts['total']} | "
            f"{counts['correct'] / counts['total']:.2f} |"
        )
    return lines + [""]


def _stories_section(stories: dict) -> list[str]:
    lines = ["## Conversation tests (`rasa test core --stories tests/stories`)", ""]
    if "error" in stories:
        return lines + [f"Not run: {' '.join(stories['error'])}", ""]
    lines.append(
        f"{stories['total']} test stories: **{stories['correct']} correct**, {len(stories['failed'])} "
        f"failed; {stories['actions']} predicted actions, accuracy {stories['action_accuracy']:.3f}."
    )
    if stories["failed"]:
        lines.append("Failed: " + ", ".join(stories["failed"]) + " (see `results/evaluation/stories/`).")
    return lines + [""]


def _data_section(examples: list[tuple[str, str]]) -> list[str]:
    counts = Counter(intent for _, intent in examples)
    duplicates = near_duplicates(examples)
    return [
        "## Training data",
        "",
        f"{len(examples)} examples for {len(counts)} intents in `data/nlu/` (fewest: "
        f"{min(counts.values())}, {min(counts, key=counts.__getitem__)}). Examples that differ from another one of the "
        f"same intent by a single word (possible template explosion): {sum(duplicates.values())}"
        + (" (" + ", ".join(f"{i} {n}" for i, n in duplicates.most_common(5)) + ")" if duplicates else "")
        + ".",
        "",
    ]


def write_report(cv: dict | None, heldout: list[dict], stories: dict | None) -> Path:
    configured = configured_thresholds()
    examples = [e for path in sorted(NLU_DATA.glob("*.yml")) for e in load_examples(path)]
    lines = [
        "# NLU and dialogue evaluation",
        "",
        "Written by `.venv/bin/python -m bot.cli.evaluate` (`bot/cli/evaluate.py`); pipeline and thresholds: "
        "`config.yml`; method: [`nlu.md`](nlu.md).",
        "",
    ]
    lines += _data_section(examples)
    if cv:
        lines += _cv_section(cv, configured)
    lines += _heldout_section(heldout, configured)
    if stories:
        lines += _stories_section(stories)
    report = DOCS / "evaluation.md"
    # The whole-conversation and distress sections are written by bot.cli.conversations: kept as they are.
    kept = (
        re.search(r"<!-- conversations:start.*?<!-- conversations:end -->", report.read_text(), re.S)
        if report.exists()
        else None
    )
    report.write_text("\n".join(lines) + (f"\n\n{kept.group(0)}\n" if kept else ""))
    return report


def cv_errors(predictions: list[dict]) -> list[str]:
    """The misclassified training examples of the cross-validation, grouped by expected → predicted
    (training data only: the held-out set never goes through here)."""
    wrong = sorted(
        (p for p in predictions if p["expected"] != p["predicted"]),
        key=lambda p: (p["expected"], p["predicted"], -p["confidence"]),
    )
    return [f"  {p['expected']} → {p['predicted']} ({p['confidence']:.2f}) : {p.get('text', '?')}" for p in wrong]


def _cv_only(folds: int, errors: bool = False) -> int:
    """Cross-validation figures on stdout; the held-out set is neither loaded nor parsed."""
    print(f"→ validation croisée ({folds} plis)…", flush=True)
    predictions = cross_validation(folds)["predictions"]
    if errors:
        print("\n".join(cv_errors(predictions)))
    report = intent_report(predictions)
    for intent in sorted(report, key=lambda k: report[k]["f1-score"] if isinstance(report[k], dict) else 2):
        if intent not in ("accuracy", "macro avg", "weighted avg", "micro avg"):
            print(f"  {intent:28} F1 {report[intent]['f1-score']:.3f}")
    o = outcome(predictions, with_thresholds(predictions, *configured_thresholds()))
    best_t, best_a, _ = calibrate(predictions)[0]
    print(
        f"validation croisée : F1 macro {report['macro avg']['f1-score']:.3f} ; repli {o['fallback']}/{o['total']}, "
        f"réponses fausses {o['wrong']}, hors-sujet mal routés {o['leaks']}/{o['oos_total']} ; "
        f"seuils conseillés {best_t:.2f} / {best_a:.2f}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Évalue la compréhension (NLU) et les histoires de test, et écrit docs/evaluation.md."
    )
    parser.add_argument("--skip-cv", action="store_true", help="reprendre la dernière validation croisée")
    parser.add_argument("--skip-stories", action="store_true", help="ne pas lancer rasa test core")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--cv-only",
        action="store_true",
        help="validation croisée seule, affichée sans jeu de test indépendant ni rapport (réglages)",
    )
    parser.add_argument(
        "--errors",
        action="store_true",
        help="avec --cv-only : afficher les exemples d'entraînement mal classés en validation croisée",
    )
    args = parser.parse_args(argv)
    if args.cv_only:
        return _cv_only(args.folds, args.errors)
    cv: dict[str, Any] | None = None
    if not args.skip_cv:
        print(f"→ validation croisée ({args.folds} plis)…", flush=True)
        cv = cross_validation(args.folds)  # trains its own fold models, not the shared one
    elif CV_PREDICTIONS.exists():
        cv = json.loads(CV_PREDICTIONS.read_text())
    train_if_stale()
    print("→ jeu de test indépendant…", flush=True)
    heldout = held_out()
    stories = None
    if not args.skip_stories:
        print("→ histoires de test (rasa test core)…", flush=True)
        stories = conversation_tests()
    report = write_report(cv, heldout, stories)
    if cv:
        predictions = cv["predictions"]
        best_t, best_a, _ = calibrate(predictions)[0]
        print(
            f"validation croisée : F1 macro {intent_report(predictions)['macro avg']['f1-score']:.3f} ; "
            f"seuils conseillés {best_t:.2f} / {best_a:.2f} (config.yml : "
            f"{'/'.join(f'{x:.2f}' for x in configured_thresholds())})"
        )
    o = outcome(heldout, [p["final"] for p in heldout])
    print(
        f"jeu de test indépendant : exactitude {o['right'] / o['total']:.3f}, repli {o['fallback']}/{o['total']}, "
        f"hors-sujet mal routés {o['leaks']}/{o['oos_total']}"
    )
    if stories and "error" not in stories:
        print(f"histoires de test : {stories['correct']}/{stories['total']} correctes")
    print(f"→ {report.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
