"""``python -m bot.cli.conversations [--kind K] [--id ID] [--report | --holdout] [--distress-only | --no-distress]``

Trains the model if it is stale, starts the real servers on free ports with a
throw-away database and the tests' pinned day and secrets (``tests.servers``,
so that this command and ``pytest tests/conversations`` measure the same
thing), runs the scenarios and the distress set, prints the figures and every
failure with its turn, writes ``results/conversations/latest.{md,json}``, and with
``--report`` the measured sections of ``docs/conversations.md`` and ``docs/evaluation.md``.
``--holdout`` plays the sealed held-out conversations of ``tests/conversations/holdout/``
instead (written before issue 20's fixes, never tuned on: the check that the fixes generalise),
into ``results/conversations/holdout.{md,json}``.
The texts of the sealed sets (the distress set's messages, the held-out conversations' failing turns) are
shown and written only with ``--show-sealed``: a development run gives their figures, not their contents.
The exit code is 0 whatever the share: this is a measure; the test suite is the gate.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.cli.conversations",
        description="Mesure les conversations entières (tests/conversations) et la détresse "
        "(tests/nlu/distress_eval.yml).",
    )
    parser.add_argument("--kind", action="append", default=[], help="ne jouer que ce type de scénario (répétable)")
    parser.add_argument("--id", action="append", default=[], help="ne jouer que ce scénario (répétable)")
    parser.add_argument("--report", action="store_true", help="écrire docs/conversations.md et docs/evaluation.md")
    parser.add_argument(
        "--holdout", action="store_true", help="les conversations mises de côté (tests/conversations/holdout)"
    )
    parser.add_argument("--distress-only", action="store_true", help="seulement le jeu de détresse")
    parser.add_argument("--no-distress", action="store_true", help="sans le jeu de détresse")
    parser.add_argument(
        "--show-sealed",
        action="store_true",
        help="montrer aussi les textes des jeux scellés (messages du jeu de détresse, tours des conversations "
        "mises de côté) : jamais pour écrire des données ou des règles",
    )
    args = parser.parse_args(argv)
    if args.report and (args.kind or args.id or args.no_distress):
        parser.error("--report mesure tout : pas de --kind, --id ni --no-distress avec lui")
    if args.holdout and (args.report or args.distress_only):
        parser.error("--holdout ne réécrit pas la documentation et joue des conversations")

    # The test secrets and pinned day: the same servers as pytest's (tests/servers.py).
    from bot.cli.conversations.distress import distress_figures, load_distress_set, parse_all
    from bot.cli.conversations.report import (
        conversation_figures,
        distress_lines,
        failure_lines,
        markdown,
        summary_lines,
        write_docs,
        write_results,
    )
    from bot.cli.conversations.runner import ConversationRunner
    from bot.cli.conversations.scenarios import HOLDOUT, KINDS, SUITE, load_known_failures, load_suite
    from bot.cli.training import train_if_stale
    from tests.servers import RASA_TOKEN, SERVICE_TOKEN, TEST_TODAY, Stack

    today = date.fromisoformat(TEST_TODAY)
    unknown = set(args.kind) - set(KINDS)
    if unknown:
        parser.error(f"type inconnu : {', '.join(sorted(unknown))} (types : {', '.join(KINDS)})")
    scenarios = [] if args.distress_only else load_suite(today, HOLDOUT if args.holdout else SUITE)
    if args.kind:
        scenarios = [s for s in scenarios if s.kind in args.kind]
    if args.id:
        scenarios = [s for s in scenarios if s.id in args.id]
    classes, known = load_known_failures()
    if args.holdout:
        known = {}  # nothing of the held-out set is listed: every failure counts

    print("→ modèle Rasa…", flush=True)
    train_if_stale()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="allocbot-conversations-") as workdir:
        stack = Stack(Path(workdir))
        try:
            print("→ démarrage du backend, du serveur d'actions et de Rasa…", flush=True)
            stack.start_backend()
            stack.start_dialogue()
            results = []
            if scenarios:
                runner = ConversationRunner(
                    stack.rasa_url, stack.backend_url, SERVICE_TOKEN, today, stack.env["ALLOCBOT_REST_TOKEN"]
                )
                try:
                    for number, scenario in enumerate(scenarios, 1):
                        result = runner.run(scenario)
                        results.append(result)
                        mark = "✓" if result.passed else "✗"
                        print(f"  {mark} {number:3d}/{len(scenarios)} {scenario.kind:15s} {scenario.id}", flush=True)
                finally:
                    runner.close()
            distress = None
            if not args.no_distress:
                print("→ jeu de détresse…", flush=True)
                distress = distress_figures(parse_all(stack.rasa_url, RASA_TOKEN, load_distress_set()))
        finally:
            stack.stop()

    figures = conversation_figures(results, known) if results else None
    print()
    # The sealed sets (the distress set, the held-out conversations) are measured, never read to write data or
    # rules: their texts are shown only when asked for (--show-sealed), not by every development run.
    sealed_turns = args.holdout and not args.show_sealed
    if figures:
        if not sealed_turns:
            print("\n".join(failure_lines(results, known)))
            print()
        print("\n".join(summary_lines(figures)))
        print(
            f"\nTickets urgents sans détresse : {figures['false_urgent_tickets']} "
            f"({', '.join(figures['false_urgent_scenarios']) or 'aucun'})"
        )
        if figures["unlisted_failures"]:
            print(f"Échecs absents de known_failures.yml : {', '.join(figures['unlisted_failures'])}")
        if figures["fixed_but_listed"]:
            print(f"Réussis mais encore listés dans known_failures.yml : {', '.join(figures['fixed_but_listed'])}")
    if distress:
        print()
        print("\n".join(distress_lines(distress)))
        if args.show_sealed:
            for text, intent in distress["false_urgent_messages"]:
                print(f"  fausse alerte ({intent}) : {text}")
            for label, lang, text, intent in distress["missed"]:
                print(f"  manqué [{label}, {lang}] ({intent}) : {text}")
        else:
            print("  (messages du jeu scellé non affichés : --show-sealed)")
        distress = {**distress, "false_urgent_messages": [], "missed": []} if not args.show_sealed else distress
    text = markdown(figures, distress, classes, results, known, today, detailed=not sealed_turns)
    path = write_results(figures, distress, text, results, name="holdout" if args.holdout else "latest")
    print(f"\n→ {path} ({time.monotonic() - started:.0f} s)")
    if args.report:
        write_docs(
            markdown(figures, distress, classes, results, known, today, detailed=False), figures, distress, classes
        )
        print("→ docs/conversations.md, docs/evaluation.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
