"""The review channel's copy of a request is posted once the DM is delivered, by the same
activity: a copy that cannot be posted leaves the delivered DM as it is."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from slack_presentation.closing_sentences import update_outcome
from tests.workflow.review_harness import (
    StandInActivities,
    decide,
    review_input,
    running_review,
    until_called,
    until_history,
)
from workflow.activity_payloads import PostedMessage

CHANNEL = "C0REVIEWS01"


async def test_a_decision_closes_the_dm_and_its_channel_copy(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in, review_input(review_channel=CHANNEL)) as h:
        await until_called(stand_in, "post_review_channel_copy Review1.a v1")
        await decide(h, "Review1.a")
        await until_called(stand_in, "update_review_message Review1.a v1")

    [update] = stand_in.message_updates()
    assert update.messages == [
        PostedMessage("D-alice@example.com", "1.1"),
        PostedMessage(CHANNEL, "1.Review1.a"),
    ]


async def test_a_refused_channel_copy_leaves_the_dm_delivered(temporal_client: Client) -> None:
    stand_in = StandInActivities(
        channel_copy_failure=ApplicationError(
            "The bot is not a member of channel C0REVIEWS01 (not_in_channel): invite it to the"
            " channel.",
            type="SlackChannelNotFound",
            non_retryable=True,
        )
    )
    async with running_review(temporal_client, stand_in, review_input(review_channel=CHANNEL)) as h:
        status = await until_history(h, "Review1.a review request for version 1 to the review")
        await decide(h, "Review1.a")
        await until_called(stand_in, "update_review_message Review1.a v1")

    assert (
        "Could not post the Review1.a review request for version 1 to the review channel: The bot"
        " is not a member of channel C0REVIEWS01 (not_in_channel): invite it to the channel."
        " The request in alice@example.com's direct messages stands."
    ) in [entry.text for entry in status.history]
    # Delivered: the submitter is not asked to reassign, and the decision closes the DM.
    assert stand_in.undelivered_notices() == []
    [update] = stand_in.message_updates()
    assert update.messages == [PostedMessage("D-alice@example.com", "1.1")]


async def test_a_decision_while_the_copy_is_being_posted_closes_both(
    temporal_client: Client,
) -> None:
    gate = asyncio.Event()
    stand_in = StandInActivities(channel_copy_gate=gate)
    async with running_review(temporal_client, stand_in, review_input(review_channel=CHANNEL)) as h:
        await until_called(stand_in, "post_review_channel_copy Review1.a v1")
        await decide(h, "Review1.a")
        gate.set()
        await until_called(stand_in, "update_review_message Review1.a v1")

    [update] = stand_in.message_updates()
    assert update.messages == [
        PostedMessage("D-alice@example.com", "1.1"),
        PostedMessage(CHANNEL, "1.Review1.a"),
    ]
    assert update_outcome(update) == "Approved by alice@example.com"


async def test_a_copy_slack_keeps_failing_leaves_the_dm_delivered(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    stand_in = StandInActivities(
        channel_copy_failure=ApplicationError("Slack answered 503 Service Unavailable")
    )
    review = review_input(review_channel=CHANNEL)
    async with running_review(time_skipping_env.client, stand_in, review) as h:
        # The copy's retries run out (an hour); the DM was delivered by the first attempt.
        await time_skipping_env.sleep(timedelta(hours=1, minutes=5))
        status = await until_history(h, "Review1.a review request for version 1 to the review")
        await decide(h, "Review1.a")
        await until_called(stand_in, "update_review_message Review1.a v1")

    dms = [c for c in stand_in.calls if c.startswith("dispatch_review_request Review1.a")]
    assert len(dms) > 1  # retried until the hour ran out
    assert (
        "Could not post the Review1.a review request for version 1 to the review channel:"
        " Slack answered 503 Service Unavailable. The request in alice@example.com's direct"
        " messages stands."
    ) in [entry.text for entry in status.history]
    assert stand_in.undelivered_notices() == []
    [update] = stand_in.message_updates()
    assert update.messages == [PostedMessage("D-alice@example.com", "1.1")]
