"""Hostile and broken inputs on the two web applications: the personal space and the counsellor console.

Every hostile text of the REST/socket.io suite goes into every field of their
forms, plus broken bodies and paths: a clear 4xx or a French page, never a 500,
never an unescaped echo, and both processes still answer afterwards.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.fakes.addresses import new_address
from tests.robustness.test_hostile_inputs import HOSTILE_TEXTS

BROKEN_PATHS = ["/%00", "/../../etc/passwd", "/static/../../bot/config.py", "/" + "a" * 5000, "/espace/%ff%fe"]


@pytest.fixture(scope="module")
def web(dialogue):
    if dialogue.site_port is None:
        dialogue.start_site()
    if dialogue.console_port is None:
        dialogue.start_console()
    return dialogue


def form_token(client: httpx.Client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def assert_alive(web) -> None:
    assert httpx.get(web.site_url + "/health", timeout=10).status_code == 200
    assert httpx.get(web.console_url + "/health", timeout=10).status_code == 200


@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXTS))
def test_hostile_text_in_the_sites_login_and_the_consoles_login(web, kind: str) -> None:
    text = HOSTILE_TEXTS[kind]
    with httpx.Client(base_url=web.site_url, timeout=30, headers={"X-Forwarded-For": new_address()}) as site:
        answer = site.post(
            "/connexion",
            data={"csrf_token": form_token(site, "/connexion"), "identifiant": text, "date_naissance": text},
        )
        assert 400 <= answer.status_code < 500, answer.status_code
        assert "<script>" not in answer.text and "onerror=alert" not in answer.text
        assert "Indiquez votre identifiant" in answer.text or "ne nous permettent pas" in answer.text
    with httpx.Client(base_url=web.console_url, timeout=30, headers={"X-Forwarded-For": new_address()}) as console:
        answer = console.post(
            "/login", data={"csrf_token": form_token(console, "/login"), "login": text, "password": text}
        )
        assert answer.status_code == 401, answer.status_code
        assert "<script>" not in answer.text
    assert_alive(web)


@pytest.mark.parametrize("app", ["site", "console"])
def test_broken_bodies_and_paths_get_a_4xx(web, app: str) -> None:
    base, form = (web.site_url, "/connexion") if app == "site" else (web.console_url, "/login")
    with httpx.Client(base_url=base, timeout=30, headers={"X-Forwarded-For": new_address()}) as client:
        token = form_token(client, form)
        for content, content_type in [
            (
                b"csrf_token=" + token.encode() + b"&identifiant=\xff\xfe&login=\xff\xfe",
                "application/x-www-form-urlencoded",
            ),
            (b"x" * 100_000, "application/x-www-form-urlencoded"),
            (b'{"identifiant": "1234567A"}', "application/json"),
            (b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--", "multipart/form-data; boundary=x"),
        ]:
            answer = client.post(form, content=content, headers={"Content-Type": content_type})
            assert 400 <= answer.status_code < 500, (content[:40], answer.status_code)
        for path in BROKEN_PATHS:
            answer = client.get(path)
            assert answer.status_code in (303, 400, 404, 414), (path, answer.status_code)
            assert "ALLOCBOT_" not in answer.text
    assert_alive(web)
