"""The house rules a newcomer relies on: each package says what lives in it and who may import
it, no two modules share a name, and the bot's root holds only its entry points."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = [
    "bot",
    "workflow",
    "activities",
    "schemas",
    "slack_api",
    "slack_presentation",
    "slack_sandbox",
]
BOT_ENTRY_POINTS = {"__init__.py", "__main__.py", "cli.py"}


def _modules() -> list[Path]:
    return [path for package in PRODUCT for path in (ROOT / package).rglob("*.py")]


def test_every_package_opens_with_a_docstring() -> None:
    missing = [
        str(init.relative_to(ROOT))
        for init in _modules()
        if init.name == "__init__.py" and not ast.get_docstring(ast.parse(init.read_text()))
    ]
    assert missing == [], f"packages without a docstring: {missing}"


def test_no_two_modules_share_a_name() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for module in _modules():
        if module.name not in {"__init__.py", "__main__.py"}:
            by_name[module.name].append(str(module.relative_to(ROOT)))
    shared = {name: paths for name, paths in by_name.items() if len(paths) > 1}
    assert shared == {}, f"modules sharing a name: {shared}"


def test_the_bots_root_holds_only_entry_points() -> None:
    root_modules = {path.name for path in (ROOT / "bot").glob("*.py")}
    assert root_modules <= BOT_ENTRY_POINTS, sorted(root_modules - BOT_ENTRY_POINTS)
