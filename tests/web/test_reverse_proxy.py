"""The shipped nginx configuration (deploy/nginx/) in front of the real servers: what is reachable (issue 17 §1).

The real nginx (Debian's) is started with ``allocbot-http.conf`` and
``allocbot-locations.conf`` exactly as shipped, on a free loopback port, with
upstreams pointing at the session's Rasa and at a personal space whose widget
talks to the proxy (so the browser goes through nginx for the page and for
socket.io, WebSocket upgrade included). Only the TLS server block of
``allocbot.conf`` is replaced by a plain loopback listener.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from bot.cli.processes import site_service, start_all
from bot.cli.stack import free_port
from bot.config import PROJECT_ROOT
from tests.fakes.webchat import Widget
from tests.servers import RASA_TOKEN, SERVICE_TOKEN, WHATSAPP_VERIFY_TOKEN

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY = PROJECT_ROOT / "deploy" / "nginx"


def nginx_conf(workdir: Path, port: int, rasa_port: int, site_port: int) -> Path:
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / name).mkdir(exist_ok=True)
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""
user root;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {workdir}/access.log;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    include {DEPLOY}/allocbot-http.conf;
    upstream allocbot_rasa {{ server 127.0.0.1:{rasa_port}; }}
    upstream allocbot_site {{ server 127.0.0.1:{site_port}; }}
    server {{
        listen 127.0.0.1:{port};
        include {DEPLOY}/allocbot-locations.conf;
    }}
}}
"""
    )
    return conf


@pytest.fixture(scope="module")
def proxy(site, tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx est introuvable : .ci/run l'installe (apt-get install nginx)")
    workdir = tmp_path_factory.mktemp("nginx")
    port, site_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    # The site behind the proxy hands the widget the proxy's address, as in production.
    public_site = site_service(site_port, {**site.env, "ALLOCBOT_WIDGET_SOCKET_URL": url}, workdir / "log")
    start_all([public_site])
    conf = nginx_conf(workdir, port, site.rasa_port, site_port)
    check = subprocess.run([NGINX, "-t", "-p", str(workdir), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen([NGINX, "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError((workdir / "error.log").read_text()) from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(10)
        public_site.stop()


NOT_PUBLISHED = [
    ("POST", "/webhooks/rest/webhook"),
    ("GET", "/webhooks/rest/"),
    ("GET", "/webhooks/twilio_sms/"),
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
