"""Starting a review: the spec's JSON input, an input that does not read or a bad roster (the
review fails at once with the reason), and a deterministic replay."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowQueryFailedError,
)
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from tests.helpers import as_payload, new_worker
from tests.workflow.review_harness import (
    StandInActivities,
    approve_version_1,
    decide,
    running_review,
    submission,
    until_called,
)
from tests.workflow.test_temporal_cli import TemporalCli, dev_server_flags
from workflow.models import (
    QUERY_STATUS,
    SIGNAL_SUBMIT_SCHEMA,
    WORKFLOW_TYPE,
    Reviewers,
    ReviewResult,
    workflow_id_for,
)
from workflow.schema_approval import SchemaApprovalWorkflow

SPEC_INPUT: dict[str, dict[str, Any]] = {
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
        result = await approve_version_1(handle, stand_in)
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


SHAPE_HINT = "Start it again with an input shaped like this (optional fields may follow): {"


@pytest.mark.parametrize(
    ("start_input", "problem"),
    [
        ({"submission": SPEC_INPUT["submission"]}, "the input lacks reviewers"),
        (
            {**SPEC_INPUT, "submission": {**SPEC_INPUT["submission"], "version": "1"}},
            "submission.version must be a whole number of 1 or more, not '1'",
        ),
        (
            {**SPEC_INPUT, "reviewers": {"reviewer_a": "alice@example.com"}},
            "reviewers lacks reviewer_b, senior_reviewer, compliance_reviewer",
        ),
        (["inventory-service", 1], "the input must be a JSON object, not a list"),
        (
            {**SPEC_INPUT, "reviewer": "alice@example.com", "channel": "C1"},
            "the input has unknown fields (channel, reviewer)",
        ),
        (
            {**SPEC_INPUT, "reminders": {"first_after_seconds": 60, "then_every_seconds": 60}},
            "reminders lacks max_reminders",
        ),
    ],
    ids=[
        "no reviewers",
        "version as text",
        "half a roster",
        "not an object",
        "unknown fields",
        "half a reminder policy",
    ],
)
async def test_an_input_that_does_not_read_fails_the_review_at_once_saying_why(
    temporal_client: Client, start_input: object, problem: str
) -> None:
    stand_in = StandInActivities()
    async with new_worker(
        temporal_client, SchemaApprovalWorkflow, activities=stand_in.activities()
    ) as worker:
        with pytest.raises(WorkflowFailureError) as failure:
            await temporal_client.execute_workflow(
                WORKFLOW_TYPE,
                start_input,
                id=f"schema-approval-test-{uuid.uuid4()}",
                task_queue=worker.task_queue,
            )
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "InvalidReviewInput"
    assert cause.non_retryable
    assert cause.message.startswith(f"The review cannot start: {problem}. {SHAPE_HINT}")
    # The shape shown is the spec's own example, which starts a review as it is.
    assert json.loads(cause.message[len(cause.message.split("{")[0]) :]) == SPEC_INPUT
    assert stand_in.calls == []


async def test_a_cli_start_without_reviewers_fails_and_its_status_query_says_why(
    temporal_env: WorkflowEnvironment,
) -> None:
    client = temporal_env.client
    stand_in = StandInActivities()
    workflow_id = workflow_id_for(f"inventory-service-{uuid.uuid4()}")
    start_input = json.dumps({"submission": SPEC_INPUT["submission"]})
    async with new_worker(client, SchemaApprovalWorkflow, activities=stand_in.activities()) as w:
        await TemporalCli(*dev_server_flags(temporal_env)).run(
            f"temporal workflow start --type {WORKFLOW_TYPE} --task-queue {w.task_queue}"
            f" --workflow-id {workflow_id} --input '{start_input}'"
        )
        handle = client.get_workflow_handle(workflow_id)
        with pytest.raises(WorkflowFailureError):
            await handle.result()
        with pytest.raises(WorkflowQueryFailedError) as query:
            await handle.query(QUERY_STATUS)
        described = await handle.describe()

    assert described.status == WorkflowExecutionStatus.FAILED
    assert f"The review cannot start: the input lacks reviewers. {SHAPE_HINT}" in str(query.value)


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
