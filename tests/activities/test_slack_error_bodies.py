"""Slack's failures in every body shape a proxy in front of it may give (Slack's JSON, a text
line, an HTML page, nothing): the activity fails with a sentence that says what happened,
retryable when Slack may come back, and the retry delivers the message once."""

from __future__ import annotations

from dataclasses import replace

import pytest
from temporalio.exceptions import ApplicationError

from activities.review_messages import ReviewMessageActivities
from tests.activities.activity_runs import dm_of, scheduled_activity
from tests.activities.review_fixtures import review_request
from tests.fixtures.slack_standin import SlackStandInForTests

ALICE_EMAIL = "alice@example.com"

# Shape -> the body of the failed answer (None: Slack's own JSON error).
BODIES: dict[str, str | None] = {
    "JSON": None,
    "text": "Service Unavailable",
    "HTML": "<html><body><h1>503 Service Unavailable</h1></body></html>",
    "empty": "",
}


@pytest.mark.parametrize("shape", sorted(BODIES))
async def test_an_unavailable_slack_is_said_whatever_the_body_and_the_retry_posts_once(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities, shape: str
) -> None:
    slack_standin.fail_next("chat.postMessage", error="service_unavailable", text=BODIES[shape])
    env = scheduled_activity()

    with pytest.raises(ApplicationError) as failed:
        await env.run(slack_activities.dispatch_review_request, review_request())

    said = "service_unavailable" if shape == "JSON" else "HTTP 503"
    assert failed.value.message.startswith(
        f"Slack is unavailable ({said}) while sending the Review1.a"
    )
    assert failed.value.type == "SlackUnavailable"
    assert not failed.value.non_retryable
    assert dm_of(slack_standin, ALICE_EMAIL) == []

    env.info = replace(env.info, attempt=2)
    await env.run(slack_activities.dispatch_review_request, review_request())
    assert len(dm_of(slack_standin, ALICE_EMAIL)) == 1


@pytest.mark.parametrize("shape", sorted(BODIES))
async def test_a_refusal_is_said_whatever_the_body_and_not_retried(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities, shape: str
) -> None:
    body = BODIES[shape]
    # The JSON shape is Slack's own refusal; the others a proxy's 403 page.
    status = None if body is None else 403
    slack_standin.fail_next(
        "conversations.open", error="method_deprecated", status=status, text=body
    )

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(slack_activities.dispatch_review_request, review_request())

    said = "method_deprecated" if shape == "JSON" else "HTTP 403"
    assert failed.value.message.startswith(f"Slack refused the request ({said}) while")
    assert failed.value.non_retryable
    assert dm_of(slack_standin, ALICE_EMAIL) == []
