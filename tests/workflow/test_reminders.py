"""Reminders for reviews left waiting, on the time-skipping server: hours pass in milliseconds.

`time_skipping_env.sleep` returns once the server's clock has moved on and the workflow has done
what fell due (timers fired, reminder activities ran), so what it sent can be read right after.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from slack_presentation.closing_sentences import update_outcome
from tests.helpers import as_payload, eventually
from tests.workflow.review_harness import (
    StandInActivities,
    decide,
    review_input,
    running_review,
    status_of,
    submission,
    until_called,
    until_history,
)
from workflow.activity_payloads import ReviewMessageUpdate
from workflow.models import SIGNAL_SUBMIT_SCHEMA, ReminderPolicy, ReviewStatus

DAILY = ReminderPolicy(first_after_seconds=86400, then_every_seconds=86400, max_reminders=3)
HOURLY_TWICE = ReminderPolicy(first_after_seconds=3600, then_every_seconds=7200, max_reminders=2)
ROUND_1_OPEN = ("dispatch_review_request Review1.a v1", "dispatch_review_request Review1.b v1")


def hours(count: float) -> timedelta:
    return timedelta(hours=count)


def reminded(stand_in: StandInActivities) -> list[tuple[str, int, int]]:
    """(stage, version, reminder number) of every reminder sent, in order."""
    return [(r.request.stage, r.request.submission.version, r.number) for r in stand_in.reminders()]


def reminder_lines(status: ReviewStatus) -> list[str]:
    return [e.text for e in status.history if "eminder" in e.text]


def at_of(status: ReviewStatus, text: str) -> datetime:
    return next(datetime.fromisoformat(e.at) for e in status.history if e.text == text)


async def approve_round_1_and_2(
    handle: WorkflowHandle[Any, Any], stand_in: StandInActivities
) -> None:
    for stage in ("Review1.a", "Review1.b"):
        await decide(handle, stage)
    await until_called(stand_in, "dispatch_review_request Review2 v1")
    await decide(handle, "Review2")


async def test_the_undecided_reviewer_is_reminded_once_the_delay_passed(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    stand_in = StandInActivities()
    review = review_input(reminders=DAILY)
    async with running_review(time_skipping_env.client, stand_in, review) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await decide(handle, "Review1.a")
        await time_skipping_env.sleep(hours(23))
        assert reminded(stand_in) == []

        await time_skipping_env.sleep(hours(2))
        status = await until_history(
            handle, "Reminder 1 of 3 sent to bob@example.com for Review1.b of version 1."
        )

    assert reminded(stand_in) == [("Review1.b", 1, 1)]
    reminder = stand_in.reminders()[0]
    # It links to the review request the reviewer already has.
    assert reminder.review_message is not None
    assert reminder.review_message.channel == "D-bob@example.com"
    requested = at_of(
        status,
        "Review1 of version 1 requested from alice@example.com (Review1.a)"
        " and bob@example.com (Review1.b).",
    )
    sent = at_of(status, "Reminder 1 of 3 sent to bob@example.com for Review1.b of version 1.")
    assert hours(24) <= sent - requested < hours(24.1)
    assert round(reminder.waited_seconds) == 86400


async def test_each_waiting_stage_is_reminded_at_most_max_reminders_times(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    stand_in = StandInActivities()
    review = review_input(reminders=HOURLY_TWICE)
    async with running_review(time_skipping_env.client, stand_in, review) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await time_skipping_env.sleep(hours(1.5))
        assert sorted(reminded(stand_in)) == [("Review1.a", 1, 1), ("Review1.b", 1, 1)]
        # Then every two hours, twice in all.
        await time_skipping_env.sleep(hours(1))
        assert len(reminded(stand_in)) == 2
        await time_skipping_env.sleep(hours(48))
        await approve_round_1_and_2(handle, stand_in)
        result = await handle.result()
        status = await status_of(handle)

    assert result.approved_version == 1
    assert sorted(reminded(stand_in)) == [
        ("Review1.a", 1, 1),
        ("Review1.a", 1, 2),
        ("Review1.b", 1, 1),
        ("Review1.b", 1, 2),
    ]
    assert [round(r.waited_seconds) for r in stand_in.reminders()] == [3600, 3600, 10800, 10800]
    assert "Reminder 2 of 2 sent to alice@example.com for Review1.a of version 1." in (
        reminder_lines(status)
    )


async def test_a_later_stage_is_reminded_afresh_and_a_decided_one_no_more(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    stand_in = StandInActivities()
    review = review_input(reminders=HOURLY_TWICE)
    async with running_review(time_skipping_env.client, stand_in, review) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await time_skipping_env.sleep(hours(1.5))
        for stage in ("Review1.a", "Review1.b"):
            await decide(handle, stage)
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        # Past Review2's first reminder, and past Review1's second had they not decided.
        await time_skipping_env.sleep(hours(2.5))
        await decide(handle, "Review2")
        await handle.result()

    assert sorted(reminded(stand_in)) == [
        ("Review1.a", 1, 1),
        ("Review1.b", 1, 1),
        ("Review2", 1, 1),
    ]


async def test_no_reminder_follows_a_round_that_ended_or_was_superseded(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    stand_in = StandInActivities()
    review = review_input(reminders=HOURLY_TWICE)
    async with running_review(time_skipping_env.client, stand_in, review) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        # Review1.a's rejection ends the round: Review1.b is no longer needed.
        await decide(handle, "Review1.a", "reject")
        await until_called(stand_in, "record_revision_request Review1.a v1")
        await time_skipping_env.sleep(hours(5))
        assert reminded(stand_in) == []

        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await until_called(stand_in, "dispatch_review_request Review1.b v2")
        await time_skipping_env.sleep(hours(0.5))
        # Version 3 supersedes version 2 before its reminders fall due.
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(3)))
        await until_called(stand_in, "dispatch_review_request Review1.b v3")
        await time_skipping_env.sleep(hours(1.25))

    assert sorted(reminded(stand_in)) == [("Review1.a", 3, 1), ("Review1.b", 3, 1)]


async def test_a_review_without_a_policy_never_reminds(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    stand_in = StandInActivities()
    async with running_review(time_skipping_env.client, stand_in, review_input()) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await time_skipping_env.sleep(hours(24 * 30))
        await approve_round_1_and_2(handle, stand_in)
        await handle.result()
        status = await status_of(handle)

    assert reminded(stand_in) == []
    assert reminder_lines(status) == []


async def test_a_reminder_slack_cannot_deliver_is_noted_and_the_review_goes_on(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    unknown = ApplicationError(
        "No Slack user has the email alice@example.com; check the reviewer roster.",
        type="SlackUserNotFound",
        non_retryable=True,
    )
    stand_in = StandInActivities(reminder_failures={"Review1.a": unknown})
    review = review_input(reminders=HOURLY_TWICE)
    async with running_review(time_skipping_env.client, stand_in, review) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await time_skipping_env.sleep(hours(3.5))
        status = await until_history(
            handle,
            "Could not send reminder 2 of 2 to alice@example.com for Review1.a of version 1:"
            " No Slack user has the email alice@example.com; check the reviewer roster.",
        )
        await approve_round_1_and_2(handle, stand_in)
        result = await handle.result()

    assert result.approved_version == 1
    assert "Reminder 2 of 2 sent to bob@example.com for Review1.b of version 1." in (
        reminder_lines(status)
    )


async def test_the_policy_survives_continue_as_new(time_skipping_env: WorkflowEnvironment) -> None:
    stand_in = StandInActivities()
    review = review_input(reminders=HOURLY_TWICE, continue_as_new_after_rounds=1)
    async with running_review(time_skipping_env.client, stand_in, review) as handle:
        first_run = (await handle.describe()).run_id
        await until_called(stand_in, *ROUND_1_OPEN)
        await decide(handle, "Review1.b", "reject")
        await until_called(stand_in, "record_revision_request Review1.b v1")
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await until_called(stand_in, "dispatch_review_request Review1.a v2")
        await time_skipping_env.sleep(hours(1.5))
        await until_history(
            handle, "Reminder 1 of 2 sent to alice@example.com for Review1.a of version 2."
        )
        assert (await handle.describe()).run_id != first_run

    assert sorted(reminded(stand_in)) == [("Review1.a", 2, 1), ("Review1.b", 2, 1)]


async def test_reminders_say_so_once_their_stage_no_longer_waits(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    stand_in = StandInActivities()
    review = review_input(reminders=DAILY)
    async with running_review(time_skipping_env.client, stand_in, review) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await decide(handle, "Review1.a")
        await time_skipping_env.sleep(hours(25))
        await until_history(
            handle, "Reminder 1 of 3 sent to bob@example.com for Review1.b of version 1."
        )
        await decide(handle, "Review1.b")

        async def reminder_closed() -> ReviewMessageUpdate:
            found = [u for u in stand_in.message_updates() if u.reminder is not None]
            assert len(found) == 1, stand_in.calls
            return found[0]

        closed = await eventually(reminder_closed)

    assert [(m.channel, m.ts) for m in closed.messages] == [("D-bob@example.com", "1.reminder")]
    assert (closed.stage, update_outcome(closed)) == ("Review1.b", "Approved by bob@example.com")
    assert closed.reminder is not None and closed.reminder.number == 1
    # Alice was never reminded, so nothing of hers is rewritten as a reminder.
    assert all(u.reviewer == "bob@example.com" for u in stand_in.message_updates() if u.reminder)
