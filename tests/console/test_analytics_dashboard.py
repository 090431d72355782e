"""The supervisors' dashboard with a demo month, the counsellors' review, the report command (issue 19).

Real servers of the session (backend with its synthetic population, actions, Rasa with the analytics
broker, console) and a real headless Chromium. The month is the demo's (``bot/cli/analytics_demo.py``),
smaller: one or two conversations a day, played through the real bot, moved to their planned day and
ingested into the console's analytics store.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from bot.analytics.ingest import ingest
from bot.analytics.minimise import conversation_pseudonym
from bot.analytics.staging import create_staging_engine
from bot.analytics.store import create_analytics_engine
from bot.cli.analytics_demo import analytics_key, move_to_plan, plan_month, play_month
from bot.common.config import PROJECT_ROOT
from tests.servers import SYNTHETIC_PEOPLE

DAYS = 30


@pytest.fixture(scope="module")
def month(console):
    rng = random.Random(19)
    today = datetime.now(timezone.utc).date()
    plans = plan_month(rng, DAYS, 1, today, population=SYNTHETIC_PEOPLE)
    play_month(console, plans, rng)
    database = console.env["ALLOCBOT_EVENTS_DB_URL"].removeprefix("sqlite:///")
    key = analytics_key(console)
    move_to_plan(database, key, [plan for plan, *_ in plans])
    done = ingest(
        create_staging_engine(console.env["ALLOCBOT_EVENTS_DB_URL"]),
        create_analytics_engine(console.env["ALLOCBOT_ANALYTICS_DB_URL"]),
        idle_seconds=0,
        only={conversation_pseudonym(key, plan.sender) for plan, *_ in plans},
    )
    assert done.conversations >= len(plans) - 2  # a conversation without a user message is none
    return {"start": today - timedelta(days=DAYS), "end": today, "plans": plans, "ingested": done.conversations}


def test_the_dashboard_shows_the_demo_month_and_is_usable_with_the_keyboard(month, counsellor_page):
    page = counsellor_page("s.leroy")  # a supervisor
    page.goto(f"/tableau-de-bord?du={month['start']}&au={month['end']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord des superviseurs")
    total = page.locator("dl.figures div").first.locator("dd")
    assert int(re.sub(r"\D", "", total.inner_text().split("(")[0])) >= month["ingested"]
    for table in ("table-besoins", "table-relais", "table-canaux", "table-jours", "table-heures"):
        assert page.locator(f"#{table} tbody tr").count() >= 1, table
    assert page.locator("#table-jours tbody tr").count() >= 20  # one or two conversations a day, for a month
    assert page.locator("#table-canaux tbody th").all_inner_texts()  # channels named in words
    images = page.locator(".indicators img")
    assert images.count() == 5
    for index in range(images.count()):
        image = images.nth(index)
        assert image.get_attribute("alt")
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 100
    # Keyboard only: the skip link, then the period form, then submit with Enter.
    page.goto(f"/tableau-de-bord?du={month['start']}&au={month['end']}")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Aller au contenu")
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        if focused[-1] == "du":
            break
    assert "Tableau de bord" in focused and focused[-1] == "du"
    later = month["end"] - timedelta(days=6)

    def tab_until(check) -> None:
        # A date field holds several stops (day, month, year): Tab walks through them, then on.
        for _ in range(8):
            page.keyboard.press("Tab")
            if page.evaluate(check):
                return
        raise AssertionError(f"le clavier n'atteint pas : {check}")

    tab_until("document.activeElement.id === 'au'")
    tab_until("document.activeElement.textContent.trim() === 'Afficher'")
    page.locator("#du").fill(later.isoformat())  # a date field is typed into, as with the keyboard
    page.locator("#au").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"du={later.isoformat()}"))
    assert page.locator("#table-jours tbody tr").count() <= 7


def test_the_dashboard_is_for_supervisors(month, counsellor_page):
    page = counsellor_page("c.martin")
    expect(page.get_by_role("link", name="Tableau de bord")).to_have_count(0)
    response = page.goto("/tableau-de-bord")
    assert response is not None and response.status == 403


def test_a_counsellor_reviews_answers_and_the_quality_shows_on_the_dashboard(month, counsellor_page):
    page = counsellor_page("c.martin")
    page.get_by_role("link", name="Relecture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relecture des réponses de l'assistant")
    page.locator(".review-sample a").first.click()
    answers = page.locator("fieldset.review-answer")
    assert answers.count() >= 1
    legend = answers.first.locator("legend").inner_text()
    need = legend.split(" : ", 1)[1]
    body = page.locator("main").inner_text()
    for clear in ("1234567A", "12/04/1988", "+337"):
        assert clear not in body
    answers.first.get_by_label("Juste").check()
    if answers.count() > 1:
        answers.nth(1).get_by_label("À revoir", exact=True).check()  # not « Motif si à revoir »
        answers.nth(1).get_by_label("Motif si à revoir").select_option("incomplete")
    page.get_by_role("button", name="Enregistrer la relecture").click()
    expect(page.locator(".notice")).to_contain_text("Relecture enregistrée")
    supervisor = counsellor_page("s.leroy")
    supervisor.goto(f"/tableau-de-bord?du={month['start']}&au={month['end']}")
    row = supervisor.locator("#table-qualite tbody tr", has_text=need)
    expect(row.first).to_be_visible()
    assert int(row.first.locator("td").first.inner_text()) >= 1


def test_the_report_command_writes_html_png_and_csv(month, console, tmp_path):
    out = tmp_path / "rapport"
    env = {**os.environ, **console.env}
    done = subprocess.run(
        [sys.executable, "-m", "bot.analytics", "report", "--from", str(month["start"]), "--to", str(month["end"])]
        + ["--out", str(out)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "rapport écrit" in done.stdout
    html = (out / "index.html").read_text()
    assert "Par besoin" in html and 'src="besoins.png"' in html
    for name in ("jours", "heures", "besoins", "escalades", "qualite"):
        assert (out / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    per_day = (out / "par_jour.csv").read_text().splitlines()
    assert per_day[0].startswith("tranche,conversations") and len(per_day) >= 21
    assert date.fromisoformat(per_day[1].split(",")[0]) >= month["start"]
    assert (out / "gains_et_couts.csv").read_text().count("\n") == 13
