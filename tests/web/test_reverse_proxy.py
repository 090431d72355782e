"""The shipped nginx configuration (deploy/nginx/) in front of the real servers: what is reachable (issue 17 §1).

The real nginx (Debian's) is started by ``bot.cli.proxy`` with ``allocbot-http.conf``
and ``allocbot-locations.conf`` exactly as shipped, on a free loopback port, with
upstreams pointing at the session's Rasa and at a personal space whose widget
talks to the proxy (so the browser goes through nginx for the page and for
socket.io, WebSocket upgrade included).
"""

from __future__ import annotations

import httpx
import pytest

from bot.cli.processes import site_service, start_all
from bot.cli.proxy import Nginx, nginx_binary
from bot.cli.stack import free_port
from tests.fakes.webchat import Widget
from tests.servers import RASA_TOKEN, SERVICE_TOKEN, WHATSAPP_VERIFY_TOKEN


@pytest.fixture(scope="module")
def proxy(site, tmp_path_factory):
    if nginx_binary() is None:
        pytest.fail("nginx est introuvable : .ci/run l'installe (apt-get install nginx)")
    workdir = tmp_path_factory.mktemp("nginx")
    port, site_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    # The site behind the proxy hands the widget the proxy's address, as in production.
    public_site = site_service(site_port, {**site.env, "ALLOCBOT_WIDGET_SOCKET_URL": url}, workdir / "log")
    start_all([public_site])
    try:
        nginx = Nginx(workdir, port, site.rasa_port, site_port)
    except RuntimeError:
        public_site.stop()
        raise
    yield nginx.url
    nginx.stop()
    public_site.stop()


NOT_PUBLISHED = [
    ("POST", "/webhooks/rest/webhook"),
    ("GET", "/webhooks/rest/"),
    ("GET", "/webhooks/twilio_sms/"),
    ("GET", "/webhooks/twilio_voice/"),
    ("POST", "/webhooks/twilio_voice/other"),
    ("GET", f"/status?token={RASA_TOKEN}"),
    ("GET", "/version"),
    ("GET", f"/conversations/web-0/tracker?token={RASA_TOKEN}"),
    ("POST", f"/conversations/web-0/tracker/events?token={RASA_TOKEN}"),
    ("POST", f"/model/parse?token={RASA_TOKEN}"),
    ("PUT", f"/model?token={RASA_TOKEN}"),
    ("GET", "/health"),
]


@pytest.mark.parametrize(("method", "path"), NOT_PUBLISHED, ids=[f"{m} {p.split('?')[0]}" for m, p in NOT_PUBLISHED])
def test_rasas_api_and_rest_channel_are_not_published(proxy, site, method: str, path: str) -> None:
    response = httpx.request(
        method, proxy + path, json={"sender": "t-proxy", "message": "bonjour"}, headers=site.rest_headers, timeout=30
    )
    assert response.status_code == 404, response.text[:200]
    assert "rasa" not in response.text.lower()


def test_the_console_and_the_backend_are_not_published(proxy) -> None:
    login = httpx.get(proxy + "/login", timeout=30)
    assert login.status_code == 404 and "Mot de passe" not in login.text  # the site's own 404 page
    tickets = httpx.get(proxy + "/v1/handoff-tickets", headers={"X-Service-Token": SERVICE_TOKEN}, timeout=30)
    assert tickets.status_code == 404 and "tickets" not in tickets.text


def test_the_webhooks_and_the_site_are_published(proxy) -> None:
    assert httpx.get(proxy + "/", timeout=30).status_code == 200
    assert httpx.get(proxy + "/connexion", timeout=30).status_code == 200
    assert httpx.get(proxy + "/static/vendor/rasa-webchat.js", timeout=30).status_code == 200
    handshake = httpx.get(
        proxy + "/webhooks/whatsapp/webhook",
        params={"hub.mode": "subscribe", "hub.verify_token": WHATSAPP_VERIFY_TOKEN, "hub.challenge": "424242"},
        timeout=30,
    )
    assert handshake.status_code == 200 and handshake.text == "424242"
    unsigned = httpx.post(
        proxy + "/webhooks/twilio_sms/webhook",
        content="From=%2B33612345601&Body=bonjour",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert unsigned.status_code == 403  # reached Rasa, refused there: no signature
    assert httpx.get(proxy + "/webhooks/twilio_sms/webhook", timeout=30).status_code == 403  # POST only
    for hook in ("webhook", "gather", "status", "transfer", "whisper"):  # the phone's webhooks
        unsigned_call = httpx.post(
            proxy + f"/webhooks/twilio_voice/{hook}",
            content="CallSid=CA" + "0" * 32 + "&From=%2B33612345601",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=30,
        )
        assert unsigned_call.status_code == 403, hook  # reached Rasa, refused there
        assert httpx.get(proxy + f"/webhooks/twilio_voice/{hook}", timeout=30).status_code == 403  # POST only
    assert httpx.post(proxy + "/", content=b"x" * 70_000, timeout=30).status_code == 413


def test_socketio_goes_through_the_proxy(proxy) -> None:
    widget = Widget(proxy).open()
    widget.send("bonjour")
    assert "assistant automatique" in " ".join(widget.wait_for("assistant automatique"))
    widget.close()


def test_the_widget_in_a_real_browser_talks_through_the_proxy(proxy, page) -> None:
    websockets: list[str] = []
    page.on("websocket", lambda socket: websockets.append(socket.url))
    page.goto(proxy + "/")
    page.locator(".rw-response", has_text="assistant automatique").first.wait_for()
    assert websockets and all(url.startswith(proxy.replace("http", "ws")) for url in websockets)
