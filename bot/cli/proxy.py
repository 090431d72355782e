"""The shipped nginx configuration (``deploy/nginx/``) run on a loopback port, in front of a running stack.

Used by the reverse-proxy tests and by ``bot.cli.security_check``: the two files
that say what is public (``allocbot-http.conf``, ``allocbot-locations.conf``) are
included exactly as shipped; only the TLS server of ``allocbot.conf`` is
replaced by a plain listener on 127.0.0.1, with upstreams at the stack's ports.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import httpx

from bot.common.config import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy" / "nginx"


def nginx_binary() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).exists() else None


def write_config(workdir: Path, port: int, rasa_port: int, site_port: int) -> Path:
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / name).mkdir(parents=True, exist_ok=True)
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""# Written by bot/cli/proxy.py: the shipped locations on a loopback listener.
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


class Nginx:
    """The real nginx, in the foreground of its own process, stopped with ``stop()``."""

    def __init__(self, workdir: Path, port: int, rasa_port: int, site_port: int):
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx est introuvable (apt-get install nginx)")
        self.workdir = workdir
        self.url = f"http://127.0.0.1:{port}"
        self.conf = write_config(workdir, port, rasa_port, site_port)
        check = subprocess.run([binary, "-t", "-p", str(workdir), "-c", str(self.conf)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"configuration nginx refusée : {check.stderr}")
        self.process = subprocess.Popen(
            [binary, "-p", str(workdir), "-c", str(self.conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.url, timeout=2)
                return
            except httpx.HTTPError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError((workdir / "error.log").read_text(errors="replace")) from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
