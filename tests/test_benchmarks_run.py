"""The benchmark suite still runs end to end at its smallest size and prints its table (the
figures themselves are read by people, never asserted: timing depends on the machine)."""

from __future__ import annotations

import re

import pytest

from benchmarks.suite import PRESETS, parse_sizes, run_suite

ROWS = (
    "reviews opened per second",
    "worker+bot RSS at 6 open reviews",
    "/schema-status listing p50 / p99, 6 open",
    "click ack p99, 3 concurrent",
    "clicks acked after 3 s, 3",
    "click → decision accepted p99, 3",
    "click → message updated p99, 3",
    "decisions lost, 3 concurrent",
    "3 complete reviews, wall time",
)


async def test_the_suite_measures_every_path_beside_its_anchor() -> None:
    table = await run_suite(PRESETS["tiny"])

    lines = {line.split(" | ")[0].removeprefix("| "): line for line in table.splitlines()}
    for row in ROWS:
        assert any(name.startswith(row) for name in lines), f"No row {row!r} in:\n{table}"
    # Every row has a figure for the project, and every burst lost nothing in a calm run.
    for name, line in lines.items():
        if name.startswith(ROWS):
            project = line.split(" | ")[1]
            assert re.search(r"[0-9]", project), f"No figure in {line!r}"
    assert "| decisions lost, 3 concurrent | 0 of 3 |" in table


def test_sizes_are_configurable_and_bad_ones_refused(capsys: pytest.CaptureFixture[str]) -> None:
    sizes = parse_sizes(["--size", "tiny", "--clicks", "200,1000", "--open", "50"])

    assert (sizes.clicks, sizes.open, sizes.complete) == ([200, 1000], 50, 3)
    with pytest.raises(SystemExit):
        parse_sizes(["--clicks", "many"])
    assert "--clicks must be whole numbers separated by commas" in capsys.readouterr().err
