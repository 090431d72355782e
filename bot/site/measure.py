"""What a person waits for on the website, measured in a real headless Chromium.

``python -m bot.site.measure [--runs 5]`` starts the whole system on free ports
(backend, action server, Rasa, personal space) and, ``runs`` times, logs in as
Camille and times: the personal space until the widget's greeting is shown,
the amount question until the figure is shown (identified by the site token),
and a reload until the history is drawn again. It prints the median and the
worst of each. A measurement, not a test: it asserts nothing. Needs the dev
dependencies (Playwright) and Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bot import clock
from bot.cli.stack import Stack
from bot.cli.training import train_if_stale

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "combien je vais toucher ce mois-ci ?"


def run_once(browser, stack: Stack, timings: dict[str, list[float]]) -> None:
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(f"{stack.site_url}/connexion")
    page.fill("#identifiant", "1234567A")
    page.fill("#date_naissance", "12/04/1988")
    started = time.perf_counter()
    page.click("button[type=submit]")
    page.locator(".rw-response", has_text="assistant automatique").first.wait_for()
    timings["connexion → accueil du chat affiché"].append(time.perf_counter() - started)

    page.fill(".rw-new-message", QUESTION)
    started = time.perf_counter()
    page.keyboard.press("Enter")
    page.locator(".rw-response", has_text="€").first.wait_for()
    timings["question du montant → montant affiché"].append(time.perf_counter() - started)

    started = time.perf_counter()
    page.reload()
    page.locator(".rw-response", has_text="€").first.wait_for()
    timings["rechargement → historique affiché"].append(time.perf_counter() - started)
    context.close()


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description="Mesure les temps d'attente du chat sur le site, dans Chromium.")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    train_if_stale()
    timings: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="allocbot-site-") as workdir:
        stack = Stack(Path(workdir), today=clock.today().isoformat())
        try:
            stack.start_backend()
            stack.start_dialogue()
            stack.start_site()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for _ in range(args.runs):
                    run_once(browser, stack, timings)
                browser.close()
        finally:
            stack.stop()
    print(f"{args.runs} parcours dans Chromium headless (médiane / pire, en millisecondes)")
    for kind, values in timings.items():
        print(f"  {kind:<42} {statistics.median(values) * 1000:7.0f} {max(values) * 1000:7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
