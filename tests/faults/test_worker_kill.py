"""The worker process killed (SIGKILL) at the worst moment: after Slack posted a review
request, before its answer came back. The next worker must not post it again."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from slack_presentation.review_actions import ACTION_APPROVE
from tests.faults.conftest import FaultRow
from tests.fixtures.worker_processes import (
    WorkerStack,
    completed_activities,
    duplicated,
    live_requests,
    until_completed,
)
from tests.helpers import eventually

REVIEW1 = {"alice@example.com": "Review1.a", "bob@example.com": "Review1.b"}


async def test_worker_killed_after_slack_posted_but_before_the_answer(
    worker_stack: WorkerStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack, standin = worker_stack.bot, worker_stack.standin
    # Both Review1 requests are posted, and their answers held back.
    hold = standin.hold_next("chat.postMessage", times=2)
    first = await worker_stack.start_worker()
    workflow_id = await stack.submit()

    async def both_posted() -> None:
        assert hold.hits == 2 and hold.waiting == 2, f"{hold.hits} posted so far"

    await eventually(both_posted, within=30)
    first.kill()
    await first.proc.wait()
    hold.release()
    await worker_stack.start_worker()

    # The new worker retries the dispatches once the killed attempts' heartbeats time out.
    # What reached the reviewers is read from Slack, not from the review's own count: a
    # request the review thinks delivered but nobody can click shows as lost.
    async def both_reviewers_see_a_live_request() -> None:
        assert reachable() == set(REVIEW1), f"live requests for {sorted(reachable())}"

    def reachable() -> set[str]:
        return {
            email
            for email, stage in REVIEW1.items()
            if live_requests(standin, stack.user_id(email))[(stage, 1)] >= 1
        }

    async def review1_requests_closed() -> None:
        still_live = {email for email in REVIEW1 if live_requests(standin, stack.user_id(email))}
        assert not still_live, f"live Review1 requests for {sorted(still_live)}"

    with contextlib.suppress(AssertionError):
        await until_completed(stack, workflow_id, "dispatch_review_request", 2)
        await eventually(both_reviewers_see_a_live_request, within=20)
    seen = reachable()
    delivered = (await completed_activities(stack, workflow_id))["dispatch_review_request"]
    try:
        for email in REVIEW1:
            message = await stack.review_message(email, within=40)
            await stack.click(email, message, ACTION_APPROVE)
        await stack.review_message("carol@example.com", within=30)
        # Review1's requests are closed by the decisions (one activity or two, depending on
        # whether both decisions reached the worker in the same workflow task).
        await eventually(review1_requests_closed, within=40)
    finally:
        report_fault(
            FaultRow(
                "worker SIGKILL after Slack posted the Review1 requests, before the answer",
                attempted=2,
                recorded=len(seen),
                lost=len(REVIEW1) - len(seen),
                duplicated=duplicated(standin),
                note=(
                    f"{delivered} of 2 dispatches completed in the history;"
                    f" {len(standin.calls_to('conversations.history'))} history look-ups"
                ),
            )
        )

    live = {
        email: live_requests(standin, stack.user_id(email))
        for email in [*REVIEW1, "carol@example.com"]
    }
    status = await stack.status(workflow_id)
    assert seen == set(REVIEW1)
    assert duplicated(standin) == 0
    # Review1's requests were closed by the decisions; only Review2's is live.
    assert live == {
        "alice@example.com": {},
        "bob@example.com": {},
        "carol@example.com": {("Review2", 1): 1},
    }
    assert [(d.stage, d.approved) for d in status.decisions] == [
        ("Review1.a", True),
        ("Review1.b", True),
    ]
    for email in REVIEW1:
        assert len(standin.messages_in(stack.user_id(email))) == 1
