"""Every Slack post goes out once: across Slack's 5xx after it posted, retries on another
worker, and copies that slipped through; a cancelled reminder posts nothing."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError

from activities import heartbeats
from activities.review_messages import ReviewMessageActivities
from activities.slack_posting import DUPLICATE_TEXT, SEARCH_RATE_LIMITED
from schemas.store import SchemaStore
from slack_sandbox.state import REVIEW_CHANNEL_ID
from tests.activities.activity_runs import another_worker, buttons, dm_of, scheduled_activity
from tests.activities.review_fixtures import review_request
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually
from workflow.activity_payloads import ReviewReminder


@pytest.mark.parametrize("error", ["internal_error", "service_unavailable"])
async def test_a_5xx_after_slack_posted_is_not_posted_again(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities, error: str
) -> None:
    slack_standin.fail_next("chat.postMessage", error=error, after_effect=True)

    [posted] = await scheduled_activity().run(
        slack_activities.dispatch_review_request, review_request()
    )

    [message] = dm_of(slack_standin, "alice@example.com")
    assert (posted.channel, posted.ts) == (message.channel, message.ts)
    assert len(slack_standin.calls_to("chat.postMessage")) == 1
    assert len(slack_standin.calls_to("conversations.history")) == 1


async def test_a_5xx_before_slack_posted_fails_the_attempt_and_the_retry_posts(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
) -> None:
    env = scheduled_activity()
    slack_standin.fail_next("chat.postMessage", error="internal_error")
    with pytest.raises(ApplicationError) as failed:
        await env.run(slack_activities.dispatch_review_request, review_request())
    assert failed.value.type == "SlackUnavailable" and not failed.value.non_retryable
    assert dm_of(slack_standin, "alice@example.com") == []

    env.info = replace(env.info, attempt=2)
    await env.run(another_worker(slack_standin, store).dispatch_review_request, review_request())

    assert len(dm_of(slack_standin, "alice@example.com")) == 1


async def test_a_retry_on_another_worker_finds_the_message_the_killed_one_posted(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
) -> None:
    env = scheduled_activity()
    [first] = await env.run(slack_activities.dispatch_review_request, review_request())
    # The answer never reached Temporal: the next attempt runs on a worker that knows nothing.
    env.info = replace(env.info, attempt=2)

    [again] = await env.run(
        another_worker(slack_standin, store).dispatch_review_request, review_request()
    )

    assert again == first
    assert len(dm_of(slack_standin, "alice@example.com")) == 1
    assert len(slack_standin.calls_to("chat.postMessage")) == 1


async def test_a_retry_reads_what_was_posted_from_the_last_heartbeat(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An attempt that ran long enough to heartbeat (a fast one never does).
    monkeypatch.setattr(heartbeats, "HEARTBEAT_AFTER_SECONDS", 0.0)
    env = scheduled_activity()
    beats: list[tuple[Any, ...]] = []
    env.on_heartbeat = lambda *details: beats.append(details)
    [first] = await env.run(slack_activities.dispatch_review_request, review_request())
    env.info = replace(env.info, attempt=2, heartbeat_details=[d for d in beats if d][-1])

    [again] = await env.run(
        another_worker(slack_standin, store).dispatch_review_request, review_request()
    )

    assert again == first
    # Known from the heartbeat: no need to search Slack.
    assert slack_standin.calls_to("conversations.history") == []
    assert len(dm_of(slack_standin, "alice@example.com")) == 1


async def test_a_copy_that_slipped_through_is_closed_and_the_first_kept(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
) -> None:
    env = scheduled_activity()
    request = review_request()
    # Two workers both posted before either answer came back.
    [first] = await env.run(slack_activities.dispatch_review_request, request)
    await env.run(another_worker(slack_standin, store).dispatch_review_request, request)
    assert len(dm_of(slack_standin, "alice@example.com")) == 2
    env.info = replace(env.info, attempt=3)

    [kept] = await env.run(another_worker(slack_standin, store).dispatch_review_request, request)

    original, copy = dm_of(slack_standin, "alice@example.com")
    assert kept == first and original.ts == first.ts
    assert buttons(original) != []
    assert (copy.text, buttons(copy)) == (DUPLICATE_TEXT, [])


async def test_the_channel_copy_is_its_own_activity(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    request = review_request(review_channel=REVIEW_CHANNEL_ID)

    [dm] = await scheduled_activity().run(
        slack_activities.dispatch_review_request, replace(request, review_channel=None)
    )
    copy = await scheduled_activity().run(slack_activities.post_review_channel_copy, request)

    assert dm.channel == dm_of(slack_standin, "alice@example.com")[0].channel
    [in_channel] = slack_standin.messages_in(REVIEW_CHANNEL_ID)
    assert (copy.channel, copy.ts) == (REVIEW_CHANNEL_ID, in_channel.ts)
    assert buttons(in_channel) == buttons(dm_of(slack_standin, "alice@example.com")[0])


async def test_a_reminder_cancelled_before_it_posts_posts_nothing(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    [review_dm] = await scheduled_activity().run(
        slack_activities.dispatch_review_request, review_request()
    )
    # The link to the request is being fetched when the stage is decided.
    hold = slack_standin.hold_next("chat.getPermalink")
    env = scheduled_activity()
    reminder = ReviewReminder(review_request(), 1, 3, 86400.0, review_dm)
    running = asyncio.ensure_future(env.run(slack_activities.send_review_reminder, reminder))

    async def fetching_link() -> None:
        assert hold.waiting == 1

    await eventually(fetching_link, within=10)
    env.cancel()
    hold.release()

    with pytest.raises(asyncio.CancelledError):
        await running
    assert len(dm_of(slack_standin, "alice@example.com")) == 1
    assert len(slack_standin.calls_to("chat.postMessage")) == 1


async def test_an_install_without_history_scopes_still_posts_on_a_retry(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    env = scheduled_activity()
    env.info = replace(env.info, attempt=2)
    slack_standin.fail_next("conversations.history", error="missing_scope")

    [posted] = await env.run(slack_activities.dispatch_review_request, review_request())

    [message] = dm_of(slack_standin, "alice@example.com")
    assert posted.ts == message.ts
    # The search after posting (a retry may have company) reads again.
    first_search, *_ = slack_standin.calls_to("conversations.history")
    assert first_search.error == "missing_scope"


async def test_an_attempt_that_ran_too_long_yields_to_the_retry_that_posted_first(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
) -> None:
    stalled = scheduled_activity()
    stalled.info = replace(
        stalled.info,
        heartbeat_timeout=timedelta(seconds=10),
        started_time=datetime.now(UTC) - timedelta(seconds=30),
    )
    # Temporal gave up on the stalled attempt and its retry posted already.
    retry = scheduled_activity()
    retry.info = replace(stalled.info, attempt=2, started_time=datetime.now(UTC))
    [first] = await retry.run(
        another_worker(slack_standin, store).dispatch_review_request, review_request()
    )

    # The stalled attempt wakes up and posts too.
    [late] = await stalled.run(slack_activities.dispatch_review_request, review_request())

    original, copy = dm_of(slack_standin, "alice@example.com")
    assert late == first and original.ts == first.ts
    assert buttons(original) != []
    assert (copy.text, buttons(copy)) == (DUPLICATE_TEXT, [])


async def test_a_retry_that_posted_after_a_stalled_attempt_returns_the_older_live_copy(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
) -> None:
    stalled = scheduled_activity()
    stalled.info = replace(
        stalled.info,
        heartbeat_timeout=timedelta(seconds=10),
        started_time=datetime.now(UTC) - timedelta(seconds=30),
    )
    retry = scheduled_activity()
    retry.info = replace(stalled.info, attempt=2, started_time=datetime.now(UTC))
    # The retry searches the DM and finds nothing yet...
    searching = slack_standin.hold_next("conversations.history")
    retrying = asyncio.ensure_future(
        retry.run(another_worker(slack_standin, store).dispatch_review_request, review_request())
    )

    async def retry_searched() -> None:
        assert searching.waiting == 1

    await eventually(retry_searched, within=10)
    # ...meanwhile the stalled attempt posts, and its answer is slow to come back...
    stalling = slack_standin.hold_next("chat.postMessage")
    late = asyncio.ensure_future(
        stalled.run(slack_activities.dispatch_review_request, review_request())
    )

    async def stalled_posted() -> None:
        assert stalling.waiting == 1 and len(dm_of(slack_standin, "alice@example.com")) == 1

    await eventually(stalled_posted, within=10)
    # ...so the retry posts a second, newer copy. Temporal keeps the retry's result.
    searching.release()
    [kept] = await retrying
    stalling.release()
    [ignored] = await late

    original, copy = dm_of(slack_standin, "alice@example.com")
    assert kept == ignored and (kept.channel, kept.ts) == (original.channel, original.ts)
    assert buttons(original) != []
    assert (copy.text, buttons(copy)) == (DUPLICATE_TEXT, [])


async def test_a_rate_limited_search_before_posting_fails_the_attempt_at_once_and_posts_nothing(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    env = scheduled_activity()
    env.info = replace(env.info, attempt=2)
    # Slack's limit for some apps: one history call a minute.
    slack_standin.fail_next("conversations.history", error="ratelimited", retry_after=60)

    with pytest.raises(ApplicationError) as failed:
        await env.run(slack_activities.dispatch_review_request, review_request())

    assert failed.value.type == SEARCH_RATE_LIMITED and not failed.value.non_retryable
    # Temporal waits out Slack's minute between attempts; the attempt did not sleep it.
    assert failed.value.next_retry_delay == timedelta(seconds=60)
    assert len(slack_standin.calls_to("conversations.history")) == 1
    assert dm_of(slack_standin, "alice@example.com") == []


async def test_a_rate_limited_search_after_posting_keeps_the_post(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    env = scheduled_activity()
    # A first attempt that ran long: it looks again after posting, and Slack says wait a minute.
    env.info = replace(
        env.info,
        heartbeat_timeout=timedelta(seconds=10),
        started_time=datetime.now(UTC) - timedelta(seconds=30),
    )
    slack_standin.fail_next("conversations.history", error="ratelimited", retry_after=60)

    [posted] = await env.run(slack_activities.dispatch_review_request, review_request())

    [message] = dm_of(slack_standin, "alice@example.com")
    assert (posted.channel, posted.ts) == (message.channel, message.ts)
    assert buttons(message) != []
    assert len(slack_standin.calls_to("conversations.history")) == 1
