"""Starting a review: the spec's JSON input, a bad roster, and a deterministic replay."""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Replayer

from tests.helpers import new_worker
from tests.workflow.review_harness import (
    StandInActivities,
    decide,
    running_review,
    submission,
    until_called,
)
from workflow.models import (
    SIGNAL_SUBMIT_SCHEMA,
    WORKFLOW_TYPE,
    Reviewers,
    ReviewResult,
    as_payload,
    workflow_id_for,
)
from workflow.schema_approval import SchemaApprovalWorkflow

SPEC_INPUT = {
    "submission": {
        "schema_id": "inventory-service",
        "version": 1,
        "description": "Initial schema",
        "content_uri": "https://example.com/schemas/inventory-v1.json",
        "submitted_by": "owner@example.com",
    },
    "reviewers": {
        "reviewer_a": "alice@example.com",
        "reviewer_b": "bob@example.com",
        "senior_reviewer": "carol@example.com",
        "compliance_reviewer": "dave@example.com",
    },
}


async def test_the_json_input_of_the_spec_starts_a_review(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with new_worker(
        temporal_client, SchemaApprovalWorkflow, activities=stand_in.activities()
    ) as worker:
        handle = await temporal_client.start_workflow(
            WORKFLOW_TYPE,
            SPEC_INPUT,
            id=workflow_id_for(f"inventory-service-{uuid.uuid4()}"),
            task_queue=worker.task_queue,
            result_type=ReviewResult,
        )
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        for stage in ("Review1.a", "Review1.b"):
            await decide(handle, stage)
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2")
        result = await handle.result()
    assert (result.schema_id, result.approved_version, result.rounds) == (
        "inventory-service",
        1,
        1,
    )


async def test_a_roster_that_breaks_the_rules_fails_the_start_with_the_reason(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    roster = Reviewers("alice@example.com", "Alice@example.com", "owner@example.com", "dave")
    async with new_worker(
        temporal_client, SchemaApprovalWorkflow, activities=stand_in.activities()
    ) as worker:
        with pytest.raises(WorkflowFailureError) as failure:
            await temporal_client.execute_workflow(
                WORKFLOW_TYPE,
                {**SPEC_INPUT, "reviewers": as_payload(roster)},
                id=f"schema-approval-test-{uuid.uuid4()}",
                task_queue=worker.task_queue,
            )
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "InvalidReviewInput"
    assert cause.message == (
        "The review cannot start: compliance_reviewer must be an email address, not 'dave';"
        " one person may not hold both Review1 seats (reviewer_a and reviewer_b);"
        " owner@example.com submitted this schema and may not review it."
        " Fix the input and start the review again."
    )
    assert stand_in.calls == []


async def test_a_reminder_policy_that_cannot_work_fails_the_start_with_the_reason(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    reminders = {"first_after_seconds": 0, "then_every_seconds": 3600, "max_reminders": -1}
    async with new_worker(
        temporal_client, SchemaApprovalWorkflow, activities=stand_in.activities()
    ) as worker:
        with pytest.raises(WorkflowFailureError) as failure:
            await temporal_client.execute_workflow(
                WORKFLOW_TYPE,
                {**SPEC_INPUT, "reminders": reminders},
                id=f"schema-approval-test-{uuid.uuid4()}",
                task_queue=worker.task_queue,
            )
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "InvalidReviewInput"
    assert cause.message == (
        "The review cannot start: reminders.first_after_seconds must be a number of seconds"
        " above 0, not 0.0; reminders.max_reminders must be a whole number from 0 to 20, not -1."
        " Fix the input and start the review again."
    )
    assert stand_in.calls == []


async def test_a_superseded_review_replays_deterministically(temporal_client: Client) -> None:
    stand_in = StandInActivities(upload_outages={2: 1000})
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, "dispatch_review_request Review1.b v1")
        await decide(handle, "Review1.a", "escalate")
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await until_called(stand_in, "upload_schema v2")
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(3)))
        await until_called(stand_in, "dispatch_review_request Review1.b v3")
        await decide(handle, "Review1.a", version=3)
        await decide(handle, "Review1.b", "reject", version=3)
        await until_called(stand_in, "record_revision_request Review1.b v3")
        history = await handle.fetch_history()
    await Replayer(workflows=[SchemaApprovalWorkflow]).replay_workflow(history)
