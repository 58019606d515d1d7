"""`notify_undelivered_review_request`: the submitter hears that a review request could not be
delivered, against the local Slack stand-in."""

from __future__ import annotations

import json

import pytest
from temporalio.exceptions import ApplicationError

from activities.review_messages import ReviewMessageActivities
from slack_api.client import WORKER, build_slack_client
from tests.activities.activity_runs import dm_of, scheduled_activity
from tests.activities.review_fixtures import review_request, submission
from tests.fixtures.slack_standin import SlackStandInForTests
from workflow.activity_payloads import PostedMessage, UndeliveredReviewRequest
from workflow.models import REVIEW_1A, workflow_id_for

NOBODY = "nobody@example.com"
OWNER = "owner@example.com"


def notice(
    failure_type: str, failure: str, stage: str = REVIEW_1A, submitted_by: str = OWNER
) -> UndeliveredReviewRequest:
    return UndeliveredReviewRequest(
        workflow_id=workflow_id_for("inventory-service"),
        request=review_request(stage, NOBODY, submission=submission(submitted_by=submitted_by)),
        failure_type=failure_type,
        failure=failure,
    )


@pytest.fixture
def slack_activities(slack_standin: SlackStandInForTests) -> ReviewMessageActivities:
    return ReviewMessageActivities(
        build_slack_client(slack_standin.bot_token, slack_standin.api_url, profile=WORKER), None
    )


async def test_the_submitter_is_told_whom_the_request_did_not_reach_and_what_to_do(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    unknown = notice("SlackUserNotFound", f"No Slack user has the email {NOBODY}")

    posted = await scheduled_activity().run(
        slack_activities.notify_undelivered_review_request, unknown
    )

    [message] = dm_of(slack_standin, OWNER)
    assert posted == PostedMessage(message.channel, message.ts)
    assert message.text == (
        "Your review of *inventory-service* v2 is waiting: the Review1.a request could not be"
        f" delivered to {NOBODY} (no Slack user has this email). Reassign the reviewer from"
        " /schema-status inventory-service."
    )
    assert "Only you or an admin can reassign." in json.dumps(message.blocks)
    assert not [b for b in message.blocks if b.get("type") == "actions"]


async def test_other_failures_are_told_in_the_errors_own_words(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    channel = notice(
        "SlackChannelNotFound",
        "The bot is not a member of channel C0LATE0001 (not_in_channel): invite it to the channel.",
        stage="Review2",
    )

    await scheduled_activity().run(slack_activities.notify_undelivered_review_request, channel)

    [message] = dm_of(slack_standin, OWNER)
    assert (
        "the Review2 request could not be delivered to nobody@example.com (The bot is not a"
        " member of channel C0LATE0001 (not_in_channel): invite it to the channel)."
    ) in message.text


async def test_a_submitter_slack_does_not_know_fails_without_retry(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    unknown = notice("SlackUserNotFound", "no such user", submitted_by="gone@example.com")

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(slack_activities.notify_undelivered_review_request, unknown)

    assert (failed.value.type, failed.value.non_retryable) == ("SlackUserNotFound", True)
    assert slack_standin.calls_to("chat.postMessage") == []
