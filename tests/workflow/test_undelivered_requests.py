"""A review request that cannot be delivered: the submitter is told, and reassigning the seat
gets the review going again (stand-in activities on the dev server)."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from tests.helpers import eventually
from tests.workflow.review_harness import (
    OWNER,
    REVIEWERS,
    StandInActivities,
    decide,
    reassign,
    running_review,
    until_called,
    until_history,
)
from tests.workflow.test_reassignment import ERIN, requested

ALICE = REVIEWERS.reviewer_a
UNKNOWN_ALICE = ApplicationError(
    f"No Slack user has the email {ALICE}; check the reviewer roster.",
    type="SlackUserNotFound",
    non_retryable=True,
)


async def test_an_undeliverable_request_is_reported_to_the_submitter_and_reassigning_fixes_it(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities(unreachable_reviewers={ALICE: UNKNOWN_ALICE})
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, "notify_undelivered_review_request Review1.a v1")
        notice = stand_in.undelivered_notices()[0]
        assert (notice.request.reviewer, notice.failure_type) == (ALICE, "SlackUserNotFound")
        await until_history(
            handle,
            f"Told {OWNER} that the Review1.a review request could not be delivered to {ALICE},"
            " so that they can reassign it.",
        )

        outcome = await reassign(handle, "reviewer_a", ERIN)

        assert outcome.requested_now
        await eventually(lambda: requested(stand_in, ERIN, "Review1.a"))
        await decide(handle, "Review1.a", reviewer=ERIN)
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2")
        result = await handle.result()

    assert result.approved_version == 1
    assert len(stand_in.undelivered_notices()) == 1
    # Alice was never posted to, so there is no message of hers to close.
    assert ALICE not in {u.reviewer for u in stand_in.message_updates()}


async def test_a_notice_that_cannot_be_sent_is_only_noted(temporal_client: Client) -> None:
    stand_in = StandInActivities(
        unreachable_reviewers={ALICE: UNKNOWN_ALICE},
        undelivered_notice_failure=ApplicationError(
            f"No Slack user has the email {OWNER}; check the reviewer roster.",
            type="SlackUserNotFound",
            non_retryable=True,
        ),
    )
    async with running_review(temporal_client, stand_in) as handle:
        status = await until_history(
            handle,
            f"Could not tell {OWNER} that the Review1.a review request could not be delivered to"
            f" {ALICE}: No Slack user has the email {OWNER}; check the reviewer roster.",
        )

    assert status.state == "awaiting_review"
