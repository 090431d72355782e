"""The import contracts (pyproject.toml, run by make test) cover every package of bot/.

A contract that lists modules can miss a package added later: the backend's, which
names what it may not import, must name every package but its own and bot.common.
"""

from __future__ import annotations

import pkgutil
import re

import pytest

import bot
from bot.common.config import PROJECT_ROOT

pytestmark = pytest.mark.unit


def contracts() -> list[dict]:
    # tomllib is Python 3.11: the contracts are read with a small parser of their own shape.
    text = (PROJECT_ROOT / "pyproject.toml").read_text()
    found = []
    for block in text.split("[[tool.importlinter.contracts]]")[1:]:
        block = block.split("\n[", 1)[0]
        fields = {}
        for key, value in re.findall(r"^(\w+) = (\[[^\]]*\]|\"[^\"]*\")", block, re.M | re.S):
            fields[key] = re.findall(r'"([^"]+)"', value) if value.startswith("[") else value.strip('"')
        found.append(fields)
    return found


def packages_of_bot() -> set[str]:
    return {f"bot.{module.name}" for module in pkgutil.iter_modules(bot.__path__)}


def test_the_backend_contract_names_every_other_package() -> None:
    (backend,) = [c for c in contracts() if c.get("source_modules") == ["bot.backend"]]
    expected = packages_of_bot() - {"bot.backend", "bot.common"}
    assert set(backend["forbidden_modules"]) - {"actions"} == expected, (
        "ajoutez le nouveau paquet aux modules interdits au backend (pyproject.toml)"
    )


def test_the_rules_and_the_common_package_import_nothing_of_the_project() -> None:
    by_source = {tuple(c.get("source_modules", ())): c for c in contracts()}
    assert set(by_source[("bot.backend.rules",)]["forbidden_modules"]) == {"actions", "bot.*", "bot.backend.*"}
    assert set(by_source[("bot.common",)]["forbidden_modules"]) == {"actions", "bot.*"}


def test_the_layers_are_the_message_flow_of_docs_architecture() -> None:
    (layers,) = [c for c in contracts() if c.get("type") == "layers"]
    assert [layer.split(" ")[0] for layer in layers["layers"]] == [
        "bot.channels",
        "bot.rasa_runtime",
        "actions",
        "bot.backend.api",
        "bot.backend.services",
        "bot.backend.rules",
    ]
    assert (
        "channels → Rasa runtime → actions → (HTTP) → backend services → rules"
        in (PROJECT_ROOT / "docs" / "architecture.md").read_text()
    )
