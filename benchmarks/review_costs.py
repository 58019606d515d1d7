"""What one review costs Temporal and the worker: history events by type, workflow tasks,
activities by name, and CPU.

    uv run python -m benchmarks.review_costs [--whole 5] [--opened 10]

Runs on the benchmark's stack (`benchmarks.harness`: embedded dev server, worker, bot, Slack
sandbox, with the sandbox's review channel and the default reminder policy), first a few
warm-up reviews, then `--whole` whole reviews (started, Review1.a and Review1.b approve with a
click, Review2 approves with a click, the workflow completes) and `--opened` opened reviews
(started, left once both first-round requests are posted and the workflow is idle). Counts come
from the histories of the measured reviews (averaged per review); CPU is the worker's and the bot's
processes with this one (the Slack sandbox), and the Temporal server, per review, measured over the
whole batch.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle

from benchmarks.harness import BenchStack, bench_stack, cpu_seconds
from benchmarks.phases import click, review_input
from workflow.models import (
    REVIEW_1A,
    REVIEW_1B,
    REVIEW_2,
    TASK_QUEUE,
    WORKFLOW_TYPE,
    workflow_id_for,
)

IDLE_POLL_SECONDS = 0.05


def _own_cpu(stack: BenchStack) -> float:
    """The sandbox (this process), the worker's and the bot's processes."""
    return cpu_seconds([stack.worker.pid, stack.bot.pid])


WORKFLOW_TASK_EVENTS = frozenset(
    {
        EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
        EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
        EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
        EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
    }
)


async def _idle(handle: WorkflowHandle[Any, Any], within: float = 60.0) -> None:
    """Until the workflow has no pending activity and its last workflow task event is a
    completion (the commands of that task, such as local activity markers, may follow it)."""
    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        described = await handle.describe()
        raw = described.raw_description
        if not raw.pending_activities and not raw.HasField("pending_workflow_task"):
            history = await handle.fetch_history()
            tasks = [e.event_type for e in history.events if e.event_type in WORKFLOW_TASK_EVENTS]
            if tasks and tasks[-1] == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
                return
        await asyncio.sleep(IDLE_POLL_SECONDS)
    raise TimeoutError(f"{handle.id} did not become idle")


async def _whole(stack: BenchStack, workflow_id: str) -> WorkflowHandle[Any, Any]:
    roster, watch = stack.roster, stack.watch
    schema_id = workflow_id.removeprefix(workflow_id_for(""))
    handle = await stack.temporal.start_workflow(
        WORKFLOW_TYPE, review_input(stack, schema_id), id=workflow_id, task_queue=TASK_QUEUE
    )

    async def decide(stage: str, email: str) -> None:
        await watch.wait((workflow_id, stage), watch.posted_at)
        # People click once the request is there and the review has settled, not within the
        # same millisecond: every click meets an idle review, so the counts are stable.
        await _idle(handle)
        await click(stack, email, workflow_id, stage)

    await decide(REVIEW_1A, roster.reviewer_a)
    await decide(REVIEW_1B, roster.reviewer_b)
    await decide(REVIEW_2, roster.senior_reviewer)
    await handle.result()
    return handle


async def _opened(stack: BenchStack, workflow_id: str) -> WorkflowHandle[Any, Any]:
    schema_id = workflow_id.removeprefix(workflow_id_for(""))
    handle = await stack.temporal.start_workflow(
        WORKFLOW_TYPE, review_input(stack, schema_id), id=workflow_id, task_queue=TASK_QUEUE
    )
    for stage in (REVIEW_1A, REVIEW_1B):
        await stack.watch.wait((workflow_id, stage), stack.watch.posted_at)
    await _idle(handle)
    return handle


async def _batch(
    stack: BenchStack,
    kind: str,
    count: int,
    run: Callable[[BenchStack, str], Awaitable[WorkflowHandle[Any, Any]]],
) -> dict[str, Any]:
    prefix = uuid.uuid4().hex[:6]
    ids = [workflow_id_for(f"costs-{kind}-{prefix}-{n}") for n in range(count)]
    pid = stack.dev_server.process.pid
    own, server = _own_cpu(stack), cpu_seconds([pid], own=False)
    began = time.perf_counter()
    handles = [await run(stack, i) for i in ids]
    wall = time.perf_counter() - began
    own, server = _own_cpu(stack) - own, cpu_seconds([pid], own=False) - server
    events: Counter[str] = Counter()
    activities: Counter[str] = Counter()
    for handle in handles:
        history = await handle.fetch_history()
        for event in history.events:
            name = EventType.Name(event.event_type).removeprefix("EVENT_TYPE_")
            events[name] += 1
            if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
                activities[event.activity_task_scheduled_event_attributes.activity_type.name] += 1
        if kind == "whole":
            described = await handle.describe()
            assert described.status == WorkflowExecutionStatus.COMPLETED, described.status
    return {
        "kind": kind,
        "count": count,
        "events": events,
        "activities": activities,
        "own_ms": own * 1000 / count,
        "server_ms": server * 1000 / count,
        "wall_ms": wall * 1000 / count,
    }


def _render(figures: dict[str, Any]) -> str:
    count = figures["count"]
    events: Counter[str] = figures["events"]
    activities: Counter[str] = figures["activities"]
    lines = [
        f"== {figures['kind']} review (average of {count}) ==",
        f"history events      {sum(events.values()) / count:7.1f}",
        f"workflow tasks      {events['WORKFLOW_TASK_COMPLETED'] / count:7.1f}"
        f"  (scheduled {events['WORKFLOW_TASK_SCHEDULED'] / count:.1f})",
        f"activities          {sum(activities.values()) / count:7.1f}",
        f"CPU ms, worker, bot and sandbox processes    {figures['own_ms']:7.1f}",
        f"CPU ms, Temporal server                      {figures['server_ms']:7.1f}",
        f"wall ms, one at a time                       {figures['wall_ms']:7.1f}",
        "activities by name:",
        *(f"  {n / count:5.1f}  {name}" for name, n in activities.most_common()),
        "history events by type:",
        *(f"  {n / count:5.1f}  {name}" for name, n in events.most_common()),
    ]
    return "\n".join(lines)


async def main(whole: int, opened: int, warmup: int) -> None:
    async with bench_stack({}) as stack:
        for n in range(warmup):
            await _whole(stack, workflow_id_for(f"costs-warmup-{uuid.uuid4().hex[:6]}-{n}"))
        results = [
            await _batch(stack, "whole", whole, _whole),
            await _batch(stack, "opened", opened, _opened),
        ]
    print(f"load average {os.getloadavg()[0]:.2f}")
    print("\n\n".join(_render(r) for r in results))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--whole", type=int, default=5, help="whole reviews to count")
    parser.add_argument("--opened", type=int, default=10, help="opened reviews to count")
    parser.add_argument("--warmup", type=int, default=3, help="whole reviews run first, uncounted")
    args = parser.parse_args()
    if min(args.whole, args.opened) < 1:
        parser.error("--whole and --opened must be at least 1")
    asyncio.run(main(args.whole, args.opened, args.warmup))
    sys.stdout.flush()
    # temporalio can abort during interpreter finalization (sdk-python#300); the numbers are out.
    os._exit(0)
