"""The counsellor console's web app: login, queue, ticket page, live reply, take / release / close.

Run with ``uvicorn bot.console.app:create_app --factory --ws none``. Pages are
rendered on the server (Jinja2 escapes every value); ``static/console.js`` polls
the two small ``/api`` routes every two seconds and posts the reply box with the
page's CSRF token. The console keeps no state of its own besides the login
throttle: tickets are in the backend, conversations in Rasa.

Handing back and forth:

* take: the backend records who took the ticket, then the conversation is paused
  in Rasa (the bot already paused it during opening hours; pausing again is
  harmless), so the bot stays silent while the counsellor has it;
* reply: a ``bot`` event with ``metadata.counsellor`` appended through Rasa's API
  with side effects, so Rasa sends it on the person's own channel;
* release: the ticket is waiting again, the conversation stays paused for the
  next counsellor;
* close: the backend closes the ticket, then the conversation is resumed and the
  bot says so (``utter_handoff_resumed``).
"""

from __future__ import annotations

import logging
import re
import time
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from bot.common.web import SecurityHeaders, client_address, trusted_proxies
from bot.console import presenting
from bot.console import settings as console_settings
from bot.console.accounts import Accounts, Counsellor
from bot.console.analytics_pages import add_analytics_routes
from bot.console.clients import Backend, Rasa, ServiceError
from bot.console.login_throttle import login_throttle
from bot.console.security import HEADERS, Session, Sessions

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
REFERENCE = r"^AB-[A-Z0-9]{6}$"
MAX_FORM_BYTES = 16 * 1024
MAX_REPLY_CHARS = 2000

# Notices shown after a redirection (?avis=code); only these texts are ever shown.
NOTICES = {
    "review_saved": "Relecture enregistrée, merci. Elle compte dans la qualité des réponses du tableau de bord.",
    "review_empty": "Notez au moins une réponse (juste ou à revoir) avant d'enregistrer.",
    "review_unavailable": "Cette conversation n'est plus à relire (déjà relue ou effacée) : en voici d'autres.",
    "taken": "Vous avez pris ce ticket : l'assistant automatique se tait, vos messages partent vers la personne.",
    "ticket_taken": "Ce ticket est déjà pris par un autre conseiller.",
    "ticket_closed": "Ce ticket est déjà clos.",
    "not_your_ticket": "Vous ne pouvez agir que sur un ticket que vous avez pris.",
    "released": "Ticket rendu : il est de nouveau en attente.",
    "closed": "Ticket clos : l'assistant automatique a repris la conversation et l'a dit à la personne.",
    "resume_failed": (
        "Ticket clos, mais la conversation n'a pas pu être rendue à l'assistant automatique. "
        "Réessayez de clore dans un instant."
    ),
    "pause_failed": (
        "Ticket pris, mais la conversation n'a pas pu être mise en pause : l'assistant automatique "
        "pourrait encore répondre."
    ),
    "unavailable": "Le service est momentanément indisponible. Réessayez dans un instant.",
}
NOT_YOURS = (
    "Ce ticket est pris par un autre conseiller : seuls ce conseiller et les superviseurs peuvent lire la conversation."
)
READ_LOGGED_EVERY_SECONDS = 600  # the page refreshes every 2 s: one access-log entry per reader and ticket per 10 min


class NotLoggedIn(Exception):
    pass


class BadForm(Exception):
    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message


