"""The demo personal space: login, "Mon espace" with the chat widget, logout.

Run with ``uvicorn bot.site.app:create_app --factory --ws none`` (the run
command and ``Stack.start_site()`` do). The page hands the widget a short-lived
site token (``bot.site_token``) for the logged-in person; the bot verifies it and
never asks that person to identify. The public home page embeds the same widget
without a token: there the bot identifies the person as on every other channel.

The browser talks to Rasa directly (socket.io), so the site never sees the
conversation; it only vouches for who is logged in.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from bot import config as _config  # noqa: F401 - importing it loads .env, as in every process
from bot import site_token
from bot.common.web import SecurityHeaders, client_address, trusted_proxies
from bot.site.backend import Backend
from bot.site.security import Sessions, SiteSession, security_headers

HERE = Path(__file__).resolve().parent
WEBCHAT_BUNDLE = HERE / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
MAX_FORM_BYTES = 4096
DATE_FORMATS = (re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$"), re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"))


@dataclass(frozen=True)
class SiteSettings:
    site_token_secret: str
    site_token_ttl_seconds: int
    backend_url: str
    backend_service_token: str
    backend_timeout_seconds: float
    socket_url: str  # where the browser reaches Rasa's socket.io channel
    secure_cookies: bool


def load_site_settings() -> SiteSettings:
    def need(name: str) -> str:
        value = os.environ.get(name)
        if not value:
            raise RuntimeError(f"La variable d'environnement {name} doit être définie (voir .env.example).")
        return value

    rasa_url = os.environ.get("ALLOCBOT_RASA_URL") or "http://127.0.0.1:5005"
    return SiteSettings(
        site_token_secret=need("ALLOCBOT_SITE_TOKEN_SECRET"),
        site_token_ttl_seconds=int(os.environ.get("ALLOCBOT_SITE_TOKEN_TTL_SECONDS") or 600),
        backend_url=os.environ.get("ALLOCBOT_BACKEND_URL") or "http://127.0.0.1:8000",
        backend_service_token=need("ALLOCBOT_BACKEND_SERVICE_TOKEN"),
        backend_timeout_seconds=float(os.environ.get("ALLOCBOT_BACKEND_TIMEOUT_SECONDS") or 5),
        socket_url=os.environ.get("ALLOCBOT_WIDGET_SOCKET_URL") or rasa_url,
        secure_cookies=os.environ.get("ALLOCBOT_SITE_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
    )


def parse_birth_date(raw: str) -> date | None:
    """``12/04/1988``, ``12-04-1988``, ``12.04.1988`` or ``1988-04-12``; None if not a real date."""
    raw = raw.strip()
    for index, pattern in enumerate(DATE_FORMATS):
        match = pattern.match(raw)
        if match:
            first, second, third = (int(group) for group in match.groups())
            try:
                return date(first, second, third) if index else date(third, second, first)
            except ValueError:
                return None
    return None


def create_app(config: SiteSettings | None = None) -> FastAPI:
    config = config or load_site_settings()
    app = FastAPI(title="allocbot — espace personnel de démonstration", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(
        SecurityHeaders, headers=security_headers(config.socket_url, config.secure_cookies), cacheable_prefix="/static/"
    )
    sessions = Sessions(config.site_token_secret, secure=config.secure_cookies)
    backend = Backend(config.backend_url, config.backend_service_token, config.backend_timeout_seconds)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    proxies = trusted_proxies()
    source_key = hmac.new(config.site_token_secret.encode(), b"allocbot-site-source", hashlib.sha256).digest()

    def source_of(request: Request) -> str:
        """A keyed hash of the client's address (X-Forwarded-For only from a configured proxy)."""
        peer = request.client.host if request.client else None
        address = client_address(peer, request.headers.get("x-forwarded-for"), proxies)
        return "site:" + hmac.new(source_key, address.encode(), hashlib.sha256).hexdigest()[:24]

    def page(request: Request, name: str, session: SiteSession, status: int = 200, **context) -> HTMLResponse:
        response = templates.TemplateResponse(
            name,
            {"request": request, "session": session, "socket_url": config.socket_url, **context},
            status_code=status,
        )
        sessions.write(response, session)
        return response

    def current(request: Request) -> SiteSession:
        return sessions.read(request) or sessions.anonymous()

    async def form(request: Request) -> dict[str, str] | None:
        """The urlencoded form, or None if too big or not a form (no multipart: we never upload)."""
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return None
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return None
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
        except (UnicodeDecodeError, ValueError):
            return None
        return {key: values[0] for key, values in fields.items()}

    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok", "widget": WEBCHAT_BUNDLE.is_file()}

    @app.get("/static/vendor/rasa-webchat.js")
    async def webchat_bundle() -> Response:
        """rasa-webchat's UMD bundle (React included), from bot/site/web/node_modules (npm ci)."""
        if not WEBCHAT_BUNDLE.is_file():
            return Response(
                "// rasa-webchat manque : lancez scripts/bootstrap (npm ci dans bot/site/web)\n",
                status_code=503,
                media_type="application/javascript",
            )
        return FileResponse(WEBCHAT_BUNDLE, media_type="application/javascript")

    @app.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> HTMLResponse:
        return page(request, "home.html", current(request))

    @app.get("/connexion", response_class=HTMLResponse)
    async def login_form(request: Request) -> Response:
        session = current(request)
        if session.logged_in:
            return RedirectResponse("/espace", status_code=303)
        return page(request, "login.html", session)

    @app.post("/connexion", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        session = sessions.read(request)
        fields = await form(request)
        if fields is None or not sessions.csrf_valid(session, fields.get("csrf_token")):
            return page(
                request,
                "login.html",
                session or sessions.anonymous(),
                status=400,
                error="Le formulaire a expiré. Merci de le remplir à nouveau.",
            )
        identifier = fields.get("identifiant", "").strip().upper()
        birth_date = parse_birth_date(fields.get("date_naissance", ""))
        if not identifier or len(identifier) > 20 or birth_date is None:
            return page(
                request,
                "login.html",
                session,
                status=400,
                identifier=identifier[:20],
                error="Indiquez votre identifiant et votre date de naissance au format JJ/MM/AAAA.",
            )
        result = await backend.login(identifier, birth_date, source_of(request))
        if result.person is None:
            return page(request, "login.html", session, status=401, identifier=identifier, error=result.error)
        response = RedirectResponse("/espace", status_code=303)
        sessions.write(response, sessions.logged_in(result.person, result.first_name))
        return response

    @app.get("/espace", response_class=HTMLResponse)
    async def space(request: Request) -> Response:
        session = current(request)
        if not session.logged_in:
            return RedirectResponse("/connexion", status_code=303)
        token = site_token.issue(session.person, config.site_token_secret, config.site_token_ttl_seconds)
        return page(
            request,
            "space.html",
            session,
            site_token=token,
            refresh_seconds=max(30, config.site_token_ttl_seconds // 2),
        )

    @app.post("/espace/jeton")
    async def fresh_token(request: Request) -> JSONResponse:
        """A new site token for the open page (the widget keeps a token only ``ttl`` seconds)."""
        session = sessions.read(request)
        if not sessions.csrf_valid(session, request.headers.get("x-csrf-token")):
            return JSONResponse({"message": "Requête refusée."}, status_code=403)
        if not session.logged_in:
            return JSONResponse({"message": "Vous n'êtes plus connecté(e)."}, status_code=401)
        token = site_token.issue(session.person, config.site_token_secret, config.site_token_ttl_seconds)
        return JSONResponse({"site_token": token, "expires_in": config.site_token_ttl_seconds})

    @app.post("/deconnexion", response_class=HTMLResponse)
    async def logout(request: Request) -> Response:
        session = sessions.read(request)
        fields = await form(request)
        if fields is None or not sessions.csrf_valid(session, fields.get("csrf_token")):
            return RedirectResponse("/espace" if session and session.logged_in else "/", status_code=303)
        return page(request, "logged_out.html", sessions.logged_out(session))

    @app.exception_handler(404)
    async def not_found(request: Request, _error) -> HTMLResponse:
        return page(request, "not_found.html", current(request), status=404)

    # Last: the bundle's route above must win over the static directory.
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    return app
