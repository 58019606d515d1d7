"""Review policies on the time-skipping server, each started with the documented JSON input:
a 2-of-3 pool, deadlines that escalate, reassign and reject while no worker runs, the override,
and the policies refused at start."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from tests.helpers import eventually
from tests.workflow.policy_runs import (
    POOL,
    asked,
    closed_as,
    new_task_queue,
    policy_input,
    pool_decides,
    start,
    until_asked,
    until_timer_fired,
    worker,
)
from tests.workflow.review_harness import (
    StandInActivities,
    decide,
    status_of,
    until_called,
    until_history,
)
from workflow.models import SIGNAL_SUBMIT_SCHEMA, UPDATE_DECIDE, UPDATE_OVERRIDE

TWO_OF_THREE = {"reviewers": POOL, "approvals": 2}
# Deadlines that must fall due while no worker runs are timed on the dev server, in real
# seconds: the time-skipping server stands its clock still while a workflow task waits on the
# stopped worker's sticky queue, so that task would never reach the next worker.
WAIT = 8


async def test_two_of_three_approve_and_the_third_request_closes_as_not_needed(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client, stand_in, queue = time_skipping_env.client, StandInActivities(), new_task_queue()
    raw = policy_input({"Review1": TWO_OF_THREE})
    async with worker(client, stand_in, queue):
        handle = await start(client, raw, queue)
        await until_asked(stand_in, "Review1", POOL)
        await pool_decides(handle, "Review1", "alice@example.com")
        # One person's approval counts once.
        with pytest.raises(WorkflowUpdateFailedError) as again:
            await pool_decides(handle, "Review1", "Alice@example.com")
        assert "already decided Review1 of version 1" in str(again.value.cause)
        status = await status_of(handle)
        first = status.stages[0]
        assert (first.stage, first.state, first.approvals_required) == ("Review1", "open", 2)
        assert first.approved_by == ["alice@example.com"]
        assert first.still_asked == ["bob@example.com", "erin@example.com"]

        await pool_decides(handle, "Review1", "bob@example.com")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await eventually(_closed(stand_in, "erin@example.com", "Review1"))
        assert closed_as(stand_in, "erin@example.com", "Review1")[-1] == (
            "Not needed: approved by alice@example.com and bob@example.com"
        )
        with pytest.raises(WorkflowUpdateFailedError):
            await pool_decides(handle, "Review1", "erin@example.com")
        await decide(handle, "Review2")
        result = await handle.result()

    assert result.approved_version == 1
    assert [d.reviewer for d in result.decisions] == [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
    ]


def _closed(stand_in: StandInActivities, reviewer: str, stage: str):  # type: ignore[no-untyped-def]
    async def check() -> None:
        assert closed_as(stand_in, reviewer, stage), stand_in.calls

    return check


async def test_an_escalate_deadline_asks_review2_while_no_worker_ran(
    temporal_client: Client,
) -> None:
    client, stand_in, queue = temporal_client, StandInActivities(), new_task_queue()
    deadline = {"after_seconds": WAIT, "then": "escalate"}
    raw = policy_input({"Review1": {**TWO_OF_THREE, "deadline": deadline}})
    async with worker(client, stand_in, queue):
        handle = await start(client, raw, queue)
        await until_asked(stand_in, "Review1", POOL)
        await pool_decides(handle, "Review1", "alice@example.com")
        status = await status_of(handle)
        assert status.stages[0].deadline_then == "escalate"
        assert status.stages[0].deadline_at is not None
    # The worker is gone while the deadline falls due: the timer is Temporal's.
    await until_timer_fired(handle, datetime.now(UTC))
    async with worker(client, stand_in, queue):
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        status = await until_history(handle, "Review2 is asked instead")
        await eventually(_closed(stand_in, "bob@example.com", "Review1"))

    assert [e.code for e in status.history if e.code == "deadline_escalated"] == [
        "deadline_escalated"
    ]
    assert closed_as(stand_in, "bob@example.com", "Review1")[-1] == (
        "No longer needed: no decision within 8 seconds, so Review2 was asked instead"
    )
    assert status.stages[0].state == "skipped" and status.stages[0].deadline_acted == "escalate"
    notice = stand_in.policy_notices()[0]
    assert (notice.kind, notice.stage, notice.then) == ("deadline", "Review1", "escalate")


async def test_a_reassign_deadline_gives_review2_to_its_stand_in_while_no_worker_ran(
    temporal_client: Client,
) -> None:
    client, stand_in, queue = temporal_client, StandInActivities(), new_task_queue()
    deadline = {"after_seconds": WAIT, "then": "reassign", "reassign_to": "frank@example.com"}
    raw = policy_input({"Review2": {"deadline": deadline}})
    async with worker(client, stand_in, queue):
        handle = await start(client, raw, queue)
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
    await until_timer_fired(handle, datetime.now(UTC))
    async with worker(client, stand_in, queue):
        await eventually(_asked_of(stand_in, "Review2", "frank@example.com"))
        # The senior reviewer's click comes too late: the seat is frank's now.
        with pytest.raises(WorkflowUpdateFailedError):
            await decide(handle, "Review2")
        await decide(handle, "Review2", reviewer="frank@example.com")
        result = await handle.result()
        status = await status_of(handle)

    assert result.approved_version == 1
    assert closed_as(stand_in, "carol@example.com", "Review2")[0] == (
        "Reassigned to frank@example.com: no decision within 8 seconds"
    )
    assert any(e.code == "deadline_reassigned" for e in status.history)
    assert stand_in.policy_notices()[0].reassign_to == "frank@example.com"


def _asked_of(stand_in: StandInActivities, stage: str, reviewer: str):  # type: ignore[no-untyped-def]
    async def check() -> None:
        assert reviewer in asked(stand_in, stage), stand_in.calls

    return check


async def test_a_reject_deadline_ends_the_round_and_the_same_document_may_come_again(
    temporal_client: Client,
) -> None:
    client, stand_in, queue = temporal_client, StandInActivities(), new_task_queue()
    deadline = {"after_seconds": WAIT, "then": "reject"}
    raw = policy_input({"Review1": {**TWO_OF_THREE, "deadline": deadline}})
    async with worker(client, stand_in, queue):
        handle = await start(client, raw, queue)
        await until_asked(stand_in, "Review1", POOL)
    await until_timer_fired(handle, datetime.now(UTC))
    async with worker(client, stand_in, queue):
        await until_called(stand_in, "record_revision_request Review1 v1")
        status = await status_of(handle)
        assert status.state == "awaiting_revision"
        assert status.revision_reason is not None
        assert "no decision at Review1 within 8 seconds" in status.revision_reason
        again = {**raw["submission"], "version": 2}
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, again)
        await until_called(stand_in, "upload_schema v2")

    revision = next(r for r in stand_in.requests if type(r).__name__ == "RevisionRequest")
    assert revision.deadline_seconds == WAIT and revision.rejected_by is None
    assert closed_as(stand_in, "erin@example.com", "Review1")[0] == (
        "No longer needed: no decision within 8 seconds, so the round ended"
    )
    assert any(e.code == "deadline_rejected" for e in status.history)


async def test_an_admin_overrides_a_round_then_the_whole_review(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client, stand_in, queue = time_skipping_env.client, StandInActivities(), new_task_queue()
    raw = policy_input({"Review1": TWO_OF_THREE})
    async with worker(client, stand_in, queue):
        handle = await start(client, raw, queue)
        await until_asked(stand_in, "Review1", POOL)
        with pytest.raises(WorkflowUpdateFailedError) as unexplained:
            await handle.execute_update(
                UPDATE_OVERRIDE,
                {"stage": "Review1", "requested_by": "admin@example.com", "reason": " "},
            )
        assert "an override needs a reason" in str(unexplained.value.cause)
        answer = await handle.execute_update(
            UPDATE_OVERRIDE,
            {"stage": "Review1", "requested_by": "admin@example.com", "reason": "INC-4711"},
            result_type=str,
        )
        assert "Review1 of version 1 approved by override by admin@example.com" in answer
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await handle.execute_update(
            UPDATE_OVERRIDE,
            {"stage": None, "requested_by": "admin@example.com", "reason": "INC-4711 still down"},
            result_type=str,
        )
        result = await handle.result()
        status = await status_of(handle)

    assert result.approved_version == 1
    assert closed_as(stand_in, "erin@example.com", "Review1")[0] == (
        "Approved by override by admin@example.com: INC-4711"
    )
    assert closed_as(stand_in, "carol@example.com", "Review2")[0] == (
        "Approved by override by admin@example.com: INC-4711 still down"
    )
    assert [(o.stage, o.requested_by) for o in status.overrides] == [
        ("Review1", "admin@example.com"),
        (None, "admin@example.com"),
    ]
    assert [n.kind for n in stand_in.policy_notices()] == ["override", "override"]


@pytest.mark.parametrize(
    ("policy", "sentence"),
    [
        (
            {"Review1": {"reviewers": ["alice@example.com"], "approvals": 2}},
            "policy.Review1 needs 2 approvals but its pool has only 1 reviewer other than the"
            " submitter: add reviewers or lower approvals",
        ),
        (
            {"Review1": {"reviewers": ["owner@example.com"]}},
            "policy.Review1.reviewers holds only owner@example.com, who submitted this schema"
            " and may not review it: name other reviewers",
        ),
        (
            {"Review3": {"deadline": {"after_seconds": 3600, "then": "escalate"}}},
            "policy.Review3.deadline.then cannot be escalate at Review3: no round follows it;"
            " use reassign or reject",
        ),
    ],
)
async def test_a_policy_that_cannot_apply_is_refused_at_start(
    time_skipping_env: WorkflowEnvironment, policy: dict[str, object], sentence: str
) -> None:
    client, stand_in, queue = time_skipping_env.client, StandInActivities(), new_task_queue()
    async with worker(client, stand_in, queue):
        handle = await start(client, policy_input(policy), queue)
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "InvalidReviewInput"
    assert sentence in cause.message
    assert stand_in.calls == []


async def test_a_seat_decision_is_refused_on_a_pool_round(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client, stand_in, queue = time_skipping_env.client, StandInActivities(), new_task_queue()
    async with worker(client, stand_in, queue):
        handle = await start(client, policy_input({"Review1": TWO_OF_THREE}), queue)
        await until_asked(stand_in, "Review1", POOL)
        with pytest.raises(WorkflowUpdateFailedError) as seat:
            await decide(handle, "Review1.a")
        with pytest.raises(WorkflowUpdateFailedError) as stranger:
            await pool_decides(handle, "Review1", "mallory@example.com")
    assert "use one of Review1, Review2, Review3" in str(seat.value.cause)
    assert "not asked of mallory@example.com" in str(stranger.value.cause)
    assert UPDATE_DECIDE == "decide_review"
