"""`python -m benchmarks.review_costs` still runs and counts what a review writes (the CPU
figures are read by people, never asserted; the counts of a lean review are asserted where the
workflow is tested, `tests/workflow/test_lean_commands.py`)."""

from __future__ import annotations

import re

import pytest

from benchmarks.review_costs import main


async def test_the_costs_of_a_whole_and_an_opened_review_are_counted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    await main(whole=1, opened=1, warmup=0)

    out = capsys.readouterr().out
    for kind in ("whole", "opened"):
        assert f"== {kind} review (average of 1) ==" in out
    events = [float(n) for n in re.findall(r"^history events\s+([0-9.]+)$", out, re.M)]
    assert len(events) == 2 and events[0] > events[1] > 0
    assert re.search(r"^\s+1\.0\s+WORKFLOW_EXECUTION_COMPLETED$", out, re.M)
    assert re.search(r"^\s+1\.0\s+upload_schema$", out, re.M)
