"""How the Slack activities deliver: a rate limit rides out, a retry posts nothing twice, and
permanent failures (an unknown email, a rejected token) fail at once with a clear reason."""

from __future__ import annotations

from dataclasses import replace

import pytest
from temporalio.exceptions import ApplicationError

from activities.review_messages import ReviewMessageActivities
from schemas.store import SchemaStore
from slack_api.client import WORKER, build_slack_client
from slack_sandbox.records import Channel
from tests.activities.activity_runs import (
    another_worker,
    dm_of,
    scheduled_activity,
)
from tests.activities.review_fixtures import (
    review_request,
)
from tests.fixtures.slack_standin import SlackStandInForTests
from workflow.activity_calls import DELIVERED_DM
from workflow.activity_payloads import PostedMessage

ALICE_EMAIL = "alice@example.com"


async def test_a_rate_limited_post_is_retried_and_posted_once(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    slack_standin.fail_next("chat.postMessage", error="ratelimited", retry_after=1)

    await scheduled_activity().run(slack_activities.dispatch_review_request, review_request())

    assert len(dm_of(slack_standin, "alice@example.com")) == 1
    attempts = slack_standin.calls_to("chat.postMessage")
    assert [call.http_status for call in attempts] == [429, 200]


async def test_a_channel_copy_refused_for_good_leaves_the_dm_delivered(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    request = review_request(review_channel="C0GONE0001")

    dm, copy = await scheduled_activity().run(slack_activities.dispatch_review_request, request)

    assert [dm] == [PostedMessage(m.channel, m.ts) for m in dm_of(slack_standin, ALICE_EMAIL)]
    assert (copy.channel, copy.ts) == ("C0GONE0001", "")
    assert copy.not_posted is not None and "C0GONE0001" in copy.not_posted


async def test_a_retry_after_the_copy_failed_does_not_post_the_dm_again(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = scheduled_activity()
    request = review_request(review_channel="C0REVIEWS01")
    slack_standin.state.channels["C0REVIEWS01"] = Channel("C0REVIEWS01", "reviews")

    async def slack_unavailable(*_: object) -> PostedMessage:
        raise ApplicationError("Slack answered 503 Service Unavailable", type="SlackUnavailable")

    # The DM goes out; the copy's post fails in a way worth retrying.
    monkeypatch.setattr(slack_activities, "_post_channel_copy", slack_unavailable)
    with pytest.raises(ApplicationError) as failed:
        await env.run(slack_activities.dispatch_review_request, request)
    assert not failed.value.non_retryable
    [dm] = dm_of(slack_standin, ALICE_EMAIL)
    assert list(failed.value.details) == [{DELIVERED_DM: {"channel": dm.channel, "ts": dm.ts}}]

    # The next attempt, on a worker that knows nothing: the DM is found, the copy posted.
    env.info = replace(env.info, attempt=2)
    again = await env.run(another_worker(slack_standin, store).dispatch_review_request, request)

    [copy] = slack_standin.messages_in("C0REVIEWS01")
    assert again == [PostedMessage(dm.channel, dm.ts), PostedMessage(copy.channel, copy.ts)]
    assert len(dm_of(slack_standin, ALICE_EMAIL)) == 1


async def test_unknown_reviewer_email_fails_without_retry(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
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
    slack_standin: SlackStandInForTests, store: SchemaStore
) -> None:
    wrong = ReviewMessageActivities(
        build_slack_client("xoxb-wrong-token", slack_standin.api_url, profile=WORKER), store
    )

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(wrong.dispatch_review_request, review_request())

    assert failed.value.type == "SlackAuthError"
    assert failed.value.non_retryable
    assert "SLACK_BOT_TOKEN" in failed.value.message
    assert "xoxb" not in failed.value.message
