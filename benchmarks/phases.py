"""What is measured, each as people (or Temporal clients) do it: reviews opened, clicks in a
burst, whole reviews, and the `/schema-status` listing; each anchor beside its project path.

Every function returns a `Measured`: the latencies (or one wall time), how many operations,
and the CPU this process and the Temporal server spent on them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
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
from benchmarks.harness import BenchStack
from bot.reviews.decisions import (
    DECISION_FAILED,
    DECISION_PENDING,
    NOT_CONFIRMED,
    NOT_CONFIRMED_YET,
    record_decision,
)
from slack_presentation.review_actions import ACTION_APPROVE
from slack_sandbox.examples import EXAMPLES
from workflow.activity_contract import update_review_message, update_review_messages
from workflow.models import (
    REVIEW_1A,
    REVIEW_1B,
    REVIEW_2,
    SIGNAL_RECORD_DECISION,
    TASK_QUEUE,
    UPDATE_DECIDE,
    WORKFLOW_TYPE,
    ReviewDecision,
    Reviewers,
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
    before = stack.cpu_by_process()
    values, extra = await run()
    per_op = {
        name: (seconds - before[name]) * 1000 / max(ops, 1)
        for name, seconds in stack.cpu_by_process().items()
    }
    extra["cpu_ms_by_process"] = per_op
    return Measured(values, ops, sum(per_op.values()), os.getloadavg()[0], extra)


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


def review_input(
    stack: BenchStack, schema_id: str, reviewers: Reviewers | None = None
) -> ReviewInput:
    url = stack.sandbox.url + EXAMPLES[0].path
    settings = stack.settings
    return ReviewInput(
        submission=Submission(schema_id, 1, "Benchmark", url, "owner@example.com"),
        reviewers=reviewers or stack.roster,
        review_channel=settings.slack_review_channel,
        reminders=settings.reminder_policy(),
    )


async def open_reviews(
    stack: BenchStack,
    count: int,
    concurrency: int,
    rosters: Callable[[int], Reviewers] | None = None,
) -> tuple[Measured, list[str]]:
    """Start `count` reviews as the starter does; done once both first requests are posted.
    `rosters`: the n-th review's reviewers (the usual roster when None)."""
    prefix = uuid.uuid4().hex[:6]
    ids = [workflow_id_for(f"bench-{prefix}-{n}") for n in range(count)]
    roster_of = {w: rosters(n) if rosters else None for n, w in enumerate(ids)}

    async def one(workflow_id: str) -> None:
        schema_id = workflow_id.removeprefix(workflow_id_for(""))
        review = review_input(stack, schema_id, roster_of[workflow_id])
        await stack.temporal.start_workflow(
            WORKFLOW_TYPE, review, id=workflow_id, task_queue=TASK_QUEUE
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


@dataclass
class ClickFate:
    """One click of a burst followed to its end: what Slack saw, what the workflow recorded,
    and what the reviewer was told (the bot's replies in the sandbox, and the buttons)."""

    acked: bool  # HTTP 200 within Slack's 3 s
    ack_seconds: float
    recorded: bool  # the workflow accepted this stage's decision (its history says so)
    accepted_seconds: float | None  # click -> the decision completed in the history
    updated_seconds: float | None  # click -> the review message lost its buttons
    told: str  # the last thing the bot said: recorded, not recorded, unknown, pending, nothing
    # click -> each step of the message's path (MessagePath's fields, then "shown"), seconds
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def told_false(self) -> bool:
        """Told (by a reply, or by the buttons going) it counted when it did not, or that it
        did not count when it did."""
        said_recorded = self.told == "recorded" or self.updated_seconds is not None
        return (said_recorded and not self.recorded) or (
            self.told == "not recorded" and self.recorded
        )

    def fate(self, still_working: bool) -> str:
        """recorded, told not recorded, told unknown, told false, lost, in flight, or not
        acked (Slack showed the reviewer that the click failed)."""
        if not self.acked:
            return "not acked"
        if self.told_false:
            return "told false"
        if self.recorded:
            return "recorded"
        if self.told in ("not recorded", "unknown"):
            return f"told {self.told}"
        return "in flight" if still_working else "lost"


def told_kind(text: str) -> str:
    """What a reply of the bot to a click says about the decision."""
    if text.startswith(DECISION_PENDING[:40]):
        return "pending"
    if any(text.startswith(s[:40]) for s in (NOT_CONFIRMED, NOT_CONFIRMED_YET, DECISION_FAILED)):
        return "unknown"
    if text.startswith("Recorded:"):
        return "recorded"
    return "not recorded"


async def project_clicks(
    stack: BenchStack, targets: list[tuple[str, str, str]], idle_limit: float
) -> Measured:
    """Every click at once, each by its own person, then each followed to its end: wait until
    the bot has no acknowledged work left (at most `idle_limit` seconds), read every
    workflow's history and what every person was told. `extra["fates"]`: a `ClickFate` per
    click; `extra["idle_after"]`, `extra["in_flight"]`: the wait, and the work left after it."""
    perf_start: dict[tuple[str, str], float] = {}
    wall_start: dict[tuple[str, str], float] = {}

    async def one(workflow_id: str, stage: str, email: str) -> tuple[float, bool]:
        wall_start[(workflow_id, stage)] = time.time()
        perf_start[(workflow_id, stage)] = time.perf_counter()
        return await click_result(stack, email, workflow_id, stage)

    async def run() -> tuple[list[float], dict[str, Any]]:
        results = list(await asyncio.gather(*(one(w, s, e) for w, s, e in targets)))
        idle_after, in_flight = await stack.until_idle(idle_limit)
        acks = [took if ok else max(took, ACK_DEADLINE) for took, ok in results]
        return acks, {"results": results, "idle_after": idle_after, "in_flight": in_flight}

    result = await measured(stack, len(targets), run)
    paths: dict[tuple[str, str], MessagePath] = {}
    histories = await bounded(
        20,
        (recorded_decisions(stack, w, paths) for w in dict.fromkeys(w for w, _, _ in targets)),
    )
    recorded = {(w, stage): at for found in histories for (w, stage), at in found.items()}
    # The workflow rewrites the message after the decision (an activity): give it time.
    watch = stack.watch
    wanted = [watch.requests[key] for key in recorded if key in perf_start]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(
            asyncio.gather(*(asyncio.shield(watch.wait(w, watch.closed_at)) for w in wanted)), 60
        )
    fates = []
    for (workflow_id, stage, email), (took, ok) in zip(
        targets, result.extra["results"], strict=True
    ):
        key = (workflow_id, stage)
        where = watch.requests[key]
        closed = watch.closed_at.get(where)
        at = recorded.get(key)
        fates.append(
            ClickFate(
                acked=ok,
                ack_seconds=took,
                recorded=at is not None,
                accepted_seconds=None if at is None else max(at - wall_start[key], 0.0),
                updated_seconds=None if closed is None else closed - perf_start[key],
                told=_told(stack, email, where[0], wall_start[key]),
                steps=_steps(paths.get(key), wall_start[key], closed, perf_start[key]),
            )
        )
    result.extra["fates"] = fates
    return result


def _steps(
    path: MessagePath | None, wall_start: float, closed: float | None, perf_start: float
) -> dict[str, float]:
    """Seconds from the click to each step of the message's path that happened."""
    steps: dict[str, float] = {}
    if path is not None:
        for name, at in vars(path).items():
            if at is not None:
                steps[name] = at - wall_start
    if closed is not None:
        steps["shown"] = closed - perf_start
    return steps


async def click_result(
    stack: BenchStack, email: str, workflow_id: str, stage: str
) -> tuple[float, bool]:
    """Approve as `email`: seconds until the sandbox had an answer, and whether it was an
    acknowledgement (HTTP 200) within Slack's 3 s."""
    channel, ts = stack.watch.requests[(workflow_id, stage)]
    began = time.perf_counter()
    result = await stack.sandbox.click_button(stack.user_id(email), channel, ts, ACTION_APPROVE)
    return time.perf_counter() - began, result.status == 200 and not result.timed_out


def _told(stack: BenchStack, email: str, channel: str, since: float) -> str:
    """The last thing the bot told this person in this channel since `since` (wall clock):
    its final word on the click, or "pending" when it only ever said "being recorded"."""
    user_id = stack.user_id(email)
    kinds = [
        told_kind(e.text)
        for e in stack.sandbox.state.ephemerals
        if e.user == user_id and e.channel == channel and float(e.ts) >= since - 1
    ]
    final = [k for k in kinds if k != "pending"]
    if final:
        return final[-1]
    return "pending" if kinds else "nothing"


# The activities that close review messages, named by the contract's stubs.
MESSAGE_ACTIVITIES = (update_review_messages.__name__, update_review_message.__name__)


@dataclass
class MessagePath:
    """Where the time went between a decision reaching Temporal and the review message being
    rewritten, from the review's history (wall clock seconds): the decision's signal
    written, the worker starting the workflow task that takes it, that task completed, the
    message activity (scheduled by that task or a later one) started and completed."""

    recorded: float
    task_started: float | None = None
    task_completed: float | None = None
    activity_started: float | None = None
    activity_completed: float | None = None


async def recorded_decisions(
    stack: BenchStack, workflow_id: str, paths: dict[tuple[str, str], MessagePath] | None = None
) -> dict[tuple[str, str], float]:
    """(workflow id, stage) -> when (wall clock) the workflow accepted a decision for that
    stage: an update that completed successfully, or a decision signal. `paths`, when given,
    gets each decision's `MessagePath`."""
    found: dict[tuple[str, str], float] = {}
    stages: dict[str, str] = {}
    history = await stack.temporal.get_workflow_handle(workflow_id).fetch_history()
    if paths is not None:
        message_paths(workflow_id, history.events, paths)
    for event in history.events:
        at = event.event_time.ToDatetime(tzinfo=UTC).timestamp()
        if event.HasField("workflow_execution_update_accepted_event_attributes"):
            request = event.workflow_execution_update_accepted_event_attributes.accepted_request
            if request.input.name == UPDATE_DECIDE and request.input.args.payloads:
                stages[request.meta.update_id] = _stage_of(request.input.args.payloads[0].data)
        elif event.HasField("workflow_execution_update_completed_event_attributes"):
            done = event.workflow_execution_update_completed_event_attributes
            stage = stages.get(done.meta.update_id)
            if stage and done.outcome.HasField("success"):
                found.setdefault((workflow_id, stage), at)
        elif event.HasField("workflow_execution_signaled_event_attributes"):
            signaled = event.workflow_execution_signaled_event_attributes
            if signaled.signal_name == SIGNAL_RECORD_DECISION and signaled.input.payloads:
                stage = _stage_of(signaled.input.payloads[0].data)
                if stage:
                    found.setdefault((workflow_id, stage), at)
    return found


def message_paths(workflow_id: str, events: Any, paths: dict[tuple[str, str], MessagePath]) -> None:
    """Each decision signal, followed through the history to the message activity after it."""
    waiting: list[MessagePath] = []  # decisions whose workflow task has not started yet
    in_task: list[MessagePath] = []  # taken by the workflow task running now
    scheduled: dict[int, list[MessagePath]] = {}  # message activity (event id) -> decisions
    for event in events:
        at = event.event_time.ToDatetime(tzinfo=UTC).timestamp()
        if event.HasField("workflow_execution_signaled_event_attributes"):
            signaled = event.workflow_execution_signaled_event_attributes
            if signaled.signal_name == SIGNAL_RECORD_DECISION and signaled.input.payloads:
                stage = _stage_of(signaled.input.payloads[0].data)
                if stage and (workflow_id, stage) not in paths:
                    paths[(workflow_id, stage)] = path = MessagePath(recorded=at)
                    waiting.append(path)
        elif event.HasField("workflow_task_started_event_attributes"):
            for path in waiting:
                path.task_started = at
            in_task, waiting = in_task + waiting, []
        elif event.HasField("workflow_task_completed_event_attributes"):
            for path in in_task:
                if path.task_completed is None:
                    path.task_completed = at
        elif event.HasField("activity_task_scheduled_event_attributes"):
            kind = event.activity_task_scheduled_event_attributes.activity_type.name
            if kind in MESSAGE_ACTIVITIES and in_task:
                scheduled[event.event_id] = in_task
                in_task = []
        elif event.HasField("activity_task_started_event_attributes"):
            for path in scheduled.get(
                event.activity_task_started_event_attributes.scheduled_event_id, []
            ):
                path.activity_started = at
        elif event.HasField("activity_task_completed_event_attributes"):
            for path in scheduled.get(
                event.activity_task_completed_event_attributes.scheduled_event_id, []
            ):
                path.activity_completed = at


def _stage_of(data: bytes) -> str:
    try:
        decision = json.loads(data)
    except ValueError:
        return ""
    return str(decision.get("stage", "")) if isinstance(decision, dict) else ""


# -- decisions on cached and on evicted reviews ----------------------------------------------


async def decision_seconds(stack: BenchStack, workflow_ids: list[str]) -> list[float]:
    """One decision (Review1.a approves) on each review in turn, through the bot's own
    `record_decision`: seconds until the workflow answered."""
    took = []
    for workflow_id in workflow_ids:
        decision = ReviewDecision(
            stage=REVIEW_1A,
            reviewer=stack.roster.reviewer_a,
            submission_version=1,
            approved=True,
            requires_additional_review=False,
            reason="",
        )
        began = time.perf_counter()
        reply = await record_decision(stack.temporal, workflow_id, decision)
        took.append(time.perf_counter() - began if reply.accepted else math.nan)
    return took


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
            shown = next(e for e in reversed(stack.sandbox.state.ephemerals) if e.user == user_id)
        finally:
            stack.use_bot(bare=False)
        return took, {"text": shown.text, "blocks": shown.blocks}

    return await measured(stack, repeats, run)
