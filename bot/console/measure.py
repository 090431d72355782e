"""Measure the time from a person's handover request to the ticket being visible in the console.

    .venv/bin/python -m bot.console.measure [--trials 10]

Starts the real processes on free ports (backend, actions, Rasa, console, as the
tests do), logs a counsellor in a headless Chromium on the queue page, then, for
each trial, a new person on the website's socket.io channel writes « je veux
parler à un conseiller ». Three moments are timed from that message: the bot's
answer reaching the person, the ticket stored in the backend, and the ticket's
line shown in the console's queue (which refreshes itself every two seconds).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import socketio
from playwright.async_api import async_playwright

from bot.cli.stack import Stack
from bot.common.web import conversation_of
from bot.console.accounts import DEMO_COUNSELLORS

TRIGGER = "je veux parler à un conseiller"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


async def trial(stack: Stack, backend: httpx.AsyncClient, page) -> dict[str, float]:
    answered: asyncio.Future = asyncio.get_running_loop().create_future()
    confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
    client = socketio.AsyncClient(reconnection=False)

    @client.on("session_confirm")
    async def on_confirm(session_id):
        if not confirmed.done():
            confirmed.set_result(session_id)

    @client.on("bot_uttered")
    async def on_bot(data):
        if "référence" in (data.get("text") or "") and not answered.done():
            answered.set_result(time.perf_counter())

    await client.connect(stack.rasa_url, socketio_path="/socket.io", transports=["polling"], wait_timeout=20)
    try:
        await client.emit("session_request", {"session_id": None})
        key = await asyncio.wait_for(confirmed, 20)  # what the browser holds; the conversation id derives from it
        session_id = conversation_of(key)
        started = time.perf_counter()
        await client.emit("user_uttered", {"message": TRIGGER, "session_id": key})
        reference, stored = None, None
        while reference is None:
            if time.perf_counter() - started > 60:
                raise RuntimeError("aucun ticket après 60 s")
            tickets = (await backend.get("/v1/handoff-tickets", params={"status": "waiting"})).json()["tickets"]
            match = next((t for t in tickets if t["conversation_id"] == session_id), None)
            if match:
                reference, stored = match["reference"], time.perf_counter()
            else:
                await asyncio.sleep(0.02)
        await page.locator(f"#lien-{reference}").wait_for(state="visible", timeout=60_000)
        visible = time.perf_counter()
        bot = await asyncio.wait_for(answered, 60)
        await backend.post(f"/v1/handoff-tickets/{reference}/close", json={"counsellor": "mesure"})
        return {"bot": bot - started, "stored": stored - started, "visible": visible - started}
    finally:
        await client.disconnect()


def describe(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (
        f"{name:<38} min {ordered[0]:5.2f} s   médiane {statistics.median(ordered):5.2f} s   "
        f"p90 {p90:5.2f} s   max {ordered[-1]:5.2f} s"
    )


async def measure(stack: Stack, trials: int) -> list[dict[str, float]]:
    password = stack.env["ALLOCBOT_COUNSELLOR_PASSWORD"]
    async with (
        async_playwright() as playwright,
        httpx.AsyncClient(
            base_url=stack.backend_url,
            headers={"X-Service-Token": stack.env["ALLOCBOT_BACKEND_SERVICE_TOKEN"]},
            timeout=10,
        ) as backend,
    ):
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = await browser.new_page(base_url=stack.console_url, viewport={"width": 1366, "height": 768})
        await page.goto("/login")
        await page.get_by_label("Identifiant").fill(next(iter(DEMO_COUNSELLORS)))
        await page.get_by_label("Mot de passe").fill(password)
        await page.get_by_role("button", name="Se connecter").click()
        await page.wait_for_url(f"{stack.console_url}/")
        await trial(stack, backend, page)  # warm-up: first model call, first page refresh
        results = []
        for number in range(1, trials + 1):
            result = await trial(stack, backend, page)
            results.append(result)
            print(
                f"  essai {number:2d} : réponse du bot {result['bot']:5.2f} s, ticket enregistré "
                f"{result['stored']:5.2f} s, visible dans la console {result['visible']:5.2f} s",
                flush=True,
            )
        await browser.close()
        return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="allocbot-measure-") as workdir:
        # Counsellors available at any hour, so that every trial is a live handover.
        stack = Stack(Path(workdir), env={"ALLOCBOT_COUNSELLOR_HOURS": "lun-dim 00:00-24:00"})
        try:
            print("→ démarrage du backend, des actions, de Rasa et de la console…", flush=True)
            stack.start_backend()
            stack.start_dialogue()
            stack.start_console()
            print(
                f"→ {arguments.trials} essais (+1 d'échauffement) : « {TRIGGER} » sur le canal web (socket.io)",
                flush=True,
            )
            results = asyncio.run(measure(stack, arguments.trials))
        finally:
            stack.stop()
    print()
    print(describe("réponse du bot reçue par la personne", [r["bot"] for r in results]))
    print(describe("ticket enregistré dans le backend", [r["stored"] for r in results]))
    print(describe("ticket visible dans la console", [r["visible"] for r in results]))
    print("(la console se rafraîchit toutes les 2 s : attente moyenne attendue ≈ 1 s de plus que l'enregistrement)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
