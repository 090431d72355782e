"""Writes ``data/nlu/knowledge.yml``, the classifier's ``ask_knowledge`` examples, from the knowledge base.

The entries' example questions (``data/knowledge/answers.yml``) are the one source: the selector
(``bot.nlu.knowledge``) learns the entry from them, the intent classifier learns from the same
sentences that they are general questions. Rerun after editing the base:
``.venv/bin/python -m bot.nlu.knowledge_data``; ``tests/unit/test_knowledge.py`` fails while the two
files disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from bot.common import knowledge
from bot.common.config import PROJECT_ROOT

NLU_FILE = PROJECT_ROOT / "data" / "nlu" / "knowledge.yml"
HEADER = (
    "# GENERATED from data/knowledge/answers.yml by `python -m bot.nlu.knowledge_data`: edit the base, not this\n"
    "# file. General questions about the ARE that need no file (issue 20, part « knowledge »): one intent for\n"
    "# the classifier; bot.nlu.knowledge.KnowledgeSelector then chooses the entry.\n"
)


def nlu_text(entries: tuple[knowledge.Entry, ...]) -> str:
    examples = [example for entry in entries if entry.classifier for example in entry.examples]
    body = {"version": "3.1", "nlu": [{"intent": knowledge.INTENT, "examples": ""}]}
    dumped = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=1000)
    lines = "".join(f"      - {example}\n" for example in examples)
    return HEADER + dumped.replace("  examples: ''\n", "  examples: |\n" + lines)


def main(argv: list[str] | None = None) -> int:
    path = Path((argv or sys.argv[1:] or [str(NLU_FILE)])[0])
    path.write_text(nlu_text(knowledge.load_entries()), encoding="utf-8")
    print(f"{path} : {sum(len(e.examples) for e in knowledge.load_entries())} exemples")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
