"""The fault suite: each test drives real processes through one fault and reports a row.

Every row says, for one fault, how many user actions were attempted, how many the system
recorded, how many were lost, and how many Slack messages were duplicated. The table is printed
at the end of the run and written to `test-artifacts/fault-table.md` (docs/reliability.md shows
it).
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


_ROWS: list[FaultRow] = []


@pytest.fixture
def report_fault() -> Callable[[FaultRow], None]:
    """Adds a row to the fault table; call it before the test's assertions."""
    return _ROWS.append


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _ROWS:
        return
    table = fault_table(_ROWS)
    terminalreporter.section("fault table")
    terminalreporter.write(table)
    TABLE_FILE.parent.mkdir(parents=True, exist_ok=True)
    TABLE_FILE.write_text(table)
