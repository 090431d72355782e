"""The console's rules, in the browser and over HTTP: login, throttling, CSRF, who may take what,
release, escaping of people's text, keyboard use, security headers."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.console.conftest import csrf_of, logged_in_client


def test_wrong_password_is_refused_with_a_clear_french_message(browser, console):
    page = browser.new_page(base_url=console.console_url)
    try:
        page.goto("/login")
        page.get_by_label("Identifiant").fill("c.martin")
        page.get_by_label("Mot de passe").fill("pas-le-bon")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
        assert page.url.endswith("/login")
        page.goto("/")
        assert page.url.endswith("/login")  # still not logged in
    finally:
        page.close()


def login_form(client: httpx.Client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)


def test_too_many_failures_block_the_login_even_with_the_right_password(console, password):
    with httpx.Client(base_url=console.console_url, timeout=15) as client:
        token = login_form(client)
        for _ in range(5):
            answer = client.post("/login", data={"csrf_token": token, "login": "a.nguyen", "password": "non"})
            assert answer.status_code == 401
        blocked = client.post("/login", data={"csrf_token": token, "login": "a.nguyen", "password": password})
        assert blocked.status_code == 429
        assert "Trop de tentatives" in blocked.text
        assert "allocbot_console=" not in blocked.headers.get("set-cookie", "")


def test_login_form_without_its_csrf_token_is_refused(console, password):
    with httpx.Client(base_url=console.console_url, timeout=15) as client:
        client.get("/login")
        answer = client.post("/login", data={"login": "c.martin", "password": password})
        assert answer.status_code == 403
        assert "allocbot_console=" not in answer.headers.get("set-cookie", "")


def test_every_post_without_the_csrf_token_is_refused(console, password, ticket_via_api, backend):
    ticket = ticket_via_api()
    reference = ticket["reference"]
    with logged_in_client(console, password) as client:
        for action in ("take", "release", "close", "reply"):
            answer = client.post(f"/tickets/{reference}/{action}", data={"text": "bonjour"})
            assert answer.status_code == 403, action
            assert "Jeton de sécurité" in answer.text
        forged = client.post(
            f"/tickets/{reference}/reply",
            data={"text": "bonjour"},
            headers={"X-CSRF-Token": "0" * 64, "Accept": "application/json"},
        )
        assert forged.status_code == 403
        assert client.post("/logout").status_code == 403
    assert backend.get(f"/v1/handoff-tickets/{reference}").json()["status"] == "waiting"


def test_session_cookie_and_security_headers(console, password):
    with httpx.Client(base_url=console.console_url, timeout=15) as client:
        login_page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text).group(1)
        answer = client.post("/login", data={"csrf_token": token, "login": "p.durand", "password": password})
        cookie = next(value for value in answer.headers.get_list("set-cookie") if value.startswith("allocbot_console="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        queue = client.get("/")
    for response in (login_page, queue):
        assert response.status_code == 200
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert "<script>" not in response.text  # the page's only script is /static/console.js


def test_pages_need_a_session(console):
    assert httpx.get(f"{console.console_url}/").headers["location"] == "/login"
    api = httpx.get(f"{console.console_url}/api/queue")
    assert api.status_code == 401 and "reconnectez-vous" in api.json()["message"]
    forged = httpx.get(f"{console.console_url}/", cookies={"allocbot_console": "eyJsb2dpbiI6ImMubWFydGluIn0.x.y"})
    assert forged.headers["location"] == "/login"


def test_unknown_ticket_is_a_clear_404(console, password):
    with logged_in_client(console, password) as client:
        for reference in ("AB-ZZZZZZ", "pas-un-ticket", "AB-12%3Cscript"):
            answer = client.get(f"/tickets/{reference}")
            assert answer.status_code == 404
            assert "Ce ticket n'existe pas." in html.unescape(answer.text)


def test_a_second_counsellor_cannot_take_a_taken_ticket_and_release_gives_it_back(counsellor_page, ticket_via_api):
    reference = ticket_via_api()["reference"]
    claire = counsellor_page("c.martin")
    paul = counsellor_page("p.durand")
    claire.goto(f"/tickets/{reference}")
    paul.goto(f"/tickets/{reference}")  # both see it waiting

    claire.get_by_role("button", name="Prendre en charge").click()
    expect(claire.locator(".notice")).to_contain_text("Vous avez pris ce ticket")

    paul.get_by_role("button", name="Prendre en charge").click()
    # Back to the queue: a colleague's ticket is no longer Paul's to read (issue 17 §9).
    expect(paul.locator(".notice")).to_have_text("Ce ticket est déjà pris par un autre conseiller.")
    paul.goto(f"/tickets/{reference}")
    expect(paul.get_by_role("alert")).to_contain_text("seuls ce conseiller et les superviseurs")
    expect(paul.locator("#reply-form")).to_have_count(0)
    expect(paul.locator("section[aria-labelledby=titre-dossier]")).to_have_count(0)

    claire.get_by_role("button", name="Rendre le ticket").click()
    expect(claire.locator(".notice")).to_contain_text("Ticket rendu")
    expect(claire.locator(f"#en-attente #lien-{reference}")).to_be_visible()

    paul.reload()
    paul.get_by_role("button", name="Prendre en charge").click()
    expect(paul.locator("#ticket-status")).to_contain_text("Paul Durand")


def test_a_counsellor_cannot_close_or_answer_a_ticket_taken_by_another(console, password, ticket_via_api):
    reference = ticket_via_api()["reference"]
    with (
        logged_in_client(console, password, "c.martin") as claire,
        logged_in_client(console, password, "p.durand") as paul,
    ):
        page = claire.get(f"/tickets/{reference}")
        assert claire.post(f"/tickets/{reference}/take", data={"csrf_token": csrf_of(page.text)}).status_code == 303
        assert paul.get(f"/tickets/{reference}").status_code == 403  # a colleague's conversation
        token = csrf_of(paul.get("/").text)
        close = paul.post(f"/tickets/{reference}/close", data={"csrf_token": token})
        assert close.headers["location"].endswith("avis=not_your_ticket")
        answer = paul.post(
            f"/tickets/{reference}/reply",
            data={"csrf_token": token, "text": "bonjour"},
            headers={"Accept": "application/json"},
        )
        assert answer.status_code == 409
        assert answer.json()["message"] == "Vous ne pouvez agir que sur un ticket que vous avez pris."


def test_bad_replies_get_a_clear_answer(console, password, ticket_via_api):
    reference = ticket_via_api()["reference"]
    with logged_in_client(console, password) as client:
        token = csrf_of(client.get(f"/tickets/{reference}").text)
        client.post(f"/tickets/{reference}/take", data={"csrf_token": token})
        json = {"Accept": "application/json", "X-CSRF-Token": token}
        empty = client.post(f"/tickets/{reference}/reply", data={"text": "   "}, headers=json)
        assert empty.status_code == 422 and empty.json()["message"] == "Écrivez un message avant de l'envoyer."
        long = client.post(f"/tickets/{reference}/reply", data={"text": "a" * 2001}, headers=json)
        assert long.status_code == 422 and "2000 caractères" in long.json()["message"]
        huge = client.post(
            f"/tickets/{reference}/reply",
            content=b"text=" + b"a" * 20000,
            headers={**json, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert huge.status_code == 413


def test_people_text_is_shown_as_text_never_run(counsellor_page, ticket_via_api, person):
    attack = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    someone = person()
    ticket = ticket_via_api(transcript=[{"sender": "user", "text": attack}], conversation_id=someone.session_id)
    page = counsellor_page("c.martin")
    page.goto(f"/tickets/{ticket['reference']}")
    expect(page.locator(".transcript .text")).to_have_text(attack)
    page.get_by_role("button", name="Prendre en charge").click()
    # The same through the live list, which the page's script fills in as the person writes.
    live = "<b>gras</b><script>window.pwned = 3</script>"
    someone.say(live)
    expect(page.locator("#messages .from-user .text").last).to_have_text(live)
    assert page.evaluate("window.pwned") is None
    assert page.locator("#contenu script, #contenu img, #contenu b").count() == 0


def test_the_queue_and_a_ticket_work_with_the_keyboard_alone(browser, console, password, ticket_via_api):
    reference = ticket_via_api(priority="urgent", reason="distress")["reference"]
    page = browser.new_page(base_url=console.console_url, viewport={"width": 1366, "height": 768})
    try:
        page.goto("/login")
        assert page.evaluate("document.activeElement.id") == "login"  # the field has the focus at once
        page.keyboard.type("c.martin")
        page.keyboard.press("Tab")
        page.keyboard.type(password)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/$"))
        page.keyboard.press("Tab")  # the skip link comes first
        assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"

        focused = tab_until(page, f"lien-{reference}")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # focus is visible
        assert focused
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(reference))
        assert tab_until(page, "take")
        page.keyboard.press("Enter")
        expect(page.locator(".notice")).to_contain_text("Vous avez pris ce ticket")
        assert tab_until(page, "reply-text")
        page.keyboard.type("Bonjour, je suis là.")
        page.keyboard.press("Control+Enter")
        expect(page.locator("#messages .from-counsellor")).to_contain_text("Bonjour, je suis là.")
    finally:
        page.close()


def tab_until(page, element_id: str, limit: int = 150) -> bool:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return True
    return False


@pytest.mark.parametrize("path", ["/login", "/", "ticket"])
def test_pages_are_labelled_landmarked_and_fit_a_laptop_screen(counsellor_page, ticket_via_api, path):
    page = counsellor_page("c.martin")
    if path == "/login":
        page.context.clear_cookies()
        page.goto("/login")
    elif path == "ticket":
        page.goto(f"/tickets/{ticket_via_api()['reference']}")
        page.get_by_role("button", name="Prendre en charge").click()
        assert page.locator("#messages").get_attribute("aria-live") == "polite"
    else:
        page.goto("/")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("main").count() == 1 and page.locator("header").count() == 1
    assert page.locator("h1").count() == 1
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('input:not([type=hidden]), textarea'))
        .filter(el => !el.labels || el.labels.length === 0).map(el => el.name)""")
    assert unlabelled == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # no horizontal scrolling


