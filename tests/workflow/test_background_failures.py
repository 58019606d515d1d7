"""A bug in a review's background work (the Slack outbox, reminders) does not end that work
silently: the workflow task fails, visibly, the workflow keeps running, and once a fixed worker
is deployed it replays and carries on.

A fix deployed is exercised on a small workflow built like the review (`workflow.background`),
whose background task has a bug in one build and not in the next; the review's own wiring (its
Slack outbox and reminders) with a bug planted in it, outside the sandbox."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from tests.helpers import eventually, new_worker
from tests.workflow.review_harness import StandInActivities, review_input
from workflow.background import Background, watching
from workflow.models import ReminderPolicy, ReviewInput
from workflow.review_reminders import ReviewReminders
from workflow.schema_approval import SchemaApprovalWorkflow
from workflow.slack_outbox import SlackOutbox

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


async def _task_failures(handle: WorkflowHandle[Any, Any]) -> list[str]:
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


ENDING_PROBE = "background-ending-probe"


@workflow.defn(name=ENDING_PROBE)
class FailsAsItEnds:
    """The signal that ends the main loop also wakes background work that fails at once: the
    main loop finishes first, and the failure follows in the same workflow activation."""

    def __init__(self) -> None:
        self.background = Background()
        self.finished = False

    @workflow.signal
    def finish(self) -> None:
        self.finished = True

    @workflow.run
    async def run(self) -> str:
        return await watching(self._main(), lambda: self.background.failure)

    async def _main(self) -> str:
        self.background.spawn(self._send_last_message())
        await workflow.wait_condition(lambda: self.finished)
        return "finished"

    async def _send_last_message(self) -> None:
        await workflow.wait_condition(lambda: self.finished)
        raise KeyError("last message")


async def test_a_background_bug_as_the_review_ends_is_not_dropped(temporal_client: Client) -> None:
    async with new_worker(temporal_client, FailsAsItEnds) as worker:
        handle: WorkflowHandle[object, str] = await temporal_client.start_workflow(
            ENDING_PROBE, id=f"probe-{uuid.uuid4()}", task_queue=worker.task_queue, result_type=str
        )
        await handle.signal("finish")

        async def task_failed() -> list[str]:
            failures = await _task_failures(handle)
            assert failures, "no workflow task failed yet"
            return failures

        failures = await eventually(task_failed, within=20)
        still = await handle.describe()
        await handle.terminate("test finished")

    assert failures[0].startswith(
        "A background task of the review failed: KeyError('last message')"
    )
    # Not completed as if the last message had gone out.
    assert still.status == WorkflowExecutionStatus.RUNNING


def _planted_bug(*_: object, **__: object) -> None:
    raise KeyError("planted")


@pytest.mark.parametrize(
    ("part", "method", "review"),
    [
        # Runs once the review request is posted, to close it if its stage closed meanwhile.
        ("outbox", (SlackOutbox, "_send_closing"), review_input()),
        # Runs when a reminder falls due.
        (
            "reminders",
            (ReviewReminders, "_send"),
            review_input(reminders=ReminderPolicy(0.2, 60, 2)),
        ),
    ],
)
async def test_a_bug_in_the_real_reviews_background_work_fails_the_task_and_keeps_the_review(
    temporal_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    part: str,
    method: tuple[type, str],
    review: ReviewInput,
) -> None:
    # The bug is planted in the review's own code, so the worker runs it outside the sandbox
    # (which would import a clean copy).
    monkeypatch.setattr(*method, _planted_bug)
    stand_in = StandInActivities()
    async with Worker(
        temporal_client,
        task_queue=f"tq-{uuid.uuid4()}",
        workflows=[SchemaApprovalWorkflow],
        activities=stand_in.activities(),
        workflow_runner=UnsandboxedWorkflowRunner(),
    ) as worker:
        handle = await temporal_client.start_workflow(
            SchemaApprovalWorkflow.run,
            review,
            id=f"schema-approval-test-{uuid.uuid4()}",
            task_queue=worker.task_queue,
        )

        async def task_failed() -> list[str]:
            failures = await _task_failures(handle)
            assert failures, f"no workflow task failed yet ({part})"
            return failures

        failures = await eventually(task_failed, within=20)
        still = await handle.describe()
        await handle.terminate("test finished")

    assert failures[0].startswith("A background task of the review failed: KeyError('planted')"), (
        failures[0]
    )
    assert still.status == WorkflowExecutionStatus.RUNNING
