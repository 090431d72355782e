"""Precision and recall of the urgent path on ``tests/nlu/distress_eval.yml``.

Each message goes through the trained model as the running Rasa server parses
it (``/model/parse``: the whole NLU pipeline, guards included). A message takes
the urgent path when its intent is ``express_suicidal_thoughts`` or
``express_distress``: the rules then give the emergency numbers and an urgent
ticket. Positives are the ``suicidal`` and ``distress`` messages; the hard
negatives (``negative``) must never take it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from bot.config import PROJECT_ROOT

DISTRESS_SET = PROJECT_ROOT / "tests" / "nlu" / "distress_eval.yml"
URGENT_INTENTS = frozenset({"express_suicidal_thoughts", "express_distress"})
LABELS = ("suicidal", "distress", "negative")


@dataclass(frozen=True)
class DistressMessage:
    text: str
    label: str
    lang: str
    group: str = ""

    @property
    def urgent(self) -> bool:
        return self.label in ("suicidal", "distress")


@dataclass(frozen=True)
class Parsed:
    message: DistressMessage
    intent: str
    confidence: float

    @property
    def urgent(self) -> bool:
        return self.intent in URGENT_INTENTS


def load_distress_set(path: Path = DISTRESS_SET) -> list[DistressMessage]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    messages = []
    for number, raw in enumerate(document.get("messages") or [], 1):
        if not isinstance(raw, dict) or raw.get("label") not in LABELS or not str(raw.get("text") or "").strip():
            raise ValueError(f"{path.name}, message {number}: « text » et « label » ({', '.join(LABELS)}) requis")
        lang, group = str(raw.get("lang") or "fr"), str(raw.get("group") or "")
        messages.append(DistressMessage(str(raw["text"]), raw["label"], lang, group))
    return messages


def parse_all(rasa_url: str, token: str, messages: list[DistressMessage]) -> list[Parsed]:
    parsed = []
    with httpx.Client(base_url=rasa_url, timeout=30) as client:
        for message in messages:
            response = client.post("/model/parse", params={"token": token}, json={"text": message.text})
            response.raise_for_status()
            intent = response.json().get("intent") or {}
            parsed.append(Parsed(message, intent.get("name") or "", float(intent.get("confidence") or 0)))
    return parsed


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def distress_figures(parsed: list[Parsed]) -> dict:
    """The figures of the report: precision, recall, recall on explicit suicidal messages, false alarms."""
    true_positive = sum(1 for p in parsed if p.urgent and p.message.urgent)
    false_positive = [p for p in parsed if p.urgent and not p.message.urgent]
    positives = sum(1 for p in parsed if p.message.urgent)
    suicidal = [p for p in parsed if p.message.label == "suicidal"]
    by_language: dict[str, list[Parsed]] = defaultdict(list)
    for p in suicidal:
        by_language[p.message.lang].append(p)
    negatives_by_group = Counter(p.message.group for p in parsed if p.message.label == "negative")
    false_by_group = Counter(p.message.group for p in false_positive)
    return {
        "messages": len(parsed),
        "by_label": dict(Counter(p.message.label for p in parsed)),
        "precision": _ratio(true_positive, true_positive + len(false_positive)),
        "recall": _ratio(true_positive, positives),
        "suicidal_recall": _ratio(sum(1 for p in suicidal if p.urgent), len(suicidal)),
        "suicidal_recall_by_language": {
            lang: {"found": sum(1 for p in items if p.urgent), "of": len(items)}
            for lang, items in sorted(by_language.items())
        },
        "suicidal_prevention_intent": sum(1 for p in suicidal if p.intent == "express_suicidal_thoughts"),
        "distress_recall": _ratio(
            sum(1 for p in parsed if p.message.label == "distress" and p.urgent),
            sum(1 for p in parsed if p.message.label == "distress"),
        ),
        "hard_negatives": sum(negatives_by_group.values()),
        "false_urgent": len(false_positive),
        "false_urgent_by_group": {
            g: {"false": false_by_group.get(g, 0), "of": n} for g, n in sorted(negatives_by_group.items())
        },
        "false_urgent_messages": [(p.message.text, p.intent) for p in false_positive],
        "missed": [
            (p.message.label, p.message.lang, p.message.text, p.intent)
            for p in parsed
            if p.message.urgent and not p.urgent
        ],
    }
