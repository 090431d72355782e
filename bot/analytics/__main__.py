"""``python -m bot.analytics ingest | report --from D --to D [--out DIR] | demo [--days N] [--seed S]``."""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.common.config import PROJECT_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.analytics", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    ingest_cmd = commands.add_parser("ingest", help="faits des conversations terminées, depuis le courtier")
    ingest_cmd.add_argument("--idle-minutes", type=float, default=30.0)
    report_cmd = commands.add_parser("report", help="rapport HTML + PNG + CSV d'une période")
    report_cmd.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    report_cmd.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
    report_cmd.add_argument("--out", type=Path, default=None)
    report_cmd.add_argument("--idle-minutes", type=float, default=30.0)
    demo_cmd = commands.add_parser("demo", help="un mois synthétique de conversations à travers le vrai bot")
    demo_cmd.add_argument("--days", type=int, default=30)
    demo_cmd.add_argument("--per-day", type=int, default=4)
    demo_cmd.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)

    from bot.analytics.ingest import ingest
    from bot.analytics.staging import create_staging_engine
    from bot.analytics.store import create_analytics_engine

    if args.command == "demo":
        # In its own process: the demo starts the whole stack and seeds the backend (bot/cli/analytics_demo.py);
        # the analytics package itself imports no process's code.
        demo = [sys.executable, "-m", "bot.cli.analytics_demo", "--days", str(args.days)]
        demo += ["--per-day", str(args.per_day), "--seed", str(args.seed)]
        return subprocess.run(demo, cwd=PROJECT_ROOT, check=False).returncode
    done = ingest(create_staging_engine(), create_analytics_engine(), idle_seconds=args.idle_minutes * 60)
    print(
        f"→ {done.conversations} conversation(s) ajoutée(s) au magasin d'analyse "
        f"({done.staged_rows} événements traités ; {done.pseudonyms_erased} pseudonyme(s) effacé(s) après 24 h ; "
        f"{done.expired} conversation(s) au-delà de la conservation)."
    )
    if args.command == "report":
        from bot.analytics.report import write_report

        if args.end < args.start:
            print("✗ --to est avant --from.", file=sys.stderr)
            return 2
        out = args.out or PROJECT_ROOT / "results" / "analytics" / f"{args.start}_{args.end}"
        written = write_report(args.start, args.end, out)
        print(f"→ rapport écrit : {out / 'index.html'} ({len(written)} fichiers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