CONTRAST = """() => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const parts = rgb(getComputedStyle(el).backgroundColor);
      if (parts.length === 3 || (parts.length === 4 && parts[3] > 0)) return parts.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest(".visually-hidden, .skip-link") || el.disabled) continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(el.tagName + " " + el.textContent.trim().slice(0, 30) + " " + ratio.toFixed(2));
  }
  return low;
}"""


def test_text_contrast_is_at_least_4_5_to_1(counsellor_page, ticket_via_api, person):
    someone = person()
    lines = [{"sender": "user", "text": "aidez-moi"}, {"sender": "bot", "text": "Bien sûr."}]
    urgent = ticket_via_api(priority="urgent", reason="distress", transcript=lines, conversation_id=someone.session_id)
    page = counsellor_page("c.martin")
    expect(page.locator(f"#lien-{urgent['reference']}")).to_be_visible()
    assert page.evaluate(CONTRAST) == []
    page.goto(f"/tickets/{urgent['reference']}")
    page.get_by_role("button", name="Prendre en charge").click()
    page.get_by_label(re.compile("Votre réponse")).fill("Bonjour.")
    page.get_by_role("button", name="Envoyer").click()
    someone.say("merci")
    expect(page.locator("#messages .from-user")).to_have_count(1)
    expect(page.locator("#messages .from-counsellor")).to_have_count(1)
    assert page.evaluate(CONTRAST) == []
    page.context.clear_cookies()
    page.goto("/login")
    assert page.evaluate(CONTRAST) == []


def test_logging_out_ends_the_session_even_for_a_copy_of_its_cookie(console, password):
    with logged_in_client(console, password, "p.durand") as client:
        stolen = client.cookies.get("allocbot_console")
        token = csrf_of(client.get("/").text)
        assert client.post("/logout", data={"csrf_token": token}).headers["location"] == "/login"
    replay = httpx.get(f"{console.console_url}/", cookies={"allocbot_console": stolen})
    assert replay.status_code == 303 and replay.headers["location"] == "/login"
