"""The fault suite: each test drives real processes through one fault and reports a row.

Every row says, for one fault, how many user actions were attempted, how many the system
recorded, how many were lost, and how many Slack messages were duplicated. The registry's rows
say, for one fault, how many approved versions were to be registered, how many the registry
holds, how many it never got, and how many it holds more than once. The tables are printed
at the end of the run and written to `test-artifacts/fault-table.md` (docs/reliability.md shows
them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

TABLE_FILE = Path(__file__).parent.parent.parent / "test-artifacts" / "fault-table.md"


@dataclass(frozen=True)
class FaultRow:
    fault: str
    attempted: int
    recorded: int
    lost: int
    duplicated: int
    note: str = ""


@dataclass(frozen=True)
class RegistryRow:
    fault: str
    # Approved versions that were to be registered.
    attempted: int
    # Of those, how many the registry holds (once or more).
    registered: int
    lost: int
    # Versions the registry holds beyond one per approved version.
    duplicated: int
    note: str = ""


_ROWS: list[FaultRow] = []
_REGISTRY_ROWS: list[RegistryRow] = []


@pytest.fixture
def report_fault() -> Callable[[FaultRow], None]:
    """Adds a row to the fault table; call it before the test's assertions."""
    return _ROWS.append


@pytest.fixture
def report_registry_fault() -> Callable[[RegistryRow], None]:
    """Adds a row to the registry's table; call it before the test's assertions."""
    return _REGISTRY_ROWS.append


def fault_table(rows: list[FaultRow]) -> str:
    lines = [
        "| fault | attempted | recorded | lost | duplicated | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [
        f"| {r.fault} | {r.attempted} | {r.recorded} | {r.lost} | {r.duplicated} | {r.note} |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"


def registry_table(rows: list[RegistryRow]) -> str:
    lines = [
        "| registry fault | attempted | registered | lost | duplicated | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [
        f"| {r.fault} | {r.attempted} | {r.registered} | {r.lost} | {r.duplicated} | {r.note} |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _ROWS and not _REGISTRY_ROWS:
        return
    tables = [fault_table(_ROWS)] if _ROWS else []
    if _REGISTRY_ROWS:
        tables.append(registry_table(_REGISTRY_ROWS))
    table = "\n".join(tables)
    terminalreporter.section("fault table")
    terminalreporter.write(table)
    TABLE_FILE.parent.mkdir(parents=True, exist_ok=True)
    TABLE_FILE.write_text(table)
