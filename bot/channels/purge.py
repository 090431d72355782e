"""Retention of the SMS/WhatsApp channel store: forget the numbers of silent conversations.

    .venv/bin/python -m bot.channels.purge [--days 90]

Run it daily with ``bot.privacy.purge`` (same ``ALLOCBOT_RETENTION_DAYS``). Opt-outs
(STOP) are kept, without the number.
"""

from __future__ import annotations

import argparse
import os
from datetime import timedelta

import bot.config  # noqa: F401 - loads .env
from bot.channels.state import ChannelStore, channels_db_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=int(os.environ.get("ALLOCBOT_RETENTION_DAYS") or 90))
    args = parser.parse_args()
    if args.days < 1:
        parser.error("--days doit être au moins 1")
    forgotten = ChannelStore(channels_db_url()).forget_inactive(timedelta(days=args.days))
    print(f"{forgotten} numéro(s) oublié(s) (conversations SMS/WhatsApp sans message depuis {args.days} jours).")


if __name__ == "__main__":
    main()
