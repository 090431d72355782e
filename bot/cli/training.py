"""Train the Rasa model only when its inputs changed.

The fingerprint is a hash of domain.yml, config.yml, data/ and the custom NLU
code; it is stored beside the model. Rasa's own check loads the old model
first; this one answers in milliseconds.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bot import rasa_runtime
from bot.common.config import PROJECT_ROOT

MODEL_DIR = PROJECT_ROOT / "models"
MODEL_NAME = "allocbot"
MODEL_PATH = MODEL_DIR / f"{MODEL_NAME}.tar.gz"
FINGERPRINT_PATH = MODEL_DIR / f"{MODEL_NAME}.fingerprint"


def quiet_env() -> dict[str, str]:
    """The environment of a Rasa command (telemetry off), without the pages of deprecation warnings
    Rasa's dependencies print, which hide what matters."""
    return rasa_runtime.environment({**os.environ, "PYTHONWARNINGS": "ignore", "TF_CPP_MIN_LOG_LEVEL": "3"})


def training_inputs(root: Path = PROJECT_ROOT) -> list[Path]:
    files = [root / "domain.yml", root / "config.yml"]
    files += sorted((root / "data").rglob("*.yml"))
    nlu_code = root / "bot" / "nlu"
    if nlu_code.exists():
        files += sorted(nlu_code.rglob("*.py"))
        files += shared_modules_of(files, root)
    return files


def shared_modules_of(code: list[Path], root: Path = PROJECT_ROOT) -> list[Path]:
    """The ``bot.common`` modules the NLU code imports (the catalogue of needs, the folding): the
    model's components behave by them too."""
    names = set()
    for path in code:
        if path.suffix == ".py":
            names.update(re.findall(r"^\s*from bot\.common(?:\.(\w+))? import (\w+)", path.read_text(), re.M))
    modules = {module or name for module, name in names}
    return sorted(path for name in modules if (path := root / "bot" / "common" / f"{name}.py").exists())


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in training_inputs(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_is_stale() -> bool:
    if not MODEL_PATH.exists() or not FINGERPRINT_PATH.exists():
        return True
    return FINGERPRINT_PATH.read_text().strip() != fingerprint()


def train_if_stale(force: bool = False) -> float | None:
    """Train when needed; returns the training time in seconds, or None when up to date.

    A file lock makes concurrent callers (two test runs, a test run and the run
    command) wait for one training instead of writing the same model twice."""
    MODEL_DIR.mkdir(exist_ok=True)
    with open(MODEL_DIR / ".training.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _train_if_stale(force)


def _train_if_stale(force: bool) -> float | None:
    if not force and not model_is_stale():
        print("→ modèle Rasa à jour, pas d'entraînement.")
        return None
    print("→ entraînement du modèle Rasa (les données ont changé)…", flush=True)
    started = time.monotonic()
    expected = fingerprint()
    subprocess.run(
        rasa_runtime.command("train", "--fixed-model-name", MODEL_NAME, "--out", str(MODEL_DIR), "--force", "--quiet"),
        cwd=PROJECT_ROOT,
        check=True,
        env=quiet_env(),
    )
    FINGERPRINT_PATH.write_text(expected + "\n")
    elapsed = time.monotonic() - started
    print(f"→ modèle entraîné en {elapsed:.0f} s.")
    return elapsed


if __name__ == "__main__":
    train_if_stale(force="--force" in sys.argv)
