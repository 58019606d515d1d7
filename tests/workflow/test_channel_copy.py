"""The review channel's copy of a request is posted by its own activity once the DM is
delivered: a copy that cannot be posted leaves the delivered DM as it is."""

from __future__ import annotations

import asyncio

from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from tests.helpers import eventually
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

    [dispatched, *_] = stand_in.review_requests()
    [update] = stand_in.message_updates()
    # The DM activity is asked for the DM only; the copy goes to the channel on its own.
    assert dispatched.review_channel is None
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


async def test_a_copy_posted_after_its_stage_was_decided_is_closed_too(
    temporal_client: Client,
) -> None:
    gate = asyncio.Event()
    stand_in = StandInActivities(channel_copy_gate=gate)
    async with running_review(temporal_client, stand_in, review_input(review_channel=CHANNEL)) as h:
        await until_called(stand_in, "post_review_channel_copy Review1.a v1")
        await decide(h, "Review1.a")
        await until_called(stand_in, "update_review_message Review1.a v1")
        gate.set()

        async def both_closed() -> None:
            closed = [m for u in stand_in.message_updates() for m in u.messages]
            assert len(closed) == 2, closed

        await eventually(both_closed)

    first, second = stand_in.message_updates()
    assert first.messages == [PostedMessage("D-alice@example.com", "1.1")]
    assert second.messages == [PostedMessage(CHANNEL, "1.Review1.a")]
    assert second.outcome == first.outcome
