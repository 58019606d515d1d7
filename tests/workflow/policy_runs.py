"""Helpers for the review-policy tests: the documented JSON input, a worker that can be stopped
while a deadline falls due and started again after, and what the stand-ins were asked."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from slack_presentation.closing_sentences import update_outcome
from tests.helpers import eventually
from tests.workflow.review_harness import REVIEWERS, StandInActivities, submission
from workflow.activity_payloads import ReviewRequest
from workflow.models import UPDATE_DECIDE, DecisionOutcome, ReviewResult
from workflow.schema_approval import SchemaApprovalWorkflow

POOL = ["alice@example.com", "bob@example.com", "erin@example.com"]
DAY = 86400


def policy_input(policy: dict[str, Any]) -> dict[str, Any]:
    """The workflow input as the `temporal` CLI sends it (docs/workflow.md, "Review policies")."""
    return {
        "submission": asdict(submission(1)),
        "reviewers": asdict(REVIEWERS),
        "policy": policy,
    }


def worker(client: Client, stand_in: StandInActivities, task_queue: str) -> Worker:
    """A worker that can stop while a timer falls due and be replaced by another: a workflow
    task left on a gone worker's sticky queue moves to the task queue after a second."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[SchemaApprovalWorkflow],
        activities=stand_in.activities(),
        sticky_queue_schedule_to_start_timeout=timedelta(seconds=1),
    )


async def start(
    client: Client, raw: dict[str, Any], task_queue: str
) -> WorkflowHandle[SchemaApprovalWorkflow, ReviewResult]:
    """The review started with `raw` as its JSON input, as `temporal workflow start` does."""
    return await client.start_workflow(
        SchemaApprovalWorkflow.run,
        raw,
        id=f"schema-approval-test-{uuid.uuid4()}",
        task_queue=task_queue,
    )


def new_task_queue() -> str:
    return f"tq-{uuid.uuid4()}"


async def pool_decides(
    handle: WorkflowHandle[Any, Any], stage: str, reviewer: str, verdict: str = "approve"
) -> DecisionOutcome:
    """A pool member's click: the decision names the round, as the buttons do."""
    return await handle.execute_update(
        UPDATE_DECIDE,
        {
            "stage": stage,
            "reviewer": reviewer,
            "submission_version": 1,
            "approved": verdict != "reject",
            "requires_additional_review": verdict == "escalate",
        },
        result_type=DecisionOutcome,
    )


def asked(stand_in: StandInActivities, stage: str, version: int = 1) -> list[str]:
    """Who was sent a review request for `stage` of `version`, in order."""
    return [
        r.reviewer
        for r in stand_in.review_requests()
        if r.stage == stage and r.submission.version == version
    ]


async def until_asked(stand_in: StandInActivities, stage: str, reviewers: list[str]) -> None:
    async def check() -> None:
        assert sorted(asked(stand_in, stage)) == sorted(reviewers), stand_in.calls

    await eventually(check)


def closed_as(stand_in: StandInActivities, reviewer: str, stage: str) -> list[str]:
    """What `reviewer`'s request for `stage` was closed saying (its rewrites, in order)."""
    return [
        update_outcome(u)
        for u in stand_in.message_updates()
        if u.reviewer == reviewer and u.stage == stage and u.reminder is None
    ]


def request_of(stand_in: StandInActivities, reviewer: str, stage: str) -> ReviewRequest:
    return next(
        r for r in stand_in.review_requests() if r.reviewer == reviewer and r.stage == stage
    )


async def until_timer_fired(handle: WorkflowHandle[Any, Any], stopped_at: datetime) -> None:
    """Until the deadline's timer fired, after the worker stopped (`stopped_at`): the proof
    that it fell due with no worker running."""

    async def check() -> None:
        history = await handle.fetch_history()
        fired = [
            e.event_time.ToDatetime(tzinfo=UTC)
            for e in history.events
            if e.event_type == EventType.EVENT_TYPE_TIMER_FIRED
        ]
        assert fired, "the deadline's timer has not fired yet"
        assert fired[-1] > stopped_at, "the timer fired before the worker stopped"

    await eventually(check, within=60)
