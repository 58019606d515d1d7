"""A bug in a review's background work (the Slack outbox, reminders) does not end that work
silently: the workflow task fails, visibly, the workflow keeps running, and once a fixed worker
is deployed it replays and carries on.

Exercised on a small workflow built like the review (`workflow.background`), whose background
task has a bug in one build and not in the next: a bug cannot be planted in the real one."""

from __future__ import annotations

import uuid
from datetime import timedelta

from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.worker import Worker

from tests.helpers import eventually, new_worker
from workflow.background import Background, watching

PROBE = "background-probe"


class _Probe:
    def __init__(self) -> None:
        self.background = Background()
        self.finished = False
        self.noticed = 0

    @workflow.signal
    def finish(self) -> None:
        self.finished = True

    async def _main(self) -> str:
        self.background.spawn(self._notice())
        await workflow.wait_condition(lambda: self.finished)
        await self.background.settle()
        return f"finished after noticing {self.noticed}"

    async def _notice(self) -> None:
        await workflow.sleep(timedelta(milliseconds=100))
        self._count()

    def _count(self) -> None:
        self.noticed += 1


@workflow.defn(name=PROBE)
class BuggyProbe(_Probe):
    @workflow.run
    async def run(self) -> str:
        return await watching(self._main(), lambda: self.background.failure)

    def _count(self) -> None:
        raise KeyError("noticed")


@workflow.defn(name=PROBE)
class FixedProbe(_Probe):
    @workflow.run
    async def run(self) -> str:
        return await watching(self._main(), lambda: self.background.failure)


async def _task_failures(handle: WorkflowHandle[object, str]) -> list[str]:
    history = await handle.fetch_history()
    return [
        e.workflow_task_failed_event_attributes.failure.message
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
    ]


async def test_a_background_bug_fails_the_workflow_task_and_a_fix_resumes_it(
    temporal_client: Client,
) -> None:
    task_queue = f"tq-{uuid.uuid4()}"
    # No sticky cache: the fixed worker takes the retried task at once.
    async with Worker(
        temporal_client, task_queue=task_queue, workflows=[BuggyProbe], max_cached_workflows=0
    ):
        handle: WorkflowHandle[object, str] = await temporal_client.start_workflow(
            PROBE, id=f"probe-{uuid.uuid4()}", task_queue=task_queue, result_type=str
        )

        async def task_failed() -> list[str]:
            failures = await _task_failures(handle)
            assert failures, "no workflow task failed yet"
            return failures

        failures = await eventually(task_failed, within=20)
        stuck = await handle.describe()

    async with new_worker(temporal_client, FixedProbe, task_queue=task_queue):
        await handle.signal("finish")
        result = await handle.result()

    assert failures[0].startswith("A background task of the review failed: KeyError('noticed')")
    assert stuck.status == WorkflowExecutionStatus.RUNNING
    assert result == "finished after noticing 1"
