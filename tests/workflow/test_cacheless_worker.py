"""Reviews whose workflow tasks run on a worker that does not hold them in its cache: every
task replays the history from the first event, as after an eviction (WORKER_MAX_CACHED_WORKFLOWS)
or a deploy. The replay must write the commands the live run wrote, whatever path the review
took: a 2-of-3 pool decided by updates (the bot's way) or by signals, and a plain review.

One shape does not replay yet (docs/workflow.md, "Replay without a cache"): a click sent as an
update reaching a worker without the review in its cache, in the task right after one that
took an activity result and wrote no command. `UNREPLAYABLE` are such histories.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer, Worker

from tests.workflow.policy_runs import (
    POOL,
    closed_as,
    new_task_queue,
    policy_input,
    until_asked,
)
from tests.workflow.review_harness import (
    REVIEWERS,
    StandInActivities,
    decide,
    review_input,
    until_called,
)
from workflow.models import SIGNAL_RECORD_DECISION, ReviewDecision, ReviewResult
from workflow.schema_approval import SchemaApprovalWorkflow

# The pool of the recorded `pool_two_of_three_with_deadline.json`: its deadline's timer is
# cancelled by the deciding click, one more command the replay must write in the same place.
HISTORIES = Path(__file__).parent / "histories" / "unreplayable"
POOL_POLICY = {
    "Review1": {
        "reviewers": POOL,
        "approvals": 2,
        "deadline": {"after_seconds": 86400, "then": "escalate"},
    }
}


@asynccontextmanager
async def cacheless_review(
    client: Client, stand_in: StandInActivities, raw: Any
) -> AsyncIterator[WorkflowHandle[SchemaApprovalWorkflow, ReviewResult]]:
    """A review on a worker that replays every workflow task from the first event."""
    queue = new_task_queue()
    async with Worker(
        client,
        task_queue=queue,
        workflows=[SchemaApprovalWorkflow],
        activities=stand_in.activities(),
        max_cached_workflows=0,
    ):
        yield await client.start_workflow(
            SchemaApprovalWorkflow.run,
            raw,
            id=f"schema-approval-test-{uuid.uuid4()}",
            task_queue=queue,
        )


async def task_failures(handle: WorkflowHandle[Any, Any]) -> list[str]:
    """Why each failed workflow task of the review failed (a nondeterminism among them)."""
    history = await handle.fetch_history()
    return [
        f"{e.workflow_task_failed_event_attributes.cause}:"
        f" {e.workflow_task_failed_event_attributes.failure.message}"
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
    ]


async def pool_signals(handle: WorkflowHandle[Any, Any], reviewer: str) -> None:
    """A pool member's click sent as the `record_review_decision` signal (the CLI's way)."""
    decision = ReviewDecision(
        stage="Review1", reviewer=reviewer, submission_version=1, approved=True
    )
    await handle.signal(SIGNAL_RECORD_DECISION, asdict(decision))


async def approved_by_the_pool(
    handle: WorkflowHandle[SchemaApprovalWorkflow, ReviewResult], stand_in: StandInActivities
) -> ReviewResult:
    """Review2 approves once asked; the review's result."""
    await until_called(stand_in, "dispatch_review_request Review2 v1")
    # The click that completes the review, as the bot sends it.
    await decide(handle, "Review2")
    return await asyncio.wait_for(handle.result(), timeout=30)


def assert_approved_by_the_pool(result: ReviewResult, stand_in: StandInActivities) -> None:
    assert result.approved_version == 1
    assert [d.reviewer for d in result.decisions] == [
        "alice@example.com",
        "bob@example.com",
        REVIEWERS.senior_reviewer,
    ]
    assert closed_as(stand_in, "erin@example.com", "Review1")[0] == (
        "Not needed: approved by alice@example.com and bob@example.com"
    )


# Recorded in runs of a pool decided by `decide_review` updates that hit the shape (see the
# module docstring; a live test of that path is left out until the fix, since it hits the race
# now and then): each replays up to the task where the worker took a click beside an activity
# result it had not yet applied, and fails there.
UNREPLAYABLE = [
    # Workers with max_cached_workflows=0: alice's and bob's clicks in the task after erin's
    # request was posted. Written: one update_review_messages for alice and bob, then one
    # update_review_message for erin; a replay closes all three by one.
    "pool_clicks_beside_a_dispatch_uncached.json",
    # A normal worker stopped and another started before each click (a deploy): carol's
    # click, which completed the review, came to a worker that had not applied the result of
    # bob's and erin's closing update. Written: carol and alice by one update_review_messages,
    # bob and erin by another; a replay closes all four by one.
    "pool_completed_on_a_new_worker.json",
]


@pytest.mark.xfail(
    strict=True,
    reason="not fixed: the outbox's closings depend on whether an activity result is applied"
    " before a click's update in the same task (docs/workflow.md, Replay without a cache)",
)
@pytest.mark.parametrize("recording", UNREPLAYABLE)
async def test_clicks_taken_beside_an_unapplied_activity_result_replay(recording: str) -> None:
    history = WorkflowHistory.from_json(recording, (HISTORIES / recording).read_text())
    await Replayer(workflows=[SchemaApprovalWorkflow]).replay_workflow(history)


async def test_a_pool_decided_by_signals_replays_every_task_without_a_failure(
    temporal_env: WorkflowEnvironment,
) -> None:
    client, stand_in = temporal_env.client, StandInActivities()
    async with cacheless_review(client, stand_in, policy_input(POOL_POLICY)) as handle:
        await until_asked(stand_in, "Review1", POOL)
        await pool_signals(handle, "alice@example.com")
        await pool_signals(handle, "bob@example.com")
        result = await approved_by_the_pool(handle, stand_in)

    assert_approved_by_the_pool(result, stand_in)
    assert await task_failures(handle) == []


async def test_a_plain_review_decided_by_updates_replays_every_task_without_a_failure(
    temporal_env: WorkflowEnvironment,
) -> None:
    client, stand_in = temporal_env.client, StandInActivities()
    async with cacheless_review(client, stand_in, review_input()) as handle:
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2")
        result = await asyncio.wait_for(handle.result(), timeout=30)

    assert result.approved_version == 1
    assert [d.reviewer for d in result.decisions] == [
        REVIEWERS.reviewer_a,
        REVIEWERS.reviewer_b,
        REVIEWERS.senior_reviewer,
    ]
    assert await task_failures(handle) == []