def create_app() -> FastAPI:
    config = console_settings.load()
    backend = Backend(config.backend_url, config.service_token, config.timeout_seconds)
    rasa = Rasa(config.rasa_url, config.rasa_token, config.timeout_seconds)
    accounts = Accounts(config.counsellor_password)
    throttle = login_throttle()  # in Redis when ALLOCBOT_REDIS_URL is set: shared by every console
    sessions = Sessions(config.secret, secure=config.secure_cookies)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    proxies = trusted_proxies()
    last_logged: dict[tuple[str, str], float] = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        await backend.aclose()
        await rasa.aclose()

    app = FastAPI(
        title="allocbot — console des conseillers", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.add_middleware(SecurityHeaders, headers=HEADERS)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # --- helpers -------------------------------------------------------------------------
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")

    def counsellor_of(request: Request) -> tuple[Session, Counsellor]:
        session = sessions.read(request)
        counsellor = accounts.get(session.login) if session else None
        if session is None or counsellor is None:
            raise NotLoggedIn()
        return session, counsellor

    async def form_of(request: Request) -> dict[str, str]:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
            raise BadForm(413, "Ce message est trop long.")
        body = b""
        async for chunk in request.stream():  # never more than the limit in memory
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                raise BadForm(413, "Ce message est trop long.")
        fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=20)
        return {name: values[0] for name, values in fields.items()}

    async def checked_form(request: Request, session: Session) -> dict[str, str]:
        """The POSTed form, once its CSRF token (field or header) matches the session."""
        form = await form_of(request)
        token = request.headers.get("x-csrf-token") or form.get("csrf_token")
        if not sessions.csrf_valid(session, token):
            raise BadForm(403, "Jeton de sécurité absent ou périmé : rechargez la page puis recommencez.")
        return form

    def page(
        request: Request,
        name: str,
        session: Session | None,
        counsellor: Counsellor | None,
        status_code: int = 200,
        **context,
    ) -> HTMLResponse:
        notice = NOTICES.get(request.query_params.get("avis", ""))
        return templates.TemplateResponse(
            name,
            {
                "request": request,
                "counsellor": counsellor,
                "notice": notice,
                "csrf_token": sessions.csrf_token(session) if session else "",
                **context,
            },
            status_code=status_code,
        )

    def back_to(path: str, notice: str | None = None) -> RedirectResponse:
        return RedirectResponse(f"{path}?avis={notice}" if notice else path, status_code=303)

    # --- errors ----------------------------------------------------------------------------
    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _error: NotLoggedIn) -> Response:
        if wants_json(request):
            return JSONResponse({"message": "Votre session a expiré : reconnectez-vous."}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(BadForm)
    async def bad_form(request: Request, error: BadForm) -> Response:
        if wants_json(request):
            return JSONResponse({"message": error.message}, status_code=error.status)
        return page(request, "error.html", None, None, status_code=error.status, message=error.message)

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, error: ServiceError) -> Response:
        status = error.status if error.status in (403, 404, 409) else 503
        message = error.message if status != 503 else NOTICES["unavailable"]
        if wants_json(request):
            return JSONResponse({"message": message}, status_code=status)
        return page(request, "error.html", None, None, status_code=status, message=message)

    # --- routes ----------------------------------------------------------------------------
    @app.get("/health", include_in_schema=False)
    async def health() -> dict:
        return {"status": "ok"}

    @app.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request) -> Response:
        if sessions.read(request) is not None:
            return RedirectResponse("/", status_code=303)
        return login_form(request)

    def login_form(request: Request, error: str | None = None, login: str = "", status_code: int = 200) -> Response:
        nonce, token = sessions.login_form(request)
        response = page(
            request, "login.html", None, None, status_code=status_code, login_token=token, error=error, login=login
        )
        sessions.keep_login_nonce(response, nonce)
        return response

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = await form_of(request)
        name = form.get("login", "").strip().lower()[:80]
        if not sessions.login_form_valid(request, form.get("csrf_token")):
            return login_form(request, "Le formulaire a expiré : recommencez.", name, 403)
        # X-Forwarded-For counts only from a configured proxy: any other client would pick its own address.
        peer = request.client.host if request.client else None
        address = client_address(peer, request.headers.get("x-forwarded-for"), proxies)
        if await throttle.blocked(name, address):
            return login_form(request, "Trop de tentatives. Réessayez dans 15 minutes.", name, 429)
        # scrypt takes tens of milliseconds of CPU: off the event loop.
        counsellor = await run_in_threadpool(accounts.check, name, form.get("password", ""))
        if counsellor is None:
            await throttle.failed(name, address)
            return login_form(request, "Identifiant ou mot de passe incorrect.", name, 401)
        await throttle.succeeded(name)
        response = RedirectResponse("/", status_code=303)
        sessions.open(response, counsellor.login)
        log.info("counsellor %s logged in", counsellor.login)
        return response

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        session, _ = counsellor_of(request)
        await checked_form(request, session)
        response = RedirectResponse("/login", status_code=303)
        sessions.close(response, session)
        return response

    async def queue_context() -> dict:
        return {"queue": presenting.queue(await backend.tickets(), datetime.now(timezone.utc))}

    @app.get("/", response_class=HTMLResponse)
    async def queue_page(request: Request) -> Response:
        session, counsellor = counsellor_of(request)
        return page(request, "queue.html", session, counsellor, **(await queue_context()))

    @app.get("/api/queue", response_class=HTMLResponse)
    async def queue_fragment(request: Request) -> Response:
        """The queue's tables alone, for the page to refresh itself."""
        session, counsellor = counsellor_of(request)
        return page(request, "_queue.html", session, counsellor, **(await queue_context()))

    async def ticket_of(reference: str) -> dict:
        if not _is_reference(reference):
            raise ServiceError(404, "not_found", "Ce ticket n'existe pas.")
        return await backend.ticket(reference)

    async def readable_ticket(reference: str, counsellor: Counsellor, page: bool) -> dict:
        """The ticket, if this counsellor may read its conversation; the read is logged (a page always,
        the page's refreshes once per READ_LOGGED_EVERY_SECONDS)."""
        ticket = await ticket_of(reference)
        if not counsellor.may_read(ticket):
            log.warning("ticket %s: %s may not read it (held by another counsellor)", reference, counsellor.login)
            raise ServiceError(403, "not_your_ticket", NOT_YOURS)
        key, now = (counsellor.login, reference), time.monotonic()
        if page or now - last_logged.get(key, -READ_LOGGED_EVERY_SECONDS) >= READ_LOGGED_EVERY_SECONDS:
            purpose = "supervision" if counsellor.supervisor and ticket.get("counsellor") != counsellor.login else ""
            await backend.record_read(reference, counsellor.login, purpose or "lecture de la mise en relation")
            last_logged[key] = now
        return ticket

    @app.get("/tickets/{reference}", response_class=HTMLResponse)
    async def ticket_page(request: Request, reference: str) -> Response:
        session, counsellor = counsellor_of(request)
        ticket = await readable_ticket(reference, counsellor, page=True)
        mine = ticket["status"] == "taken" and ticket["counsellor"] == counsellor.login
        summary, summary_error = None, None
        if mine and ticket.get("job_seeker_id"):
            try:
                summary = presenting.file_summary(await backend.summary(ticket["job_seeker_id"], counsellor.login))
            except ServiceError as error:
                summary_error = error.message
        messages, paused, live_error = [], None, None
        try:
            tracker = await rasa.tracker(ticket["conversation_id"])
            messages = presenting.live_messages(
                tracker, presenting.parse_time(ticket["created_at"]), counsellor.login, _names(accounts)
            )
            paused = tracker.get("paused")
        except ServiceError:
            live_error = "La conversation en direct est momentanément indisponible."
        return page(
            request,
            "ticket.html",
            session,
            counsellor,
            ticket=presenting.ticket_row(ticket, datetime.now(timezone.utc)),
            mine=mine,
            holder=_names(accounts).get(ticket.get("counsellor") or "", ticket.get("counsellor")),
            transcript=presenting.transcript(ticket),
            messages=messages,
            paused=paused,
            live_error=live_error,
            summary=summary,
            summary_error=summary_error,
            max_reply=MAX_REPLY_CHARS,
        )

    @app.get("/api/tickets/{reference}/messages")
    async def ticket_messages(request: Request, reference: str) -> JSONResponse:
        """What the ticket page refreshes: the ticket's state and the messages since the handoff."""
        _, counsellor = counsellor_of(request)
        ticket = await readable_ticket(reference, counsellor, page=False)
        tracker = await rasa.tracker(ticket["conversation_id"])
        return JSONResponse(
            {
                "status": ticket["status"],
                "status_label": presenting.STATUSES.get(ticket["status"], ticket["status"]),
                "counsellor": ticket["counsellor"],
                "holder": _names(accounts).get(ticket["counsellor"] or "", ticket["counsellor"]),
                "mine": ticket["status"] == "taken" and ticket["counsellor"] == counsellor.login,
                "paused": bool(tracker.get("paused")),
                "messages": presenting.live_messages(
                    tracker, presenting.parse_time(ticket["created_at"]), counsellor.login, _names(accounts)
                ),
            }
        )

    @app.post("/tickets/{reference}/take")
    async def take(request: Request, reference: str) -> Response:
        session, counsellor = counsellor_of(request)
        await checked_form(request, session)
        ticket = await ticket_of(reference)
        try:
            await backend.act(reference, "take", counsellor.login)
        except ServiceError as error:
            if error.status == 409:  # taken by a colleague (whose conversation is not ours to read) or closed
                return back_to("/", error.code)
            raise
        try:
            await rasa.pause(ticket["conversation_id"])
        except ServiceError:
            return back_to(f"/tickets/{reference}", "pause_failed")
        log.info("ticket %s taken by %s", reference, counsellor.login)
        return back_to(f"/tickets/{reference}", "taken")

    @app.post("/tickets/{reference}/release")
    async def release(request: Request, reference: str) -> Response:
        session, counsellor = counsellor_of(request)
        await checked_form(request, session)
        await ticket_of(reference)
        try:
            await backend.act(reference, "release", counsellor.login)
        except ServiceError as error:
            if error.status == 409:
                return back_to(f"/tickets/{reference}", error.code)
            raise
        log.info("ticket %s released by %s", reference, counsellor.login)
        return back_to("/", "released")

    @app.post("/tickets/{reference}/close")
    async def close(request: Request, reference: str) -> Response:
        session, counsellor = counsellor_of(request)
        await checked_form(request, session)
        ticket = await ticket_of(reference)
        if ticket["status"] == "taken" and ticket["counsellor"] != counsellor.login:
            return back_to(f"/tickets/{reference}", "not_your_ticket")
        if ticket["status"] != "closed":
            await backend.act(reference, "close", counsellor.login)
        elif ticket["counsellor"] != counsellor.login:
            return back_to(f"/tickets/{reference}", "ticket_closed")
        # A closed ticket of mine may be closed again: that retries giving the conversation back.
        try:
            await rasa.resume(ticket["conversation_id"])
        except ServiceError:
            return back_to(f"/tickets/{reference}", "resume_failed")
        log.info("ticket %s closed by %s", reference, counsellor.login)
        return back_to("/", "closed")

    @app.post("/tickets/{reference}/reply")
    async def reply(request: Request, reference: str) -> Response:
        session, counsellor = counsellor_of(request)
        form = await checked_form(request, session)
        text = form.get("text", "").strip()
        if not text:
            raise BadForm(422, "Écrivez un message avant de l'envoyer.")
        if len(text) > MAX_REPLY_CHARS:
            raise BadForm(422, f"Votre message dépasse {MAX_REPLY_CHARS} caractères : raccourcissez-le.")
        ticket = await ticket_of(reference)
        if ticket["status"] != "taken" or ticket["counsellor"] != counsellor.login:
            raise BadForm(409, NOTICES["not_your_ticket"])
        await rasa.reply(ticket["conversation_id"], text, counsellor.login)
        if wants_json(request):
            return JSONResponse({"sent": True})
        return back_to(f"/tickets/{reference}")

    add_analytics_routes(app, page, counsellor_of, checked_form, back_to, lambda message: BadForm(403, message))
    return app


def _is_reference(value: str) -> bool:
    return re.fullmatch(REFERENCE, value) is not None


def _names(accounts: Accounts) -> dict[str, str]:
    return {login: accounts.get(login).name for login in accounts.logins}
