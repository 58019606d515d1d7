"""Temporal itself restarted mid-review (the dev server keeps its workflows in a database file):
the worker process and the bot reconnect, and the review goes on with nothing lost or sent
twice."""

from __future__ import annotations

from collections.abc import Callable

from slack_presentation.review_actions import ACTION_APPROVE
from tests.faults.conftest import FaultRow
from tests.fixtures.worker_processes import WorkerStack, duplicated, live_requests, until_completed

REVIEWERS = {
    "alice@example.com": "Review1.a",
    "bob@example.com": "Review1.b",
    "carol@example.com": "Review2",
}


async def test_a_temporal_restart_mid_review_loses_and_repeats_nothing(
    worker_stack: WorkerStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack, standin = worker_stack.bot, worker_stack.standin
    await worker_stack.start_worker()
    workflow_id = await stack.submit()
    await until_completed(stack, workflow_id, "dispatch_review_request", 2)

    await worker_stack.temporal.restart()

    for email, stage in REVIEWERS.items():
        message = await stack.review_message(email, stage=stage, within=30)
        await stack.click(email, message, ACTION_APPROVE)
    result = await stack.result(workflow_id, within=40)
    status = await stack.status(workflow_id)

    recorded = [(d.stage, d.reviewer) for d in result.decisions]
    report_fault(
        FaultRow(
            "Temporal dev server restarted (database file) after Review1 was sent",
            attempted=len(REVIEWERS),
            recorded=len(recorded),
            lost=len(REVIEWERS) - len(recorded),
            duplicated=duplicated(standin),
        )
    )
    assert recorded == [(stage, email) for email, stage in REVIEWERS.items()]
    assert status.state == "approved"
    assert duplicated(standin) == 0
    for email in REVIEWERS:
        assert live_requests(standin, stack.user_id(email)) == {}
