"""Session cookie, CSRF tokens and security headers of the personal space.

* The session is one cookie signed with itsdangerous (HttpOnly, SameSite=Lax,
  8 hours). It always exists, even before login, because it carries the CSRF
  secret of the login form; after login it also names the job seeker's file
  (``person``), their first name and a random ``login`` id that the page uses to
  start a fresh chat conversation when someone else logs in on the same tab.
* Every POST carries that CSRF secret back, as a form field ``csrf_token`` or the
  header ``X-CSRF-Token``; it is compared in constant time.
* Every answer gets a Content-Security-Policy that allows our own scripts and
  exactly one other origin, the Rasa server the widget talks to (HTTP polling and
  WebSocket), plus the usual hardening headers. ``style-src 'unsafe-inline'`` is
  needed because rasa-webchat injects its stylesheet with a <style> element;
  scripts stay strictly ``'self'`` (no inline script anywhere in the templates).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from bot.common.cookies import SignedCookie
from bot.common.web import BASE_HEADERS, Header

COOKIE = "allocbot_espace"
SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True)
class SiteSession:
    csrf: str
    person: int | None = None
    first_name: str = ""
    login: str = ""

    @property
    def logged_in(self) -> bool:
        return self.person is not None


class Sessions:
    """Reads and writes the signed session cookie."""

    def __init__(self, secret: str, secure: bool = False):
        # Own salt: the same secret also signs the widget's site tokens (JWT), never confusable with this.
        self._cookie = SignedCookie(COOKIE, secret, "allocbot-site-session", SESSION_SECONDS, "lax", secure)
        self.secure = secure
        # Logins ended by a logout: a copy of the old cookie must not reopen the space. In memory
        # (one site process); a restart forgets them, and the cookie lasts at most 8 hours anyway.
        self._ended: set[str] = set()

    def read(self, request: Request) -> SiteSession | None:
        data = self._cookie.read(request)
        if data is None or not isinstance(data.get("csrf"), str):
            return None
        person = data.get("person")
        if data.get("login") in self._ended:
            return SiteSession(data["csrf"])
        return SiteSession(
            data["csrf"],
            person if isinstance(person, int) else None,
            str(data.get("first_name", "")),
            str(data.get("login", "")),
        )

    def anonymous(self) -> SiteSession:
        return SiteSession(csrf=secrets.token_urlsafe(24))

    def logged_in(self, person: int, first_name: str) -> SiteSession:
        # A new CSRF secret at login: a token seen before login is worth nothing after.
        return SiteSession(
            csrf=secrets.token_urlsafe(24), person=person, first_name=first_name, login=secrets.token_urlsafe(12)
        )

    def write(self, response: Response, session: SiteSession) -> None:
        self._cookie.write(
            response,
            {"csrf": session.csrf, "person": session.person, "first_name": session.first_name, "login": session.login},
        )

    def clear(self, response: Response) -> None:
        self._cookie.clear(response)

    @staticmethod
    def csrf_valid(session: SiteSession | None, token: str | None) -> bool:
        return bool(session and token) and hmac.compare_digest(token.encode(), session.csrf.encode())

    def logged_out(self, session: SiteSession) -> SiteSession:
        if session.login:
            self._ended.add(session.login)
        return replace(session, person=None, first_name="", login="", csrf=secrets.token_urlsafe(24))


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(socket_url: str) -> str:
    http_origin = origin_of(socket_url)
    ws_origin = http_origin.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    return (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"font-src 'self' data:; connect-src 'self' {http_origin} {ws_origin}; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )


def security_headers(socket_url: str, https: bool = False) -> list[Header]:
    """The site's hardening headers for ``bot.common.web.SecurityHeaders`` (static files stay cacheable)."""
    return [
        (b"content-security-policy", content_security_policy(socket_url).encode()),
        *BASE_HEADERS,
        *([(b"strict-transport-security", b"max-age=31536000")] if https else []),
    ]
