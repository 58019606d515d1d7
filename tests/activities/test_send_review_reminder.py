"""`send_review_reminder` against the local Slack stand-in, run as Temporal runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from activities.review_messages import ReviewMessageActivities
from schemas.store import SchemaStore
from slack_api.client import WORKER, build_slack_client
from tests.activities.activity_runs import buttons, dm_of, scheduled_activity
from tests.activities.review_fixtures import review_request
from tests.fixtures.slack_standin import SlackStandInForTests
from workflow.activity_payloads import PostedMessage, ReviewReminder
from workflow.models import REVIEW_3

OWNER = "<@U0OWNER001>"
REMINDER_TEXT = (
    "⏰ Reminder: *inventory-service* v2 has waited 24 hours for your review"
    " (Review1.a — first-round review)."
)


@pytest.fixture
def slack_activities(
    slack_standin: SlackStandInForTests, tmp_path: Path
) -> ReviewMessageActivities:
    return ReviewMessageActivities(
        build_slack_client(slack_standin.bot_token, slack_standin.api_url, profile=WORKER),
        SchemaStore(tmp_path / "schemas"),
    )


def reminder(review_message: PostedMessage | None) -> ReviewReminder:
    return ReviewReminder(
        request=review_request(),
        number=1,
        max_reminders=3,
        waited_seconds=86400.02,
        review_message=review_message,
    )


async def test_the_reviewer_is_reminded_with_a_link_to_the_request_and_no_buttons(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    [request_dm] = await scheduled_activity().run(
        slack_activities.dispatch_review_request, review_request()
    )

    posted = await scheduled_activity().run(
        slack_activities.send_review_reminder, reminder(request_dm)
    )

    original, nudge = dm_of(slack_standin, "alice@example.com")
    assert posted == PostedMessage(nudge.channel, nudge.ts)
    assert nudge.text == REMINDER_TEXT
    assert buttons(nudge) == []
    # The request keeps the only buttons, untouched.
    assert len(buttons(original)) == 3 and not original.edited
    shown = json.dumps(nudge.blocks, ensure_ascii=False)
    permalink = (
        f"{slack_standin.url}/archives/{request_dm.channel}/p{request_dm.ts.replace('.', '')}"
    )
    assert f"<{permalink}|Open the review request>" in shown
    assert f"Submitted by {OWNER}" in shown
    assert "Reminder 1 of 3" in shown


async def test_a_request_that_is_gone_or_was_never_posted_still_gets_its_reminder(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    alice = slack_standin.user_by_email("alice@example.com").id
    gone = PostedMessage(slack_standin.dm_channel_of(alice), "1.000001")

    for review_message in (gone, None):
        await scheduled_activity().run(
            slack_activities.send_review_reminder, reminder(review_message)
        )

    for nudge in dm_of(slack_standin, "alice@example.com"):
        assert nudge.text == REMINDER_TEXT
        assert "in your direct messages with this app" in json.dumps(nudge.blocks)


async def test_the_compliance_reviewer_is_told_which_review_waits(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    late = ReviewReminder(
        request=review_request(stage=REVIEW_3, reviewer="dave@example.com"),
        number=3,
        max_reminders=3,
        waited_seconds=3 * 86400,
    )

    await scheduled_activity().run(slack_activities.send_review_reminder, late)

    [nudge] = dm_of(slack_standin, "dave@example.com")
    assert nudge.text == (
        "⏰ Reminder: *inventory-service* v2 has waited 3 days for your review"
        " (Review3 — compliance review)."
    )
    assert "Reminder 3 of 3" in json.dumps(nudge.blocks)


async def test_a_reminder_slack_refuses_fails_at_once_with_what_to_do(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    slack_standin.fail_next("chat.postMessage", error="token_revoked")

    with pytest.raises(ApplicationError) as failure:
        await scheduled_activity().run(slack_activities.send_review_reminder, reminder(None))

    assert failure.value.non_retryable
    assert "SLACK_BOT_TOKEN" in failure.value.message
    assert dm_of(slack_standin, "alice@example.com") == []
