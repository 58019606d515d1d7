"""A Slack activity caught by its worker's shutdown: it finishes when it can within the window,
else hands over (retryable, at once) and the retry posts nothing twice; Temporal cancelling
the activity stays a cancellation."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from temporalio.exceptions import ApplicationError

from activities import worker_shutdown
from activities.review_messages import ReviewMessageActivities
from activities.worker_shutdown import RETRY_AT_ONCE, WORKER_SHUTDOWN
from tests.activities.activity_runs import dm_of, scheduled_activity
from tests.activities.review_fixtures import review_request
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually

ALICE_EMAIL = "alice@example.com"


@pytest.fixture(autouse=True)
def short_window(monkeypatch: pytest.MonkeyPatch) -> timedelta:
    window = timedelta(seconds=0.5)
    monkeypatch.setattr(worker_shutdown, "FINISH_AFTER_SHUTDOWN", window)
    return window


async def test_a_post_held_past_the_window_hands_over_and_the_retry_posts_nothing_twice(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    hold = slack_standin.hold_next("chat.postMessage")
    env = scheduled_activity()
    attempt = asyncio.create_task(
        env.run(slack_activities.dispatch_review_request, review_request())
    )

    async def posted() -> None:
        assert hold.waiting == 1

    await eventually(posted)
    env.worker_shutdown()

    with pytest.raises(ApplicationError) as failed:
        await asyncio.wait_for(attempt, timeout=5)
    assert failed.value.type == WORKER_SHUTDOWN
    assert not failed.value.non_retryable
    assert failed.value.next_retry_delay == RETRY_AT_ONCE
    hold.release()

    env.info = replace(env.info, attempt=2)
    [dm] = await env.run(slack_activities.dispatch_review_request, review_request())
    assert [(m.channel, m.ts) for m in dm_of(slack_standin, ALICE_EMAIL)] == [(dm.channel, dm.ts)]


async def test_a_post_answered_within_the_window_finishes_despite_the_shutdown(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    hold = slack_standin.hold_next("chat.postMessage")
    env = scheduled_activity()
    attempt = asyncio.create_task(
        env.run(slack_activities.dispatch_review_request, review_request())
    )

    async def posted() -> None:
        assert hold.waiting == 1

    await eventually(posted)
    env.worker_shutdown()
    await asyncio.sleep(0)
    hold.release()

    [dm] = await asyncio.wait_for(attempt, timeout=5)
    assert [(m.channel, m.ts) for m in dm_of(slack_standin, ALICE_EMAIL)] == [(dm.channel, dm.ts)]


async def test_temporal_cancelling_the_activity_stays_a_cancellation(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    hold = slack_standin.hold_next("chat.postMessage")
    env = scheduled_activity()
    attempt = asyncio.create_task(
        env.run(slack_activities.dispatch_review_request, review_request())
    )

    async def posted() -> None:
        assert hold.waiting == 1

    await eventually(posted)
    env.cancel()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(attempt, timeout=5)
    hold.release()
