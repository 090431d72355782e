"""Every figure the bot says comes from the backend: the sentences the actions keep as constants name no
amount, duration or threshold of their own, only the public service numbers a person calls.

A rule figure typed in an action (« au moins 5 ans dans les 10 dernières années », « 910 heures ») is
not dated, not sourced and not changed when the rules change; the backend's parameters and the knowledge
base (filled from them) are. Regular expressions, which read what the person writes, are not sentences.
"""

from __future__ import annotations

import ast
import re

import pytest

from bot.common.config import PROJECT_ROOT

pytestmark = pytest.mark.unit

# The numbers a person is told to call or to type: France Travail (3949, 3995 for the declaration), suicide
# prevention (3114), emergency shelter (115), emergencies (112, 15, 17, 18), and the keypad's choices.
SERVICE_NUMBERS = {"3949", "3995", "3114", "115", "112", "15", "17", "18", "1", "2"}


def said_constants() -> list[tuple[str, int, str]]:
    """(file, line, text) of each string in a module-level assignment of actions/ that is not a regex."""
    found = []
    for path in sorted((PROJECT_ROOT / "actions").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, (ast.Assign, ast.AnnAssign)):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and "\\" not in sub.value:
                    found.append((path.name, node.lineno, sub.value))
    return found


def test_the_scan_sees_the_actions_sentences():
    texts = [text for _, _, text in said_constants()]
    assert any("conseiller" in text for text in texts)  # the scan reads the sentences it is meant to check


def test_no_action_sentence_types_a_figure_of_its_own():
    typed = [
        f"{name}:{line}: {number!r} in {text[:80]!r}"
        for name, line, text in said_constants()
        for number in re.findall(r"\d+(?:[.,]\d+)?", text)
        if number not in SERVICE_NUMBERS
    ]
    assert not typed, "Figures typed in actions (they must come from the backend):\n" + "\n".join(typed)
