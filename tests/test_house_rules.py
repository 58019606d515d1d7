"""The house rules a newcomer relies on: each package says what lives in it and who may import
it, no two modules share a name, the bot's root holds only its entry points, and what only tests
use stays out of the product."""

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
# What tests, benchmarks and scripts use and the product does not: it lives under tests/.
TEST_ONLY_NAMES = {
    "as_payload",
    "throwaway_stack",
    "SlackStandInForTests",
    "FaultPlan",
    "RandomFaults",
}
# What tests do to the Slack stand-in and read from it: none of it in the sandbox itself.
STAND_IN_TEST_CONTROLS = {
    "fail_next",
    "hold_next",
    "user_by_email",
    "dm_channel_of",
    "messages_in",
    "last_message_to",
    "ephemerals_for",
    "open_modals_of",
    "home_view_of",
    "calls_to",
    "example_urls",
}


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


def _imported_roots(tree: ast.Module) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_product_module_imports_the_tests() -> None:
    importing = [
        str(module.relative_to(ROOT))
        for module in _modules()
        if "tests" in _imported_roots(ast.parse(module.read_text()))
    ]
    assert importing == [], f"product modules importing tests: {importing}"


def test_what_only_tests_use_is_not_defined_in_the_product() -> None:
    defined = sorted(
        f"{module.relative_to(ROOT)}: {node.name}"
        for module in _modules()
        for node in ast.walk(ast.parse(module.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and (
            node.name in TEST_ONLY_NAMES
            or (
                module.is_relative_to(ROOT / "slack_sandbox")
                and node.name in STAND_IN_TEST_CONTROLS
            )
        )
    )
    assert defined == [], f"test-only code in the product (move it under tests/): {defined}"


# Calls that name a Temporal workflow, activity, signal, update or query by their first argument.
_TEMPORAL_CALLS = {
    "execute_update",
    "start_update",
    "execute_update_with_start_workflow",
    "signal",
    "query",
    "start_workflow",
    "execute_workflow",
    "execute_activity",
    "start_activity",
    "execute_local_activity",
    "get_update_handle",
}
_TEMPORAL_DECORATORS = {"defn", "signal", "update", "query"}


def _literal_names(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _TEMPORAL_CALLS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append(f"{node.func.attr}({first.value!r})")
            if node.func.attr in _TEMPORAL_DECORATORS:
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg == "name" and isinstance(value, ast.Constant):
                        found.append(f"{node.func.attr}(name={value.value!r})")
    return found


def test_no_temporal_name_is_a_string_literal_outside_the_contract() -> None:
    literals = {
        str(module.relative_to(ROOT)): names
        for module in _modules()
        if (names := _literal_names(ast.parse(module.read_text())))
    }
    assert literals == {}, f"Temporal names written as literals: {literals}"
