"""The workflow floors the project is measured against, run in the same process on the same
Temporal server: a workflow whose update does nothing, and a no-op review with the same shape
as a real one (4 activities, 4 updates). The Bolt floor is in `bare_bolt`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import activity, workflow

ANCHOR_QUEUE = "benchmark-anchors"


@workflow.defn(name="bench_trivial")
class TrivialWorkflow:
    """Waits forever; its update returns at once: the cost of an update and nothing else."""

    def __init__(self) -> None:
        self._count = 0

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: False)

    @workflow.update(name="bump")
    def bump(self) -> int:
        self._count += 1
        return self._count


# Called by the no-op activity when a no-op review has "posted its requests" (opened).
OPENED: dict[str, Callable[[str], None]] = {}


@activity.defn(name="bench_noop")
async def noop_activity(step: str) -> str:
    if step == "requests" and (opened := OPENED.get("hook")) is not None:
        opened(str(activity.info().workflow_id))
    return step


@workflow.defn(name="bench_noop_review")
class NoOpReview:
    """Upload, post the first requests, wait for two decisions, post the senior request,
    wait for two more, finalize: the review's Temporal round trips without its logic."""

    def __init__(self) -> None:
        self._open = False
        self._decisions = 0

    @workflow.run
    async def run(self) -> int:
        await self._step("upload")
        await self._step("requests")
        self._open = True
        await workflow.wait_condition(lambda: self._decisions >= 2)
        await self._step("senior request")
        await workflow.wait_condition(lambda: self._decisions >= 4)
        await self._step("finalize")
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._decisions

    async def _step(self, step: str) -> None:
        await workflow.execute_activity(
            noop_activity, step, start_to_close_timeout=timedelta(seconds=60)
        )

    @workflow.update(name="decide")
    async def decide(self) -> int:
        await workflow.wait_condition(lambda: self._open)
        self._decisions += 1
        return self._decisions
