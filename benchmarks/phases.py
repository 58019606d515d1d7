"""What is measured, each as people (or Temporal clients) do it: reviews opened, clicks in a
burst, whole reviews, and the `/schema-status` listing; each anchor beside its project path.

Every function returns a `Measured`: the latencies (or one wall time), how many operations,
and the CPU this process and the Temporal server spent on them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any, TypeVar

from temporalio.client import WorkflowHandle, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError

from benchmarks.anchors import ANCHOR_QUEUE, OPENED, NoOpReview, TrivialWorkflow
from benchmarks.bare_bolt import BARE_COMMAND
from benchmarks.harness import BenchStack, cpu_seconds
from slack_presentation.review_actions import ACTION_APPROVE
from slack_sandbox.examples import EXAMPLES
from workflow.models import (
    REVIEW_1A,
    REVIEW_1B,
    REVIEW_2,
    SIGNAL_RECORD_DECISION,
    TASK_QUEUE,
    UPDATE_DECIDE,
    WORKFLOW_TYPE,
    ReviewInput,
    Submission,
    workflow_id_for,
)

T = TypeVar("T")
ACK_DEADLINE = 3.0


@dataclass
class Measured:
    values: list[float]
    ops: int
    cpu_ms_per_op: float
    load: float
    extra: dict[str, Any] = field(default_factory=dict)


async def measured(
    stack: BenchStack, ops: int, run: Callable[[], Awaitable[tuple[list[float], dict[str, Any]]]]
) -> Measured:
    pid = stack.dev_server.process.pid
    cpu = cpu_seconds(pid)
    values, extra = await run()
    used = cpu_seconds(pid) - cpu
    return Measured(values, ops, used * 1000 / max(ops, 1), os.getloadavg()[0], extra)


async def bounded(limit: int, jobs: Iterable[Awaitable[T]]) -> list[T]:
    gate = asyncio.Semaphore(limit)

    async def one(job: Awaitable[T]) -> T:
        async with gate:
            return await job

    return list(await asyncio.gather(*(one(j) for j in jobs)))


async def end_all(handles: list[WorkflowHandle[Any, Any]]) -> None:
    """Terminate anchor workflows a few at a time (a burst of 500 overwhelms a dev server);
    one that cannot be ended stays open, which changes no figure."""

    async def end(handle: WorkflowHandle[Any, Any]) -> None:
        with contextlib.suppress(RPCError):
            await handle.terminate("benchmark done")

    await bounded(20, (end(h) for h in handles))


# -- opening reviews -------------------------------------------------------------------------


def review_input(stack: BenchStack, schema_id: str) -> ReviewInput:
    url = stack.sandbox.url + EXAMPLES[0].path
    settings = stack.settings
    return ReviewInput(
        submission=Submission(schema_id, 1, "Benchmark", url, "owner@example.com"),
        reviewers=stack.roster,
        review_channel=settings.slack_review_channel,
        reminders=settings.reminder_policy(),
    )


async def open_reviews(
    stack: BenchStack, count: int, concurrency: int
) -> tuple[Measured, list[str]]:
    """Start `count` reviews as the starter does; done once both first requests are posted."""
    prefix = uuid.uuid4().hex[:6]
    ids = [workflow_id_for(f"bench-{prefix}-{n}") for n in range(count)]

    async def one(workflow_id: str) -> None:
        schema_id = workflow_id.removeprefix(workflow_id_for(""))
        await stack.temporal.start_workflow(
            WORKFLOW_TYPE, review_input(stack, schema_id), id=workflow_id, task_queue=TASK_QUEUE
        )
        for stage in (REVIEW_1A, REVIEW_1B):
            await stack.watch.wait((workflow_id, stage), stack.watch.posted_at)

    async def run() -> tuple[list[float], dict[str, Any]]:
        began = time.perf_counter()
        await bounded(concurrency, (one(i) for i in ids))
        return [time.perf_counter() - began], {}

    return await measured(stack, count, run), ids


async def open_noop_reviews(
    stack: BenchStack, count: int, concurrency: int
) -> tuple[Measured, list[WorkflowHandle[Any, Any]]]:
    opened: dict[str, asyncio.Future[None]] = {}
    loop = asyncio.get_running_loop()

    def hook(workflow_id: str) -> None:
        future = opened.get(workflow_id)
        if future is not None and not future.done():
            future.set_result(None)

    OPENED["hook"] = hook
    handles: list[WorkflowHandle[Any, Any]] = []

    async def one(n: int) -> None:
        workflow_id = f"bench-noop-{uuid.uuid4().hex[:10]}-{n}"
        opened[workflow_id] = loop.create_future()
        handles.append(
            await stack.temporal.start_workflow(
                NoOpReview.run, id=workflow_id, task_queue=ANCHOR_QUEUE
            )
        )
        await opened[workflow_id]

    async def run() -> tuple[list[float], dict[str, Any]]:
        began = time.perf_counter()
        await bounded(concurrency, (one(n) for n in range(count)))
        return [time.perf_counter() - began], {}

    return await measured(stack, count, run), handles


# -- whole reviews ---------------------------------------------------------------------------


async def click(stack: BenchStack, email: str, workflow_id: str, stage: str) -> float:
    """Approve as `email`; the seconds until Slack (the sandbox) had the acknowledgement."""
    channel, ts = stack.watch.requests[(workflow_id, stage)]
    began = time.perf_counter()
    result = await stack.sandbox.click_button(stack.user_id(email), channel, ts, ACTION_APPROVE)
    took = time.perf_counter() - began
    # No acknowledgement within Slack's deadline counts as one at the deadline at least.
    return took if result.status == 200 and not result.timed_out else max(took, ACK_DEADLINE)


async def complete_reviews(stack: BenchStack, count: int, concurrency: int) -> Measured:
    """Whole reviews as people run them: started, both first reviewers click Approve as their
    requests arrive, then the senior reviewer; done when the workflow has its result."""
    roster = stack.roster
    watch = stack.watch

    async def one(workflow_id: str) -> None:
        schema_id = workflow_id.removeprefix(workflow_id_for(""))
        handle = await stack.temporal.start_workflow(
            WORKFLOW_TYPE, review_input(stack, schema_id), id=workflow_id, task_queue=TASK_QUEUE
        )

        async def decide(stage: str, email: str) -> None:
            await watch.wait((workflow_id, stage), watch.posted_at)
            await click(stack, email, workflow_id, stage)

        await asyncio.gather(
            decide(REVIEW_1A, roster.reviewer_a), decide(REVIEW_1B, roster.reviewer_b)
        )
        await decide(REVIEW_2, roster.senior_reviewer)
        await handle.result()

    async def run() -> tuple[list[float], dict[str, Any]]:
        prefix = uuid.uuid4().hex[:6]
        began = time.perf_counter()
        ids = [workflow_id_for(f"done-{prefix}-{n}") for n in range(count)]
        await bounded(concurrency, (one(i) for i in ids))
        return [time.perf_counter() - began], {}

    return await measured(stack, count, run)


async def complete_noop_reviews(stack: BenchStack, count: int, concurrency: int) -> Measured:
    """The floor: a no-op review started, opened, given its 4 updates and finished."""
    opening, handles = await open_noop_reviews(stack, count, concurrency)

    async def finish(handle: WorkflowHandle[Any, Any]) -> None:
        first: Any = NoOpReview.decide
        await asyncio.gather(handle.execute_update(first), handle.execute_update(first))
        await handle.execute_update(first)
        await handle.execute_update(first)
        await handle.result()

    async def run() -> tuple[list[float], dict[str, Any]]:
        began = time.perf_counter()
        await bounded(concurrency, (finish(h) for h in handles))
        return [time.perf_counter() - began], {}

    rest = await measured(stack, count, run)
    # Opening is part of a whole review: add it back.
    cpu = opening.cpu_ms_per_op + rest.cpu_ms_per_op
    return Measured([opening.values[0] + rest.values[0]], count, cpu, rest.load)


# -- bursts of clicks ------------------------------------------------------------------------


async def bare_bolt_clicks(stack: BenchStack, targets: list[tuple[str, str, str]]) -> Measured:
    """The same clicks on the same messages, sent to a Bolt app that only acknowledges."""
    stack.use_bot(bare=True)
    try:

        async def run() -> tuple[list[float], dict[str, Any]]:
            acks = await asyncio.gather(*(click(stack, e, w, s) for w, s, e in targets))
            return list(acks), {}

        return await measured(stack, len(targets), run)
    finally:
        stack.use_bot(bare=False)


async def bare_updates(stack: BenchStack, count: int) -> Measured:
    handles = [
        await stack.temporal.start_workflow(
            TrivialWorkflow.run,
            id=f"bench-trivial-{uuid.uuid4().hex[:10]}",
            task_queue=ANCHOR_QUEUE,
        )
        for _ in range(count)
    ]
    # A first update brings every workflow into the worker's cache, as open reviews are; on an
    # overloaded server some time out, which only leaves those uncached.
    await asyncio.gather(
        *(h.execute_update(TrivialWorkflow.bump) for h in handles), return_exceptions=True
    )

    async def timed(handle: WorkflowHandle[Any, Any]) -> float:
        began = time.perf_counter()
        # An update the server gave up on counts with the time it took to give up (at least).
        with contextlib.suppress(WorkflowUpdateRPCTimeoutOrCancelledError, RPCError):
            await handle.execute_update(TrivialWorkflow.bump)
        return time.perf_counter() - began

    async def run() -> tuple[list[float], dict[str, Any]]:
        return list(await asyncio.gather(*(timed(h) for h in handles))), {}

    result = await measured(stack, count, run)
    await end_all(handles)
    return result


async def project_clicks(
    stack: BenchStack, targets: list[tuple[str, str, str]], settle: float
) -> Measured:
    """Every click at once: acknowledgement, decision accepted (from the workflow's history),
    message updated (from the sandbox), and decisions that never landed."""
    wall_start: dict[tuple[str, str], float] = {}
    perf_start: dict[tuple[str, str], float] = {}

    async def one(workflow_id: str, stage: str, email: str) -> float:
        wall_start[(workflow_id, stage)] = time.time()
        perf_start[(workflow_id, stage)] = time.perf_counter()
        return await click(stack, email, workflow_id, stage)

    async def closed(workflow_id: str, stage: str) -> float | None:
        where = stack.watch.requests[(workflow_id, stage)]
        try:
            at = await asyncio.wait_for(
                asyncio.shield(stack.watch.wait(where, stack.watch.closed_at)), settle
            )
        except TimeoutError:
            return None
        return at - perf_start[(workflow_id, stage)]

    async def run() -> tuple[list[float], dict[str, Any]]:
        acks = list(await asyncio.gather(*(one(w, s, e) for w, s, e in targets)))
        updated = await asyncio.gather(*(closed(w, s) for w, s, _ in targets))
        return acks, {"updated": updated}

    result = await measured(stack, len(targets), run)
    accepted = await bounded(
        20, (accepted_after(stack, w, wall_start[(w, s)]) for w, s, _ in targets)
    )
    result.extra["accepted"] = accepted
    return result


async def accepted_after(stack: BenchStack, workflow_id: str, since: float) -> float | None:
    """Seconds from `since` to the first decision the workflow accepted after it (an update
    completed, or a decision signal); None when none landed."""
    names: dict[str, str] = {}
    history = await stack.temporal.get_workflow_handle(workflow_id).fetch_history()
    for event in history.events:
        at = event.event_time.ToDatetime(tzinfo=UTC).timestamp()
        if event.HasField("workflow_execution_update_accepted_event_attributes"):
            request = event.workflow_execution_update_accepted_event_attributes.accepted_request
            names[request.meta.update_id] = request.input.name
        elif event.HasField("workflow_execution_update_completed_event_attributes"):
            update_id = event.workflow_execution_update_completed_event_attributes.meta.update_id
            if names.get(update_id) == UPDATE_DECIDE and at >= since:
                return at - since
        elif event.HasField("workflow_execution_signaled_event_attributes"):
            signal = event.workflow_execution_signaled_event_attributes.signal_name
            if signal == SIGNAL_RECORD_DECISION and at >= since:
                return at - since
    return None


# -- the listing -----------------------------------------------------------------------------


async def listing(stack: BenchStack, email: str, repeats: int, *, bare: bool) -> Measured:
    """`/schema-status` typed by `email`: seconds until the reply is on their screen."""
    user_id = stack.user_id(email)
    watch = stack.watch
    command, text = (BARE_COMMAND, "") if bare else ("/schema-status", "")

    async def run() -> tuple[list[float], dict[str, Any]]:
        took = []
        stack.use_bot(bare=bare)
        try:
            for _ in range(repeats):
                watch.waiters.pop(user_id, None)
                watch.ephemeral_at.pop(user_id, None)
                began = time.perf_counter()
                await stack.sandbox.run_slash_command(user_id, command, text)
                at = await asyncio.wait_for(watch.wait(user_id, watch.ephemeral_at), 30)
                took.append(at - began)
        finally:
            stack.use_bot(bare=False)
        return took, {}

    return await measured(stack, repeats, run)
