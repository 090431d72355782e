"""Command line: ``python -m bot.backend.seed [--force] [--population N] [--seed S]``."""

from __future__ import annotations

import argparse
import sys

from bot.backend.db import session_scope
from bot.backend.schema import upgrade
from bot.backend.seed import generate_population, seed_demo
from bot.common import clock
from bot.common.config import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Crée le schéma et les données de démonstration du backend.")
    parser.add_argument("--force", action="store_true", help="réécrire les personas même s'ils sont à jour")
    parser.add_argument("--population", type=int, default=0, help="ajouter N personnes synthétiques")
    parser.add_argument("--seed", type=int, default=42, help="graine de la population synthétique")
    args = parser.parse_args(argv)
    settings = load_settings()
    upgrade(settings.database_url)
    today = clock.today()
    with session_scope(settings.database_url) as session:
        written = seed_demo(session, today, force=args.force)
    print(f"Personas de démonstration {'écrits' if written else 'déjà à jour'} pour le {today.isoformat()}.")
    if args.population:
        with session_scope(settings.database_url) as session:
            added = generate_population(session, args.population, today, args.seed)
        print(f"Population synthétique : {added} personnes ajoutées (graine {args.seed}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
