"""The `withdraw_review` update: every live request closes, reminders stop, the review ends as
withdrawn, and the schema is free for a new review."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from slack_presentation.closing_sentences import update_outcome
from tests.workflow.review_harness import (
    OWNER,
    StandInActivities,
    decide,
    review_input,
    running_review,
    status_of,
    until_called,
)
from workflow.models import UPDATE_WITHDRAW, ReminderPolicy, Withdrawal

HOURLY = ReminderPolicy(first_after_seconds=3600, then_every_seconds=3600, max_reminders=3)


async def withdraw(handle: WorkflowHandle[Any, Any], by: str = OWNER, reason: str = "") -> str:
    return await handle.execute_update(
        UPDATE_WITHDRAW, Withdrawal(requested_by=by, reason=reason), result_type=str
    )


async def test_withdrawing_closes_every_live_request_and_ends_the_review(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, "dispatch_review_request Review1.b v1")
        await decide(handle, "Review1.a")
        answer = await withdraw(handle, reason="Wrong team's schema")
        result = await handle.result()
        status = await status_of(handle)

    assert answer.startswith("Withdrawn:")
    assert (result.approved_version, result.withdrawn_by) == (None, OWNER)
    assert status.state == "withdrawn"
    assert status.pending_reviewers == []
    closed = {u.stage: update_outcome(u) for u in stand_in.message_updates()}
    # Review1.a decided (its message says so); Review1.b was still waiting.
    assert closed["Review1.b"] == f"Withdrawn by {OWNER}: Wrong team's schema"
    assert "dispatch_review_request Review2 v1" not in stand_in.calls


async def test_a_withdrawal_without_an_email_is_refused_and_changes_nothing(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, "dispatch_review_request Review1.b v1")
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await withdraw(handle, by="olivia")
        status = await status_of(handle)

    assert "requested_by must be an email address, not 'olivia'" in str(refused.value.cause)
    assert status.state == "awaiting_review"
    assert stand_in.message_updates() == []


async def test_reminders_stop_once_withdrawn(time_skipping_env: WorkflowEnvironment) -> None:
    stand_in = StandInActivities()
    client = time_skipping_env.client
    async with running_review(client, stand_in, review_input(reminders=HOURLY)) as handle:
        await until_called(stand_in, "dispatch_review_request Review1.b v1")
        sent_before = len(stand_in.reminders())
        await withdraw(handle, reason="Not needed")
        # Waiting for the result lets the server skip time: a reminder still pending would
        # hold the review open until its timer fired, and be sent.
        await handle.result()
        status = await status_of(handle)

    assert len(stand_in.reminders()) == sent_before
    withdrawn = next(i for i, e in enumerate(status.history) if "withdrawn by" in e.text)
    assert not any("Reminder" in e.text for e in status.history[withdrawn:])
