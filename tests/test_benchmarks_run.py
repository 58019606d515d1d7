"""The benchmark suite still runs end to end at its smallest size and prints its table (the
figures themselves are read by people, never asserted: timing depends on the machine)."""

from __future__ import annotations

import json
import re

import pytest
from temporalio.api.history.v1 import HistoryEvent

from benchmarks.phases import ClickFate, MessagePath, message_paths, told_kind
from benchmarks.suite import PRESETS, parse_sizes, run_suite
from bot.reviews.decisions import DECISION_PENDING, NOT_CONFIRMED, SERVICE_UNREACHABLE
from workflow.models import SIGNAL_RECORD_DECISION

ROWS = (
    "reviews opened per second",
    "worker+bot RSS at 6 open reviews",
    # The tiny preset caches 4 reviews: 6 open exceed it.
    "RSS beyond the cache (4 cached), 4 → 6 open",
    "decision on an evicted review (replay) p50 / p99",
    "/schema-status listing p50 / p99, 6 open",
    "/schema-status count and pages, 6 open",
    "click ack p99, 3 concurrent",
    "clicks not acked within 3 s, 3",
    "click → decision accepted p99, 3",
    "click → message updated p99, 3",
    "clicks acked and recorded, 3",
    "clicks acked, told not recorded / not confirmed, 3",
    "clicks in flight at the end, 3",
    "decisions LOST, 3 concurrent",
    "reviewers TOLD FALSE, 3 concurrent",
    "3 complete reviews, wall time",
    "message path p50 / p99 from the click, 3",
    "CPU ms per op by process: reviews opened (6)",
    "CPU ms per op by process: a click, 3 concurrent",
    "CPU ms per op by process: a complete review (3)",
)


async def test_the_suite_measures_every_path_beside_its_anchor() -> None:
    table = await run_suite(PRESETS["tiny"])

    lines = {line.split(" | ")[0].removeprefix("| "): line for line in table.splitlines()}
    for row in ROWS:
        assert any(name.startswith(row) for name in lines), f"No row {row!r} in:\n{table}"
    # Every row has a figure for the project; in a calm run every click was acknowledged and
    # recorded, followed to its end (nothing in flight), none lost and nobody told wrong.
    for name, line in lines.items():
        if name.startswith(ROWS):
            project = line.split(" | ")[1]
            assert re.search(r"[0-9]", project), f"No figure in {line!r}"
    assert "| clicks acked and recorded, 3 | 3 of 3 |" in table
    # Where a click's time went, step by step, and the CPU of each process of the stack.
    path = lines["message path p50 / p99 from the click, 3"]
    steps = ("decision in the history", "worker took it", "message activity started")
    assert all(step in path for step in (*steps, "message shown updated")), path
    for name, line in lines.items():
        if name.startswith("CPU ms per op by process"):
            assert "Temporal server" in line and "worker" in line, line
    assert "| clicks in flight at the end, 3 | 0 of 3 (" in table
    assert "| decisions LOST, 3 concurrent | 0 of 3 |" in table
    assert "| reviewers TOLD FALSE, 3 concurrent | 0 of 3 |" in table
    assert "| /schema-status count and pages, 6 open | says 6 open, shows 1–6 |" in table


def test_a_click_is_lost_only_when_acked_never_recorded_and_never_told() -> None:
    def fate(**given: object) -> str:
        fields: dict[str, object] = {
            "acked": True,
            "ack_seconds": 0.1,
            "recorded": False,
            "accepted_seconds": None,
            "updated_seconds": None,
            "told": "nothing",
        }
        return ClickFate(**{**fields, **given}).fate(still_working=False)  # type: ignore[arg-type]

    assert fate(recorded=True, accepted_seconds=0.2, updated_seconds=0.3) == "recorded"
    assert fate(told="not recorded") == "told not recorded"
    assert fate(told="unknown") == "told unknown"
    assert fate() == "lost"
    # "Being recorded" and never the outcome: lost, once the bot has nothing left to do.
    assert fate(told="pending") == "lost"
    assert fate(acked=False, recorded=True) == "not acked"
    # Told it counted (the buttons went) when it did not, or the other way round.
    assert fate(updated_seconds=0.3) == "told false"
    assert fate(recorded=True, told="not recorded") == "told false"
    assert told_kind(DECISION_PENDING) == "pending"
    assert told_kind(NOT_CONFIRMED) == "unknown"
    assert told_kind(SERVICE_UNREACHABLE) == "not recorded"
    assert told_kind("Recorded: Review1.a of version 1 approved by a@example.com.") == "recorded"


def test_sizes_are_configurable_and_bad_ones_refused(capsys: pytest.CaptureFixture[str]) -> None:
    sizes = parse_sizes(["--size", "tiny", "--clicks", "200,1000", "--open", "50"])

    assert (sizes.clicks, sizes.open, sizes.complete) == ([200, 1000], 50, 3)
    with pytest.raises(SystemExit):
        parse_sizes(["--clicks", "many"])
    assert "--clicks must be whole numbers separated by commas" in capsys.readouterr().err


def test_the_message_path_follows_each_signal_to_the_activity_that_closed_its_message() -> None:
    """Review1.a's signal is handled by a task that closes nothing (the message activity comes
    with the next task, which also takes Review1.b's signal): both decisions end at that one
    activity, each keeping the task that first took it."""
    events = [
        _event(1, 10.0, signal="Review1.a"),
        _event(2, 11.0, "workflow_task_started"),
        _event(3, 12.0, "workflow_task_completed"),
        _event(4, 13.0, signal="Review1.b"),
        _event(5, 14.0, "workflow_task_started"),
        _event(6, 15.0, "workflow_task_completed"),
        _event(7, 15.0, "activity_task_scheduled", activity="update_review_messages"),
        _event(8, 16.0, "activity_task_started", scheduled=7),
        _event(9, 17.0, "activity_task_completed", scheduled=7),
    ]
    paths: dict[tuple[str, str], MessagePath] = {}

    message_paths("w", events, paths)

    assert paths == {
        ("w", "Review1.a"): MessagePath(10.0, 11.0, 12.0, 16.0, 17.0),
        ("w", "Review1.b"): MessagePath(13.0, 14.0, 15.0, 16.0, 17.0),
    }


def _event(
    event_id: int,
    at: float,
    kind: str = "",
    *,
    signal: str = "",
    activity: str = "",
    scheduled: int = 0,
) -> HistoryEvent:
    event = HistoryEvent(event_id=event_id)
    event.event_time.FromNanoseconds(int(at * 1e9))
    if signal:
        attributes = event.workflow_execution_signaled_event_attributes
        attributes.signal_name = SIGNAL_RECORD_DECISION
        attributes.input.payloads.add(data=json.dumps({"stage": signal}).encode())
    elif kind == "activity_task_scheduled":
        event.activity_task_scheduled_event_attributes.activity_type.name = activity
    elif kind in ("activity_task_started", "activity_task_completed"):
        getattr(event, f"{kind}_event_attributes").scheduled_event_id = scheduled
    else:
        getattr(event, f"{kind}_event_attributes").SetInParent()
    return event
