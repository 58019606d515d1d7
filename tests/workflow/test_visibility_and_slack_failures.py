"""Search attributes that list reviews, a review that goes on when Slack cannot deliver, and
an approval the schema store cannot record."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from tests.helpers import eventually
from tests.workflow.review_harness import (
    StandInActivities,
    approve_version_1,
    decide,
    running_review,
    status_of,
    until_called,
    until_history,
)
from workflow.models import (
    SA_PENDING_REVIEWERS,
    SA_REVIEW_STATE,
    SA_SCHEMA_ID,
    SA_SUBMITTED_BY,
    SIGNAL_RECORD_DECISION,
)


async def test_search_attributes_follow_the_review(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:

        async def attributes_are(state: str, pending: list[str]) -> None:
            attributes = (await handle.describe()).typed_search_attributes
            assert attributes.get(SA_SCHEMA_ID) == "inventory-service"
            assert attributes.get(SA_SUBMITTED_BY) == "owner@example.com"
            assert attributes.get(SA_REVIEW_STATE) == state
            assert sorted(attributes.get(SA_PENDING_REVIEWERS) or []) == pending

        await eventually(
            lambda: attributes_are("awaiting_review", ["alice@example.com", "bob@example.com"])
        )
        await decide(handle, "Review1.a", reviewer="Alice@Example.com")
        await eventually(lambda: attributes_are("awaiting_review", ["bob@example.com"]))
        await decide(handle, "Review1.b", "reject")
        await eventually(lambda: attributes_are("awaiting_revision", []))


async def test_a_review_request_slack_cannot_deliver_is_noted_and_decidable(
    temporal_client: Client,
) -> None:
    unknown = ApplicationError(
        "users_not_found: no Slack user has the email bob@example.com",
        type="SlackUserNotFound",
        non_retryable=True,
    )
    stand_in = StandInActivities(dispatch_failures={"Review1.b": unknown})
    async with running_review(temporal_client, stand_in) as handle:
        await until_history(
            handle,
            "Could not send the Review1.b review request for version 1 to bob@example.com:"
            " users_not_found: no Slack user has the email bob@example.com. The decision can"
            " still be recorded with the record_review_decision signal.",
        )
        await decide(handle, "Review1.a")
        await handle.signal(
            SIGNAL_RECORD_DECISION,
            {
                "stage": "Review1.b",
                "reviewer": "bob@example.com",
                "submission_version": 1,
                "approved": True,
            },
        )
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2")
        result = await handle.result()
    assert result.approved_version == 1
    # Nothing was posted for Review1.b, so there is nothing to rewrite.
    assert {u.stage for u in stand_in.message_updates()} == {"Review1.a", "Review2"}


async def test_an_approval_the_schema_store_cannot_record_is_said_in_the_status(
    temporal_client: Client,
) -> None:
    not_held = ApplicationError(
        "the schema store on the worker that finalized it does not hold version 1 of"
        " inventory-service, so it is not marked approved there, and only the submitter was"
        " told. SCHEMA_STORE_DIR must be one persistent volume that every worker shares.",
        type="SchemaNotApprovable",
        non_retryable=True,
    )
    stand_in = StandInActivities(finalize_failure=not_held)
    async with running_review(temporal_client, stand_in) as handle:
        for stages in (("Review1.a", "Review1.b"), ("Review2",)):
            await until_called(stand_in, *[f"dispatch_review_request {s} v1" for s in stages])
            for stage in stages:
                await decide(handle, stage)
        result = await handle.result()
        status = await status_of(handle)

    # The reviewers' approval stands; what the store lacks is said where the owner looks.
    assert (result.approved_version, status.state) == (1, "approved")
    assert status.history[-1].text == (
        "Version 1 was approved, but the schema store on the worker that finalized it does not"
        " hold version 1 of inventory-service, so it is not marked approved there, and only"
        " the submitter was told. SCHEMA_STORE_DIR must be one persistent volume that every"
        " worker shares."
    )


async def test_the_time_skipping_server_runs_a_review(time_skipping_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(time_skipping_client, stand_in) as handle:
        result = await approve_version_1(handle, stand_in)
    assert result.approved_version == 1
