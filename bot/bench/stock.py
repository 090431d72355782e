"""The stock Rasa assistant the benchmark compares with: what ``rasa init`` creates.

Created once with the project's own Rasa (same virtualenv, same version) under
``var/bench/stock/rasa-<version>/`` and trained there (DIET and TED: minutes
on two cores); reruns reuse it, and the training time measured then is kept
beside it in ``stock.json``. It runs as one ``rasa run --enable-api``
process, like the stock deployment the goals were stated against: unpatched
(``bot.rasa_runtime --stock``), under the same environment rules as ours
(telemetry off, API token from the environment).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from bot import rasa_runtime
from bot.cli.processes import Service, rasa_server_command
from bot.cli.training import quiet_env
from bot.common.config import PROJECT_ROOT

RASA_VERSION = version("rasa")
STOCK_DIR = PROJECT_ROOT / "var" / "bench" / "stock" / f"rasa-{RASA_VERSION}"


def stock_project(stock_dir: Path = STOCK_DIR) -> dict:
    """The stock project's model and the time its training took, creating it if needed."""
    meta_path = stock_dir / "stock.json"
    project = stock_dir / "project"
    models = sorted((project / "models").glob("*.tar.gz")) if project.exists() else []
    if meta_path.exists() and models:
        return {**json.loads(meta_path.read_text()), "model": str(models[-1]), "project": str(project), "cached": True}
    if stock_dir.exists():
        shutil.rmtree(stock_dir)  # a half-made project from an interrupted run
    project.mkdir(parents=True)
    print(f"→ création et entraînement de l'assistant Rasa de base (rasa init) dans {stock_dir}…", flush=True)
    started = time.monotonic()
    # A fresh training cache, so that the time is that of a full training.
    # PYTHONPATH: the command runs in the stock project's folder, where ``bot`` (bot.rasa_runtime) is not importable.
    env = {**quiet_env(), "RASA_CACHE_DIRECTORY": str(stock_dir / "cache"), "PYTHONPATH": str(PROJECT_ROOT)}
    with open(stock_dir / "init.log", "wb") as log:
        subprocess.run(
            rasa_runtime.command("init", "--no-prompt", "--init-dir", "project", stock=True),
            cwd=stock_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
    meta = {
        "training_s": round(time.monotonic() - started, 1),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rasa_version": RASA_VERSION,
        "command": "rasa init --no-prompt (scaffold + full training)",
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    models = sorted((project / "models").glob("*.tar.gz"))
    return {**meta, "model": str(models[-1]), "project": str(project), "cached": False}


def stock_service(project: dict, port: int, token: str, log_dir: Path) -> Service:
    """One ``rasa run`` process with the stock model, its own credentials (REST) and endpoints."""
    root = Path(project["project"])
    return Service(
        "stock-rasa",
        # Unpatched Rasa, under the same rules as ours: telemetry off, the token from the environment.
        rasa_server_command(
            port, project["model"], str(root / "credentials.yml"), str(root / "endpoints.yml"), stock=True
        ),
        f"http://127.0.0.1:{port}/status?token={token}",
        log_dir / "stock-rasa.log",
        {rasa_runtime.TOKEN_VARIABLE: token},
    )
