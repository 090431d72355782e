"""The report: its block in docs/evaluation.md survives both commands that write that file."""

from __future__ import annotations

from datetime import date

from bot.cli import evaluate
from bot.cli.conversations import report

TODAY = date(2026, 11, 22)


def test_the_block_is_replaced_not_duplicated():
    once = report.replace_block("# NLU and dialogue evaluation\n", "## Whole conversations\n\n41 %")
    twice = report.replace_block(once, "## Whole conversations\n\n95 %")
    assert twice.count(report.BLOCK_START) == 1
    assert "95 %" in twice and "41 %" not in twice
    assert report.kept_block(twice).endswith(report.BLOCK_END)


def test_the_evaluate_command_keeps_the_block(tmp_path, monkeypatch):
    (tmp_path / "evaluation.md").write_text(report.replace_block("# old\n", "## Whole conversations\n\n41 %"))
    monkeypatch.setattr(evaluate, "DOCS", tmp_path)
    monkeypatch.setattr(evaluate, "_heldout_section", lambda predictions, configured: ["## Held-out set", ""])
    evaluate.write_report(None, [], None)
    written = (tmp_path / "evaluation.md").read_text()
    assert written.startswith("# NLU and dialogue evaluation")
    assert "## Held-out set" in written and "# old" not in written
    assert "## Whole conversations\n\n41 %" in report.kept_block(written)


def test_a_distress_only_report_keeps_the_conversation_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "DOC", tmp_path / "conversations.md")
    monkeypatch.setattr(report, "EVALUATION", tmp_path / "evaluation.md")
    (tmp_path / "evaluation.md").write_text("# NLU and dialogue evaluation\n")
    figures = {
        "scenarios": 2,
        "handled": 1,
        "share": 0.5,
        "by_kind": {"plain": {"scenarios": 2, "handled": 1, "share": 0.5}},
        "false_urgent_scenarios": [],
        "false_urgent_tickets": 0,
        "distress_without_ticket": [],
        "failure_classes": {},
        "unlisted_failures": [],
        "fixed_but_listed": [],
    }
    distress = {
        "messages": 3,
        "by_label": {"suicidal": 1, "distress": 1, "negative": 1},
        "hard_negatives": 1,
        "precision": 1.0,
        "recall": 0.5,
        "suicidal_recall": 1.0,
        "distress_recall": 0.0,
        "false_urgent": 0,
        "suicidal_recall_by_language": {"fr": {"found": 1, "of": 1}},
        "suicidal_prevention_intent": 1,
        "false_urgent_by_group": {"money": {"false": 0, "of": 1}},
    }
    text = report.markdown(figures, distress, {}, [], {}, TODAY, detailed=False)
    report.write_docs(text, figures, distress, {})
    later = dict(distress, precision=0.25)
    report.write_docs(report.markdown(None, later, {}, [], {}, TODAY, detailed=False), None, later, {})
    for path in (tmp_path / "conversations.md", tmp_path / "evaluation.md"):
        written = path.read_text()
        assert "| **overall** | **2** | **1** | **50 %** |" in written, path.name
        assert "| precision of the urgent path | 0.250 |" in written, path.name
        assert written.count("## Whole conversations") == 1


def test_a_full_report_keeps_the_held_out_section_written_by_hand(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "DOC", tmp_path / "conversations.md")
    monkeypatch.setattr(report, "EVALUATION", tmp_path / "evaluation.md")
    held_out = f"{report.HELD_OUT_TITLE}\n\nBefore: 18 / 42.\n"
    report.DOC.write_text(
        f"# old\n\n## Whole conversations\n\n41 %\n\n{held_out}\n## Distress precision and recall\n\nx\n"
    )
    fresh = "# new\n\n## Whole conversations\n\n95 %\n\n## Distress precision and recall\n\ny\n"
    report.write_docs(fresh, {"scenarios": 1}, None, {})
    written = report.DOC.read_text()
    assert "95 %" in written and "41 %" not in written
    assert written.index("Before: 18 / 42.") < written.index("## Distress precision and recall")
    report.write_docs(written, {"scenarios": 1}, None, {})
    assert report.DOC.read_text().count(report.HELD_OUT_TITLE) == 1
