"""The test command: lint, train if stale, validate the Rasa data, run every test.

Tests start the real servers they talk to (see tests/conftest.py). The whole
run prints its duration at the end so that it can be quoted.
"""

from __future__ import annotations

import subprocess
import sys
import time

from bot.cli.training import MODEL_PATH, quiet_env, train_if_stale
from bot.config import PROJECT_ROOT


def step(title: str, command: list[str]) -> None:
    print(f"\n=== {title} ===", flush=True)
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, env=quiet_env())


def main(argv: list[str]) -> int:
    started = time.monotonic()
    python = sys.executable
    try:
        step("ruff", [python, "-m", "ruff", "check", "."])
        print("\n=== modèle Rasa ===", flush=True)
        train_if_stale()
        step("rasa data validate", [python, "-m", "rasa", "data", "validate", "--quiet"])
        step(
            "rasa test core (histoires de test)",
            [
                python,
                "-m",
                "rasa",
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
            ],
        )
        step("pytest", [python, "-m", "pytest", *argv])
    except subprocess.CalledProcessError as error:
        print(f"\n✗ échec : {' '.join(error.cmd[1:4])}… (code {error.returncode})", file=sys.stderr)
        return error.returncode or 1
    print(f"\n✓ tout est passé en {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
