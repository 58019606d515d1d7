"""A deploy stops the worker (SIGTERM) while 20 review requests are in flight: Slack has posted
them but holds its answers back. The worker hands the attempts over and exits 0 within its
grace period; the next worker finds every post in Slack, so each reviewer has each request
once, and no attempt waited for a heartbeat timeout."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import Callable

from activities.worker_shutdown import WORKER_SHUTDOWN, worker_shutting_down
from bot.processes.worker import GRACEFUL_SHUTDOWN
from tests.faults.conftest import FaultRow
from tests.fixtures.bot_stack import BotStack, review_buttons_in
from tests.fixtures.worker_processes import WorkerStack, duplicated, until_completed
from tests.helpers import eventually

REVIEWS = 10
REVIEW1 = {"alice@example.com": "Review1.a", "bob@example.com": "Review1.b"}
POSTS = REVIEWS * len(REVIEW1)


def requests_seen(stack: BotStack) -> Counter[tuple[str, str]]:
    """(workflow id, stage) -> review requests the stage's reviewer has in their DM."""
    seen: Counter[tuple[str, str]] = Counter()
    for email, stage in REVIEW1.items():
        for message in stack.standin.messages_in(stack.user_id(email)):
            found = {(b.workflow_id, b.stage) for b in review_buttons_in(message.blocks)}
            seen.update(key for key in found if key[1] == stage)
    return seen


async def attempts_of(stack: BotStack, workflow_id: str) -> tuple[int, Counter[tuple[str, str]]]:
    """How many activities of the review timed out (for good, or an attempt before a retry),
    and the failures before retries, as (type, message)."""
    history = await stack.handle(workflow_id).fetch_history()
    timed_out = 0
    failures: Counter[tuple[str, str]] = Counter()
    for event in history.events:
        if event.HasField("activity_task_timed_out_event_attributes"):
            timed_out += 1
        if event.HasField("activity_task_started_event_attributes"):
            started = event.activity_task_started_event_attributes
            if started.HasField("last_failure"):
                failure = started.last_failure
                if failure.HasField("timeout_failure_info"):
                    timed_out += 1
                failures[(failure.application_failure_info.type, failure.message)] += 1
    return timed_out, failures


async def test_a_deploy_with_twenty_slack_posts_in_flight_loses_and_repeats_none(
    worker_stack: WorkerStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack, standin = worker_stack.bot, worker_stack.standin
    hold = standin.hold_next("chat.postMessage", times=POSTS)
    first = await worker_stack.start_worker()
    workflow_ids = await asyncio.gather(*(stack.submit() for _ in range(REVIEWS)))

    async def all_in_flight() -> None:
        assert hold.waiting == POSTS, f"{hold.waiting} of {POSTS} posts in flight"

    await eventually(all_in_flight, within=60, interval=0.2)
    loop = asyncio.get_running_loop()
    signalled = loop.time()
    exit_code = await first.stop(signal.SIGTERM, within=GRACEFUL_SHUTDOWN.total_seconds() + 10)
    stopped_after = loop.time() - signalled
    hold.release()
    await worker_stack.start_worker()

    expected = {(w, stage) for w in workflow_ids for stage in REVIEW1.values()}

    async def every_request_arrived() -> None:
        assert set(requests_seen(stack)) >= expected, f"{len(requests_seen(stack))} arrived"

    try:
        await eventually(every_request_arrived, within=60, interval=0.2)
        for workflow_id in workflow_ids:
            await until_completed(stack, workflow_id, "dispatch_review_request", 2, within=30)
    finally:
        seen = requests_seen(stack)
        results = [await attempts_of(stack, w) for w in workflow_ids]
        timed_out = sum(t for t, _ in results)
        failures = sum((f for _, f in results), Counter[tuple[str, str]]())
        handed_over = failures[(WORKER_SHUTDOWN, worker_shutting_down().message)]
        report_fault(
            FaultRow(
                "worker SIGTERM (deploy) with 20 review requests posted, answers held",
                attempted=POSTS,
                recorded=len(expected & set(seen)),
                lost=len(expected - set(seen)),
                duplicated=duplicated(standin),
                note=(
                    f"exit {exit_code} after {stopped_after:.1f} s;"
                    f" {handed_over} attempts handed over; {timed_out} timed out"
                ),
            )
        )

    assert exit_code == 0, first.output()
    assert stopped_after < GRACEFUL_SHUTDOWN.total_seconds()
    assert "SIGTERM: stopping the worker" in first.output()
    assert seen == Counter(dict.fromkeys(expected, 1))
    assert duplicated(standin) == 0
    assert timed_out == 0
    # Every held post was handed over by the activity itself, before the worker's grace
    # period ran out, and none waited for a timeout.
    assert failures == Counter({(WORKER_SHUTDOWN, worker_shutting_down().message): POSTS})
