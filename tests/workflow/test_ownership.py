"""Whose review it is: the owner stays the first submitter whoever submits later versions, and
a reviewer of the review may not submit the version they would review."""

from __future__ import annotations

from dataclasses import replace

from temporalio.client import Client
from temporalio.worker import Replayer

from tests.helpers import as_payload, eventually
from tests.workflow.review_harness import (
    OWNER,
    StandInActivities,
    decide,
    review_input,
    running_review,
    status_of,
    submission,
    until_called,
    until_history,
)
from workflow.models import SA_SUBMITTED_BY, SIGNAL_SUBMIT_SCHEMA
from workflow.schema_approval import SchemaApprovalWorkflow

ERIN = "erin@example.com"  # an admin, on no seat of the roster
CAROL = "carol@example.com"  # the senior reviewer, and an admin


async def test_the_owner_outlasts_an_admins_version_and_continue_as_new(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    review = review_input(continue_as_new_after_rounds=1)
    async with running_review(temporal_client, stand_in, review) as handle:
        first_run = (await handle.describe()).run_id
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await decide(handle, "Review1.a", "reject")
        await until_called(stand_in, "record_revision_request Review1.a v1")

        async def continued() -> None:
            assert (await handle.describe()).run_id != first_run

        await eventually(continued)
        await handle.signal(
            SIGNAL_SUBMIT_SCHEMA, as_payload(replace(submission(2), submitted_by=ERIN))
        )
        await until_called(stand_in, "dispatch_review_request Review1.a v2")
        await decide(handle, "Review1.a", "reject", version=2)
        await until_called(stand_in, "record_revision_request Review1.a v2")

        async def continued_after_erins_version() -> None:
            status = await status_of(handle)
            assert status.history[-1].text.startswith("Continued as a new run after round 2")

        await eventually(continued_after_erins_version)
        # The run that starts from Erin's version still knows whose schema it is.
        status = await status_of(handle)
        listed = (await handle.describe()).typed_search_attributes.get(SA_SUBMITTED_BY)

    assert (status.version, status.submitted_by, status.owner) == (2, ERIN, OWNER)
    assert listed == OWNER


async def test_a_reviewer_who_submits_a_version_is_ignored_with_the_reason(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await handle.signal(
            SIGNAL_SUBMIT_SCHEMA, as_payload(replace(submission(2), submitted_by=CAROL.upper()))
        )
        status = await until_history(
            handle,
            f"Ignored version 2 of inventory-service: {CAROL.upper()} reviews it (Review2), and"
            " the submitter may not review their own schema. Ask owner@example.com or an admin"
            " who is not a reviewer to submit it.",
        )
        # Nothing changed: version 1 is still the one in review, and the owner's next is taken.
        assert (status.version, status.state) == (1, "awaiting_review")
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await until_called(stand_in, "dispatch_review_request Review1.a v2")
        history = await handle.fetch_history()

    assert "upload_schema v2" in stand_in.main_calls()
    await Replayer(workflows=[SchemaApprovalWorkflow]).replay_workflow(history)
