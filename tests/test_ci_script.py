"""CI (`.ci/run`) enforces the house rules: on the locked dependencies, lint, format, types and
import layers are checked before the tests, and any failing step fails the run."""

from __future__ import annotations

from pathlib import Path

CI_SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "run"
CHECKS = [
    "uv run ruff check .",
    "uv run ruff format --check .",
    "uv run mypy .",
    "uv run lint-imports",
]


def commands() -> list[str]:
    """The script's top-level command lines, in order (comments and blocks left out)."""
    lines = [line.rstrip() for line in CI_SCRIPT.read_text().splitlines()]
    return [line for line in lines if line and not line.startswith(("#", " ", "\t"))]


def test_every_house_rule_is_checked_after_the_locked_sync_and_before_the_tests() -> None:
    run = commands()
    assert "set -euo pipefail" in run, "a failing step must fail the run"
    order = [run.index(c) for c in ["uv sync --locked", *CHECKS, "uv run pytest"]]
    assert order == sorted(order), run
