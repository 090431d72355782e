"""Export of one person's access log: every read of their file, by whom, for which conversation.

``python -m bot.privacy.access_log_export --identifier 1234567A [--format csv|json] [--output FILE]``
answers a person's right of access (GDPR art. 15) and a DPO's audit. Reads the
backend database (``ALLOCBOT_DATABASE_URL``); writes to standard output by default.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

from bot.privacy.purge import backend_db_url

FIELDS = ["at", "actor", "conversation_id", "resource", "purpose"]
IDENTIFIER = re.compile(r"^\d{7}[A-Z0-9]$")


def export(identifier: str, fmt: str, database_url: str | None = None) -> str | None:
    """The log as CSV or JSON text; None if no file has this identifier."""
    from bot.backend.db import session_scope
    from bot.backend.services.privacy import access_log_of

    with session_scope(database_url or backend_db_url()) as session:
        entries = access_log_of(session, identifier)
    if entries is None:
        return None
    if fmt == "json":
        return json.dumps({"identifier": identifier, "entries": entries}, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(entries)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Exporte le journal des accès au dossier d'une personne.")
    parser.add_argument("--identifier", required=True, help="identifiant France Travail, par exemple 1234567A")
    parser.add_argument("--format", choices=["csv", "json"], default="csv")
    parser.add_argument("--output", type=Path, default=None, help="fichier de sortie (défaut : la sortie standard)")
    args = parser.parse_args(argv)
    identifier = args.identifier.strip().upper().replace(" ", "")
    if not IDENTIFIER.match(identifier):
        print(
            "Identifiant invalide : 7 chiffres suivis d'une lettre ou d'un chiffre, par exemple 1234567A.",
            file=sys.stderr,
        )
        return 2
    text = export(identifier, args.format)
    if text is None:
        print(f"Aucun dossier avec l'identifiant {identifier}.", file=sys.stderr)
        return 1
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"Journal des accès écrit dans {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
