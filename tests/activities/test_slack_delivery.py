"""How the Slack activities deliver: a rate limit rides out, a retry posts nothing twice, and
permanent failures (an unknown email, a rejected token) fail at once with a clear reason."""

from __future__ import annotations

import pytest
from temporalio.exceptions import ApplicationError

from activities.review_messages import ReviewMessageActivities
from activities.schema_store import SchemaStore
from activities.slack_client import build_slack_client
from slack_sandbox import SlackStandIn
from slack_sandbox.records import Channel
from tests.activities.activity_runs import (
    dm_of,
    scheduled_activity,
)
from tests.activities.review_fixtures import (
    review_request,
)


async def test_a_rate_limited_post_is_retried_and_posted_once(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    slack_standin.fail_next("chat.postMessage", error="ratelimited", retry_after=1)

    await scheduled_activity().run(slack_activities.dispatch_review_request, review_request())

    assert len(dm_of(slack_standin, "alice@example.com")) == 1
    attempts = slack_standin.calls_to("chat.postMessage")
    assert [call.http_status for call in attempts] == [429, 200]


async def test_a_retry_of_the_same_activity_does_not_post_the_dm_again(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    env = scheduled_activity()
    request = review_request(review_channel="C0LATE0001")
    with pytest.raises(ApplicationError) as failed:
        await env.run(slack_activities.dispatch_review_request, request)
    assert failed.value.type == "SlackChannelNotFound"
    assert "C0LATE0001" in failed.value.message
    slack_standin.state.channels["C0LATE0001"] = Channel("C0LATE0001", "late-reviews")

    await env.run(slack_activities.dispatch_review_request, request)

    assert len(dm_of(slack_standin, "alice@example.com")) == 1
    assert len(slack_standin.messages_in("C0LATE0001")) == 1


async def test_unknown_reviewer_email_fails_without_retry(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    request = review_request(reviewer="nobody@example.com")

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(slack_activities.dispatch_review_request, request)

    assert failed.value.type == "SlackUserNotFound"
    assert failed.value.non_retryable
    assert failed.value.message == (
        "No Slack user has the email nobody@example.com; check the reviewer roster."
    )
    assert slack_standin.calls_to("chat.postMessage") == []


async def test_a_rejected_token_fails_without_retry_and_without_the_token(
    slack_standin: SlackStandIn, store: SchemaStore
) -> None:
    wrong = ReviewMessageActivities(
        build_slack_client("xoxb-wrong-token", slack_standin.api_url), store
    )

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(wrong.dispatch_review_request, review_request())

    assert failed.value.type == "SlackAuthError"
    assert failed.value.non_retryable
    assert "SLACK_BOT_TOKEN" in failed.value.message
    assert "xoxb" not in failed.value.message
