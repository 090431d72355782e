"""The console's analytics pages (issue 19): the supervisors' dashboard and the counsellors' review.

- ``/tableau-de-bord?du=…&au=…`` (supervisors): the indicators of the period, the same tables as
  the report (``bot.analytics.presenting``), charts as SVG images of the same figures.
- ``/relecture``: a random sample of past conversations from the tracker store (redacted when
  stored, redacted again here); ``/relecture/{clé}``: each bot answer to a need, to mark « juste »
  or « à revoir » with a reason. Stored in the analytics store: day, need, verdict, reason and a
  keyed pseudonym of the conversation (so that it is not offered again) — no login, no text, no id.

Database and chart work runs in a worker thread: the console's event loop never waits on it.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from bot.analytics.facts import COUNTED_NEEDS
from bot.analytics.indicators import need_label
from bot.analytics.ingest import ingest
from bot.analytics.presenting import CHARTS, REVIEW_REASONS, bundle, chart_bytes, fragment
from bot.analytics.settings import keyed, pseudonym_key
from bot.analytics.staging import create_staging_engine
from bot.analytics.store import REVIEWS, create_analytics_engine
from bot.privacy.redaction import redact
from bot.privacy.tracker_db import EVENTS, create_tracker_engine, tracker_db_url

SAMPLE_SIZE = 5
CANDIDATES = 400
DEFAULT_DAYS = 30
MAX_DAYS = 400


@dataclass(frozen=True)
class Answer:
    need: str
    turns: list[tuple[str, str]]  # ("person" | "bot", redacted text)


class PeriodError(ValueError):
    pass


def period_of(request: Request) -> tuple[date, date]:
    today = datetime.now(timezone.utc).date()
    try:
        end = date.fromisoformat(request.query_params.get("au") or (today - timedelta(days=0)).isoformat())
        start = date.fromisoformat(request.query_params.get("du") or (end - timedelta(days=DEFAULT_DAYS)).isoformat())
    except ValueError as error:
        raise PeriodError("Dates attendues au format AAAA-MM-JJ.") from error
    if end < start:
        raise PeriodError("La fin de la période est avant son début.")
    if (end - start).days > MAX_DAYS:
        raise PeriodError(f"Une période de {MAX_DAYS} jours au plus.")
    return start, end


def answers_of(rows: list[tuple[str, str | None, str]]) -> list[Answer]:
    """The tracker rows (type, intent, data) of one conversation → each need asked and what followed it."""
    answers: list[Answer] = []
    for kind, intent, data in rows:
        try:
            event = json.loads(data)
        except (TypeError, ValueError):
            continue
        text = redact(str(event.get("text") or "")).strip()
        if kind == "user" and intent in COUNTED_NEEDS:
            answers.append(Answer(intent, [("person", text)]))
        elif answers and kind in ("user", "bot") and text:
            answers[-1].turns.append(("person" if kind == "user" else "bot", text))
    return [answer for answer in answers if any(who == "bot" for who, _ in answer.turns)]


def add_analytics_routes(
    app: FastAPI,
    page: Callable[..., HTMLResponse],
    counsellor_of: Callable[[Request], Any],
    checked_form: Callable[..., Any],
    back_to: Callable[[str, str | None], Response],
    forbidden: Callable[[str], Exception],
) -> None:
    analytics = create_analytics_engine()
    staging = create_staging_engine()
    tracker = create_tracker_engine(tracker_db_url())
    key = pseudonym_key()

    def sample_key(sender: str) -> str:
        return keyed(key, "review", sender)

    def fresh_bundle(start: date, end: date):
        ingest(staging, analytics)
        return bundle(analytics, start, end)

    def supervisor_of(request: Request):
        session, counsellor = counsellor_of(request)
        if not counsellor.supervisor:
            raise forbidden("Le tableau de bord est réservé aux superviseurs.")
        return session, counsellor

    @app.get("/tableau-de-bord", response_class=HTMLResponse)
    async def dashboard(request: Request) -> Response:
        session, counsellor = supervisor_of(request)
        try:
            start, end = period_of(request)
        except PeriodError as error:
            return page(request, "dashboard.html", session, counsellor, 422, error=str(error), body="", period=None)
        data = await asyncio.to_thread(fresh_bundle, start, end)
        query = f"du={start.isoformat()}&au={end.isoformat()}"
        body = fragment(data, lambda name: f"/tableau-de-bord/graphiques/{name}.svg?{query}")
        return page(request, "dashboard.html", session, counsellor, body=body, period=(start, end), error=None)

    @app.get("/tableau-de-bord/graphiques/{name}.svg")
    async def dashboard_chart(request: Request, name: str) -> Response:
        supervisor_of(request)
        if name not in CHARTS:
            return Response(status_code=404)
        try:
            start, end = period_of(request)
        except PeriodError:
            return Response(status_code=422)
        data = await asyncio.to_thread(bundle, analytics, start, end)
        svg = await asyncio.to_thread(chart_bytes, data, name, "svg")
        return Response(svg, media_type="image/svg+xml")

    def candidates() -> dict[str, str]:
        """Sample key → conversation id of recent conversations not reviewed yet."""
        with tracker.connect() as connection:
            senders = connection.execute(
                sa.select(EVENTS.c.sender_id)
                .where(EVENTS.c.type_name == "user", EVENTS.c.intent_name.in_(sorted(COUNTED_NEEDS)))
                .group_by(EVENTS.c.sender_id)
                .order_by(sa.func.max(EVENTS.c.id).desc())
                .limit(CANDIDATES)
            ).scalars()
            keys = {sample_key(sender): sender for sender in senders}
        with analytics.connect() as connection:
            reviewed = set(
                connection.execute(
                    sa.select(REVIEWS.c.sample_key).where(REVIEWS.c.sample_key.in_(list(keys)))
                ).scalars()
            )
        return {k: sender for k, sender in keys.items() if k not in reviewed}

    def conversation_answers(sender: str) -> list[Answer]:
        with tracker.connect() as connection:
            rows = connection.execute(
                sa.select(EVENTS.c.type_name, EVENTS.c.intent_name, EVENTS.c.data)
                .where(EVENTS.c.sender_id == sender, EVENTS.c.type_name.in_(["user", "bot"]))
                .order_by(EVENTS.c.id)
            ).all()
        return answers_of([tuple(row) for row in rows])

    def sample() -> list[tuple[str, list[Answer]]]:
        pool = candidates()
        chosen = random.SystemRandom().sample(sorted(pool), min(SAMPLE_SIZE * 3, len(pool)))
        picked = []
        for k in chosen:
            answers = conversation_answers(pool[k])
            if answers:
                picked.append((k, answers))
            if len(picked) == SAMPLE_SIZE:
                break
        return picked

    @app.get("/relecture", response_class=HTMLResponse)
    async def review_sample(request: Request) -> Response:
        session, counsellor = counsellor_of(request)
        picked = await asyncio.to_thread(sample)
        return page(request, "review_list.html", session, counsellor, sample=picked, need_label=need_label)

    def sender_for(review_key: str) -> str | None:
        return candidates().get(review_key)

    @app.get("/relecture/{review_key}", response_class=HTMLResponse)
    async def review_page(request: Request, review_key: str) -> Response:
        session, counsellor = counsellor_of(request)
        sender = await asyncio.to_thread(sender_for, review_key)
        if sender is None:
            return back_to("/relecture", "review_unavailable")
        answers = await asyncio.to_thread(conversation_answers, sender)
        return page(
            request,
            "review.html",
            session,
            counsellor,
            review_key=review_key,
            answers=answers,
            need_label=need_label,
            reasons={k: v for k, v in REVIEW_REASONS.items() if k != "correct"},
        )

    @app.post("/relecture/{review_key}")
    async def review_save(request: Request, review_key: str) -> Response:
        session, _counsellor = counsellor_of(request)
        form = await checked_form(request, session)
        sender = await asyncio.to_thread(sender_for, review_key)
        if sender is None:
            return back_to("/relecture", "review_unavailable")
        answers = await asyncio.to_thread(conversation_answers, sender)
        rows = []
        for index, answer in enumerate(answers):
            verdict = form.get(f"verdict_{index}")
            if verdict not in ("right", "wrong"):
                continue  # not marked: not stored
            reason = form.get(f"reason_{index}", "") if verdict == "wrong" else "correct"
            if reason not in REVIEW_REASONS or (verdict == "wrong" and reason == "correct"):
                reason = "unclear" if verdict == "wrong" else "correct"
            rows.append(
                {
                    "reviewed_on": datetime.now(timezone.utc).date(),
                    "need": answer.need,
                    "verdict": verdict,
                    "reason": reason,
                    "sample_key": review_key,
                }
            )
        if not rows:
            return back_to(f"/relecture/{review_key}", "review_empty")

        def save() -> None:
            with analytics.begin() as connection:
                connection.execute(REVIEWS.insert(), rows)

        await asyncio.to_thread(save)
        return back_to("/relecture", "review_saved")
