"""The personal space over HTTP: login through the backend, session cookie, CSRF, site token, headers."""

from __future__ import annotations

import html
import re
from datetime import date

import httpx
import pytest

from bot import site_token
from bot.backend.seed import synthetic_identity
from tests.fakes.addresses import new_address
from tests.integration.conversation import BackendView
from tests.servers import Stack

CAMILLE = ("1234567A", "12/04/1988")
# Synthetic people 16 and 17 are this module's (others use the low indices for their lock tests).
LOCKED_PERSON = synthetic_identity(16)
PAGES = [
    "/",
    "/connexion",
    "/espace",
    "/page-qui-n-existe-pas",
    "/static/site.css",
    "/static/chat.js",
    "/static/vendor/rasa-webchat.js",
]


def client(stack: Stack, address: str | None = None) -> httpx.Client:
    """A browser of its own, at an address of its own behind the (trusted) proxy."""
    headers = {"X-Forwarded-For": address or new_address()}
    return httpx.Client(base_url=stack.site_url, timeout=30, follow_redirects=False, headers=headers)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(browser: httpx.Client, identifier: str, birth_date: str, csrf: str | None = None) -> httpx.Response:
    csrf = csrf if csrf is not None else csrf_of(browser.get("/connexion").text)
    return browser.post(
        "/connexion", data={"csrf_token": csrf, "identifiant": identifier, "date_naissance": birth_date}
    )


def test_health_and_widget_bundle(site):
    with client(site) as browser:
        assert browser.get("/health").json() == {"status": "ok", "widget": True}
        bundle = browser.get("/static/vendor/rasa-webchat.js")
        assert bundle.status_code == 200
        assert bundle.headers["content-type"].startswith("application/javascript")
        assert "e.WebChat=t()" in bundle.text[:1000]  # the UMD bundle (React inside), not a CDN link


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_answer(site, path):
    with client(site) as browser:
        response = browser.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    rasa_port = site.rasa_url.rsplit(":", 1)[1]
    assert f"http://127.0.0.1:{rasa_port}" in csp and f"ws://127.0.0.1:{rasa_port}" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    if not path.startswith("/static/"):
        assert response.headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script(site):
    with client(site) as visitor, client(site) as person:
        login(person, *CAMILLE)
        for browser, path in [(visitor, "/"), (visitor, "/connexion"), (person, "/"), (person, "/espace")]:
            page = browser.get(path)
            assert page.status_code == 200
            assert '<html lang="fr">' in page.text
            assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) == []
            assert not re.search(r"<[^>]+\son[a-z]+\s*=", page.text)  # no inline event handler either


def test_login_opens_the_personal_space_with_a_site_token_for_that_person(site):
    backend = BackendView(site, "1234567A", date(1988, 4, 12))
    with client(site) as browser:
        response = login(browser, *CAMILLE)
        assert response.status_code == 303 and response.headers["location"] == "/espace"
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        space = browser.get("/espace")
        assert space.status_code == 200
        assert "Mon espace" in space.text and "Bonjour Camille" in space.text
        token = re.search(r'data-site-token="([^"]+)"', space.text).group(1)
        assert site_token.verify(token, site.env["ALLOCBOT_SITE_TOKEN_SECRET"]) == backend.person
        with pytest.raises(site_token.InvalidSiteToken):
            site_token.verify(token, "another-secret-" + "x" * 32)
    backend.close()


def test_the_page_gets_a_fresh_token_only_with_its_csrf_token(site):
    with client(site) as browser:
        login(browser, *CAMILLE)
        space = browser.get("/espace").text
        csrf = re.search(r'data-csrf="([^"]+)"', space).group(1)
        assert browser.post("/espace/jeton").status_code == 403
        assert browser.post("/espace/jeton", headers={"X-CSRF-Token": "forged"}).status_code == 403
        fresh = browser.post("/espace/jeton", headers={"X-CSRF-Token": csrf})
        assert fresh.status_code == 200
        assert site_token.verify(fresh.json()["site_token"], site.env["ALLOCBOT_SITE_TOKEN_SECRET"]) > 0
    with client(site) as stranger:
        stranger.get("/connexion")
        assert stranger.post("/espace/jeton", headers={"X-CSRF-Token": csrf}).status_code == 403


def test_login_without_the_form_csrf_token_is_refused(site):
    with client(site) as browser:
        response = login(browser, *CAMILLE, csrf="forged")
        assert response.status_code == 400
        assert "Le formulaire a expiré" in response.text
        assert browser.get("/espace").headers["location"] == "/connexion"
    with client(site) as attacker:  # a cross-site post has no session cookie at all
        response = attacker.post(
            "/connexion", data={"csrf_token": "", "identifiant": "1234567A", "date_naissance": "12/04/1988"}
        )
        assert response.status_code == 400


def test_bad_input_gets_a_clear_french_answer(site):
    with client(site) as browser:
        for identifier, birth_date in [
            ("", "12/04/1988"),
            ("1234567A", "31/02/1988"),
            ("1234567A", "demain"),
            ("X" * 500, "12/04/1988"),
        ]:
            response = login(browser, identifier, birth_date)
            assert response.status_code == 400
            assert "au format JJ/MM/AAAA" in response.text
        csrf = csrf_of(browser.get("/connexion").text)
        huge = browser.post(
            "/connexion", data={"csrf_token": csrf, "identifiant": "A" * 10_000, "date_naissance": "12/04/1988"}
        )
        assert huge.status_code == 400 and "Le formulaire a expiré" in huge.text
        as_json = browser.post("/connexion", json={"identifiant": "1234567A"})
        assert as_json.status_code == 400


def test_wrong_details_then_lock_are_said_in_french(site):
    person = LOCKED_PERSON
    wrong = person.birth_date.replace(year=person.birth_date.year + 1).strftime("%d/%m/%Y")
    with client(site) as browser:
        first = login(browser, person.identifier, wrong)
        assert first.status_code == 401
        assert "ne nous permettent pas de vous identifier" in first.text
        assert 'role="alert"' in first.text
        login(browser, person.identifier, wrong)
        login(browser, person.identifier, wrong)
        locked = login(browser, person.identifier, person.birth_date.strftime("%d/%m/%Y"))
        assert locked.status_code == 401
        assert "Trop d'essais" in html.unescape(locked.text) and "minutes" in locked.text
        assert browser.get("/espace").headers["location"] == "/connexion"


def test_a_forged_session_cookie_is_anonymous(site):
    with client(site) as browser:
        browser.cookies.set("allocbot_espace", "eyJwZXJzb24iOjF9.forged.signature")
        response = browser.get("/espace")
        assert response.status_code == 303 and response.headers["location"] == "/connexion"


def test_logout_ends_the_session_and_clears_the_chat(site):
    with client(site) as browser:
        login(browser, *CAMILLE)
        space = browser.get("/espace").text
        assert browser.post("/deconnexion", data={"csrf_token": "forged"}).status_code == 303
        assert browser.get("/espace").status_code == 200  # a forged logout does nothing
        old_cookie = browser.cookies["allocbot_espace"]
        out = browser.post("/deconnexion", data={"csrf_token": csrf_of(space)})
        assert out.status_code == 200 and "Vous êtes déconnecté(e)" in out.text
        assert '<script src="/static/logout.js">' in out.text
        assert browser.get("/espace").headers["location"] == "/connexion"
    with client(site) as thief:  # a copy of the cookie taken before the logout opens nothing
        thief.cookies.set("allocbot_espace", old_cookie)
        assert thief.get("/espace").headers["location"] == "/connexion"
