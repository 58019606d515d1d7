"""The `submit_schema_version` update: what the review did with a version, said to the sender.

Sent with update-with-start, as `/submit-schema` and the submit form send it: it starts the
review when none runs, hands a higher version to a running one, and refuses with a sentence
what the `submit_schema` signal would silently ignore.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace

import pytest
from temporalio.client import Client, WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError

from tests.helpers import new_worker
from tests.workflow.review_harness import (
    REVIEWERS,
    StandInActivities,
    decide,
    running_review,
    status_of,
    submission,
    until_called,
)
from workflow.models import (
    REVIEW_FINISHING,
    SUBMISSION_REFUSED,
    UPDATE_SUBMIT,
    ReviewInput,
    Submission,
    SubmissionOutcome,
)
from workflow.schema_approval import SchemaApprovalWorkflow


async def submit_version(handle, version_or_submission: int | Submission) -> SubmissionOutcome:  # type: ignore[no-untyped-def]
    sent = (
        submission(version_or_submission)
        if isinstance(version_or_submission, int)
        else version_or_submission
    )
    return await handle.execute_update(UPDATE_SUBMIT, sent, result_type=SubmissionOutcome)


async def refusal_of(handle, sent: int | Submission) -> ApplicationError:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await submit_version(handle, sent)
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError)
    return cause


async def test_update_with_start_starts_the_review_and_says_so(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with new_worker(
        temporal_client, SchemaApprovalWorkflow, activities=stand_in.activities()
    ) as worker:
        workflow_id = f"schema-approval-test-{uuid.uuid4()}"
        start = WithStartWorkflowOperation(
            SchemaApprovalWorkflow.run,
            ReviewInput(submission=submission(1), reviewers=REVIEWERS),
            id=workflow_id,
            task_queue=worker.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
        )
        outcome = await temporal_client.execute_update_with_start_workflow(
            UPDATE_SUBMIT,
            submission(1),
            start_workflow_operation=start,
            result_type=SubmissionOutcome,
        )
        handle = await start.workflow_handle()
        await until_called(stand_in, "upload_schema v1")
        status = await status_of(handle)
        await handle.terminate("test finished")

    assert outcome == SubmissionOutcome(
        kind="under_review", version=1, message="Version 1 of inventory-service is under review."
    )
    assert status.version == 1


async def test_a_higher_version_supersedes_and_a_lower_one_is_refused(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, "upload_schema v1")
        taken = await submit_version(handle, 2)
        # The same submission again (a retry) is what the review runs on: nothing changes.
        again = await submit_version(handle, 2)
        stale = await refusal_of(handle, replace(submission(2), description="Another take"))
        from_a_reviewer = await refusal_of(
            handle, replace(submission(3), submitted_by=REVIEWERS.reviewer_a)
        )
        status = await status_of(handle)

    assert (taken.kind, taken.version, taken.previous_version) == ("new_version", 2, 1)
    assert taken.message == (
        "Version 2 of inventory-service went to the running review; it supersedes version 1."
    )
    assert (again.kind, again.version) == ("under_review", 2)
    assert stale.type == SUBMISSION_REFUSED
    assert stale.message == (
        "Version 2 of inventory-service was not taken: it is not higher than the current"
        " version 2; submit a higher version."
    )
    assert from_a_reviewer.type == SUBMISSION_REFUSED
    assert "the submitter may not review their own schema" in from_a_reviewer.message
    assert status.version == 2


async def test_a_version_sent_while_the_approval_finishes_is_refused_not_dropped(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities(finalize_gate=asyncio.Event())
    async with running_review(temporal_client, stand_in) as handle:
        for stages in (("Review1.a", "Review1.b"), ("Review2",)):
            await until_called(stand_in, *[f"dispatch_review_request {s} v1" for s in stages])
            for stage in stages:
                await decide(handle, stage)
        await until_called(stand_in, "finalize_review v1")

        refused = await refusal_of(handle, 2)
        stand_in.finalize_gate.set()  # type: ignore[union-attr]
        result = await handle.result()

    assert refused.type == REVIEW_FINISHING
    assert refused.message == (
        "Version 2 of inventory-service was not taken: version 1 was just approved and its"
        " review is finishing. Submit it again in a moment: it will then start a new review."
    )
    assert result.approved_version == 1
