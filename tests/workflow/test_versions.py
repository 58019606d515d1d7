"""New versions (spec, semantics 7) and what becomes of a document that cannot be uploaded."""

from __future__ import annotations

import uuid
from dataclasses import replace

from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from bot.processes.starter import start_review
from bot.runtime.settings import Settings
from slack_presentation.closing_sentences import update_ending, update_outcome
from tests.helpers import as_payload, eventually, new_worker
from tests.workflow.review_harness import (
    REVIEWERS,
    StandInActivities,
    decide,
    running_review,
    status_of,
    submission,
    until_called,
    until_history,
)
from workflow.models import SIGNAL_SUBMIT_SCHEMA, ReviewInput
from workflow.schema_approval import SchemaApprovalWorkflow

ROUND_1_OPEN = ("dispatch_review_request Review1.a v1", "dispatch_review_request Review1.b v1")


async def approve_version(handle, stand_in: StandInActivities, version: int) -> None:
    for stages in (("Review1.a", "Review1.b"), ("Review2",)):
        await until_called(stand_in, *[f"dispatch_review_request {s} v{version}" for s in stages])
        for stage in stages:
            await decide(handle, stage, version=version)


async def test_a_new_version_mid_review_supersedes_the_round(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await decide(handle, "Review1.a")
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await approve_version(handle, stand_in, 2)
        result = await handle.result()
        status = await status_of(handle)

    assert sorted(stand_in.main_calls()[:3]) == sorted(["upload_schema v1", *ROUND_1_OPEN])
    assert "upload_schema v2" in stand_in.main_calls()
    v1_updates = {
        (u.stage, update_outcome(u)) for u in stand_in.message_updates() if u.version == 1
    }
    assert v1_updates == {
        ("Review1.a", "Approved by alice@example.com"),
        ("Review1.b", "Superseded by version 2"),
    }
    # Alice was first told the review continues; her message ends saying version 2 took over.
    last_v1 = {u.stage: u for u in stand_in.message_updates() if u.version == 1}
    assert {stage: update_ending(u) for stage, u in last_v1.items()} == {
        "Review1.a": "Version 1 was superseded by version 2; its review ended.",
        "Review1.b": "Version 1 was superseded by version 2; its review ended.",
    }
    assert not any(u.review_continues for u in last_v1.values())
    assert (result.approved_version, result.rounds) == (2, 2)
    # Every decision of every version is kept.
    assert [(d.stage, d.version) for d in result.decisions] == [
        ("Review1.a", 1),
        ("Review1.a", 2),
        ("Review1.b", 2),
        ("Review2", 2),
    ]
    assert any(
        entry.text == "Version 2 submitted by owner@example.com (Inventory schema v2);"
        " it supersedes version 1."
        for entry in status.history
    )


async def test_an_older_or_equal_version_is_ignored(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(3)))
        await until_called(stand_in, "dispatch_review_request Review1.a v3")
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        status = await until_history(
            handle,
            "Ignored version 2 of inventory-service: it is not higher than the current version 3;"
            " submit a higher version.",
        )
    assert status.version == 3
    assert status.state == "awaiting_review"
    assert "upload_schema v2" not in stand_in.calls


async def test_a_new_version_during_a_stuck_upload_takes_over(temporal_client: Client) -> None:
    # Version 1's document host keeps failing; the submitter fixes the URL in version 2.
    stand_in = StandInActivities(upload_outages={1: 1000})
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, "upload_schema v1")
        assert (await status_of(handle)).state == "uploading"
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await approve_version(handle, stand_in, 2)
        result = await handle.result()
    assert result.approved_version == 2
    assert not any(
        c.startswith("dispatch_review_request") and c.endswith("v1") for c in stand_in.calls
    )


async def test_a_document_that_cannot_be_used_asks_for_a_revision(
    temporal_client: Client,
) -> None:
    refusal = "The schema document is not valid JSON: Expecting ',' at line 3 column 5."
    stand_in = StandInActivities(
        upload_refusals={
            1: ApplicationError(refusal, type="SchemaNotParseable", non_retryable=True)
        }
    )
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, "record_revision_request upload v1")
        waiting = await status_of(handle)
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await approve_version(handle, stand_in, 2)
        result = await handle.result()

    revision = stand_in.requests[stand_in.calls.index("record_revision_request upload v1")]
    assert (revision.stage, revision.rejected_by, revision.reason) == ("upload", None, refusal)
    assert stand_in.calls.count("upload_schema v1") == 1  # a permanent failure is not retried
    assert waiting.state == "awaiting_revision"
    assert waiting.revision_reason == f"Version 1 could not be uploaded. {refusal}"
    assert waiting.pending_reviewers == [] and waiting.digest is None
    assert (result.approved_version, result.rounds) == (2, 2)


async def test_a_transient_upload_failure_is_retried(temporal_client: Client) -> None:
    stand_in = StandInActivities(upload_outages={1: 1})
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)

        async def uploaded() -> None:
            status = await status_of(handle)
            assert status.state == "awaiting_review"
            assert status.digest is not None

        await eventually(uploaded)
    assert stand_in.calls.count("upload_schema v1") == 2
    assert "record_revision_request upload v1" not in stand_in.calls


async def test_the_submission_under_review_sent_again_changes_nothing(
    temporal_client: Client,
) -> None:
    # The starter and /submit-schema use signal-with-start: the signal repeats the start input.
    stand_in = StandInActivities()
    review = ReviewInput(submission(1, schema_id=f"inventory-{uuid.uuid4().hex[:8]}"), REVIEWERS)
    async with new_worker(
        temporal_client, SchemaApprovalWorkflow, activities=stand_in.activities()
    ) as worker:
        settings = Settings(_env_file=None, temporal_task_queue=worker.task_queue)  # type: ignore[call-arg]
        workflow_id = await start_review(temporal_client, settings, review)
        handle = temporal_client.get_workflow_handle(workflow_id)
        await until_called(stand_in, *ROUND_1_OPEN)
        # Run the starter again with the same submission, then send a different one with the
        # same version: signals are handled in order, so once the second one's line is in the
        # history the first one was handled too.
        await start_review(temporal_client, settings, review)
        other = replace(review.submission, content_uri="https://schemas.example.com/other.json")
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(other))
        status = await until_history(handle, "Ignored version 1")
        await handle.terminate("test finished")

    ignored = [entry.text for entry in status.history if entry.text.startswith("Ignored")]
    assert ignored == [
        f"Ignored version 1 of {review.submission.schema_id}: it is not higher than the"
        " current version 1; submit a higher version."
    ]
    assert (status.version, status.round, status.state) == (1, 1, "awaiting_review")
    assert stand_in.calls.count("upload_schema v1") == 1
