"""The test command (``make test``) and the fast loop (``make unit``).

``make test`` is what CI runs: lint and format, the process boundaries
(import-linter contracts in pyproject.toml), type checks (mypy), training when
stale, ``rasa data validate``, the test stories, then every test, most of them
against the real servers they talk to (see tests/conftest.py).

``make unit`` (``--unit``) runs only the tests marked ``unit``: pure rules, NLU
components, channel formatting, the Rasa runtime's patches, actions in process
against the real backend application; no server is started (tests/conftest.py
refuses it). Both print their duration at the end so that it can be quoted.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bot import rasa_runtime
from bot.cli.training import MODEL_PATH, quiet_env, train_if_stale
from bot.common.config import PROJECT_ROOT

PYTHON = sys.executable
STATIC_CHECKS = [
    ("ruff", [PYTHON, "-m", "ruff", "check", "."]),
    ("ruff format", [PYTHON, "-m", "ruff", "format", "--check", "."]),
    ("frontières entre processus (import-linter)", [str(Path(PYTHON).with_name("lint-imports"))]),
    ("types (mypy)", [PYTHON, "-m", "mypy"]),
]


class StepFailed(Exception):
    def __init__(self, title: str, code: int):
        super().__init__(title)
        self.title, self.code = title, code


def step(title: str, command: list[str]) -> None:
    print(f"\n=== {title} ===", flush=True)
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=quiet_env())
    if done.returncode != 0:
        raise StepFailed(title, done.returncode)


def full(argv: list[str]) -> None:
    for title, command in STATIC_CHECKS:
        step(title, command)
    print("\n=== modèle Rasa ===", flush=True)
    train_if_stale()
    step("rasa data validate", rasa_runtime.command("data", "validate", "--quiet"))
    step(
        "rasa test core (histoires de test)",
        rasa_runtime.command(
            "test",
            "core",
            "--stories",
            "tests/stories",
            "--model",
            str(MODEL_PATH),
            "--out",
            "results/stories",
            "--fail-on-prediction-errors",
            "--no-plot",
        ),
    )
    step("pytest", [PYTHON, "-m", "pytest", *argv])


def unit(argv: list[str]) -> None:
    step("pytest -m unit (sans serveur)", [PYTHON, "-m", "pytest", "-m", "unit", "-q", *argv])


def main(argv: list[str]) -> int:
    started = time.monotonic()
    try:
        if argv[:1] == ["--unit"]:
            unit(argv[1:])
        else:
            full(argv)
    except StepFailed as failed:
        print(f"\n✗ échec : {failed.title} (code {failed.code})", file=sys.stderr)
        return failed.code
    except subprocess.CalledProcessError as error:  # the training
        print(f"\n✗ échec : {' '.join(error.cmd[3:5])}… (code {error.returncode})", file=sys.stderr)
        return error.returncode or 1
    print(f"\n✓ tout est passé en {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
