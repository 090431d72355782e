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

from starlette.requests import Request
from starlette.responses import Response

from bot.common.cookies import SignedCookie
from bot.common.web import BASE_HEADERS

SESSION_COOKIE = "allocbot_console"
LOGIN_COOKIE = "allocbot_console_login"
SESSION_SECONDS = 8 * 3600
LOGIN_FORM_SECONDS = 30 * 60

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [(b"content-security-policy", CSP.encode()), *BASE_HEADERS]


@dataclass(frozen=True)
class Session:
    login: str
    session_id: str


class Sessions:
    """Signs, reads and revokes console sessions; derives their CSRF tokens."""

    def __init__(self, secret: str, secure: bool = False):
        self._secret = secret.encode()
        self._cookie = SignedCookie(SESSION_COOKIE, secret, "allocbot-console-session", SESSION_SECONDS, secure=secure)
        self._login = SignedCookie(
            LOGIN_COOKIE, secret, "allocbot-console-login", LOGIN_FORM_SECONDS, secure=secure, path="/login"
        )
        self._revoked: set[str] = set()
        self.secure = secure

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    # --- session -------------------------------------------------------------
    def open(self, response: Response, login: str) -> None:
        self._cookie.write(response, {"login": login, "sid": secrets.token_urlsafe(18)})
        self._login.clear(response)

    def read(self, request: Request) -> Session | None:
        data = self._cookie.read(request)
        if data is None or data.get("sid") in self._revoked:
            return None
        return Session(str(data.get("login", "")), str(data.get("sid", "")))

    def close(self, response: Response, session: Session | None) -> None:
        if session is not None:
            self._revoked.add(session.session_id)
        self._cookie.clear(response)

    # --- CSRF ------------------------------------------------------------------
    def csrf_token(self, session: Session) -> str:
        return self._mac("csrf", session.session_id)

    def csrf_valid(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(token.encode(), self.csrf_token(session).encode())

    def _login_nonce(self, request: Request) -> str | None:
        data = self._login.read(request)
        nonce = data.get("nonce") if data else None
        return nonce if isinstance(nonce, str) else None

    def login_form(self, request: Request) -> tuple[str, str]:
        """A nonce for the login form's cookie and the form's CSRF token bound to it (there is no session yet)."""
        nonce = self._login_nonce(request) or secrets.token_urlsafe(18)
        return nonce, self._mac("login", nonce)

    def keep_login_nonce(self, response: Response, nonce: str) -> None:
        self._login.write(response, {"nonce": nonce})

    def login_form_valid(self, request: Request, token: str | None) -> bool:
        nonce = self._login_nonce(request)
        return bool(nonce and token) and hmac.compare_digest(token.encode(), self._mac("login", nonce).encode())
