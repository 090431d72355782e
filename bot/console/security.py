"""Session cookie, CSRF tokens and security headers of the console.

* The session is a cookie signed with ``ALLOCBOT_CONSOLE_SECRET`` (itsdangerous),
  HttpOnly and SameSite=Strict, valid for one working day. It holds the login and
  a random session id; logging out revokes that id in this process.
* Every POST (forms and fetch calls alike) carries a CSRF token derived from the
  session id with an HMAC: a form field ``csrf_token`` or the header
  ``X-CSRF-Token``. The login form, before any session, uses a random nonce kept
  in a short-lived cookie the same way.
* Every answer has a strict Content-Security-Policy (no inline script or style,
  nothing from another origin), X-Frame-Options DENY and no caching: pages show
  personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "allocbot_console"
LOGIN_COOKIE = "allocbot_console_login"
SESSION_SECONDS = 8 * 3600
LOGIN_FORM_SECONDS = 30 * 60

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Session:
    login: str
    session_id: str


class Sessions:
    """Signs, reads and revokes console sessions; derives their CSRF tokens."""

    def __init__(self, secret: str, secure: bool = False):
        self._secret = secret.encode()
        self._serializer = URLSafeTimedSerializer(secret, salt="allocbot-console-session")
        self._revoked: set[str] = set()
        self.secure = secure

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    # --- session -------------------------------------------------------------
    def open(self, response: Response, login: str) -> None:
        value = self._serializer.dumps({"login": login, "sid": secrets.token_urlsafe(18)})
        response.set_cookie(
            SESSION_COOKIE,
            value,
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="strict",
            secure=self.secure,
            path="/",
        )
        response.delete_cookie(LOGIN_COOKIE, path="/login")

    def read(self, request: Request) -> Session | None:
        value = request.cookies.get(SESSION_COOKIE)
        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=SESSION_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or data.get("sid") in self._revoked:
            return None
        return Session(str(data.get("login", "")), str(data.get("sid", "")))

    def close(self, response: Response, session: Session | None) -> None:
        if session is not None:
            self._revoked.add(session.session_id)
        response.delete_cookie(SESSION_COOKIE, path="/")

    # --- CSRF ------------------------------------------------------------------
    def csrf_token(self, session: Session) -> str:
        return self._mac("csrf", session.session_id)

    def csrf_valid(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(token.encode(), self.csrf_token(session).encode())

    def login_form(self, request: Request) -> tuple[str, str]:
        """A nonce for the login form's cookie and the form's CSRF token bound to it (there is no session yet)."""
        nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(18)
        return nonce, self._mac("login", nonce)

    def keep_login_nonce(self, response: Response, nonce: str) -> None:
        response.set_cookie(
            LOGIN_COOKIE,
            nonce,
            max_age=LOGIN_FORM_SECONDS,
            httponly=True,
            samesite="strict",
            secure=self.secure,
            path="/login",
        )

    def login_form_valid(self, request: Request, token: str | None) -> bool:
        nonce = request.cookies.get(LOGIN_COOKIE)
        return bool(nonce and token) and hmac.compare_digest(token.encode(), self._mac("login", nonce).encode())


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
