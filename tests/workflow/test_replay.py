"""Histories recorded by earlier versions of the workflow still replay with today's code.

`approved_with_repeated_submission.json` was recorded before closing messages carried their
review request and before a repeated submission became a no-op: a review started with
signal-with-start (its own submission sent again), approved by Review1.a, Review1.b and
Review2, with the same submission signalled once more mid-review.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from workflow.schema_approval import SchemaApprovalWorkflow

HISTORIES = Path(__file__).parent / "histories"


async def test_a_review_recorded_by_the_previous_workflow_replays() -> None:
    history = WorkflowHistory.from_json(
        "schema-approval-inventory-service",
        (HISTORIES / "approved_with_repeated_submission.json").read_text(),
    )

    result = await Replayer(workflows=[SchemaApprovalWorkflow]).replay_workflow(
        history, raise_on_replay_failure=False
    )

    assert result.replay_failure is None, f"No longer replays: {result.replay_failure!r}"
