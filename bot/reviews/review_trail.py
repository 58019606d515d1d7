"""Every review Temporal still holds for a period, read back run by run: the one reading behind
`python -m bot audit` (`bot.reviews.audit_rows`) and `/schema-status stats`
(`bot.reviews.review_stats`).

The runs come from the visibility store (this deployment's task queue, open or closed in the
period, every run across continue-as-new); each run's history gives the requests, digests,
submitters and actions (`bot.reviews.review_histories`). The decisions that counted come from
the review's own record: a completed run's result, what a run carried to the next, or, for a
run still open (or one that ended without a result), its `status` query, which a worker must
answer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from temporalio.client import (
    Client,
    WorkflowExecution,
    WorkflowExecutionStatus,
    WorkflowQueryFailedError,
)

from bot.reviews.lookup import ANY_FAILURE, TemporalUnavailable, check_unavailable
from bot.reviews.review_histories import (
    RequestPosted,
    ReviewAction,
    RunHistory,
    read_run_history,
)
from workflow.models import (
    QUERY_STATUS,
    WORKFLOW_TYPE,
    RecordedDecision,
    ReviewStatus,
    same_person,
)

log = logging.getLogger(__name__)

# Per call to Temporal; a status query waits for a worker to replay the run.
CALL_TIMEOUT = timedelta(seconds=10)
# Histories read at once: enough to hide the round trips, few enough to spare the frontend.
READERS = 4


class TrailIncomplete(Exception):
    """A review's decisions could not be read; the sentence says which and what to do."""


@dataclass
class ReviewTrail:
    """One review, from the run that started it to the one that ended it (as far as Temporal
    still holds them)."""

    workflow_id: str
    first_run_id: str
    schema_id: str = ""
    started_at: datetime | None = None
    submitters: dict[int, str] = field(default_factory=dict)
    digests: dict[int, str] = field(default_factory=dict)
    requests: list[RequestPosted] = field(default_factory=list)
    actions: list[ReviewAction] = field(default_factory=list)
    # Every decision that counted, once, in the order they were made.
    decisions: list[RecordedDecision] = field(default_factory=list)
    approved_version: int | None = None

    def request_answered_by(self, decision: RecordedDecision) -> RequestPosted | None:
        """The review request this decision answered: the latest one of its stage and version
        sent to its reviewer before it, else the stage's first (a decision sent from the CLI
        needs none)."""
        at = datetime.fromisoformat(decision.at)
        asked = [
            r for r in self.requests if r.version == decision.version and r.stage == decision.stage
        ]
        theirs = [r for r in asked if same_person(r.reviewer, decision.reviewer)]
        before = [r for r in theirs if r.posted_at <= at]
        if before:
            return max(before, key=lambda r: r.posted_at)
        return self.first_request(decision.version, decision.stage)

    def first_request(self, version: int, stage: str) -> RequestPosted | None:
        asked = [r for r in self.requests if r.version == version and r.stage == stage]
        return min(asked, key=lambda r: r.posted_at) if asked else None

    def approved_at(self) -> datetime | None:
        """When the last decision on the approved version was made."""
        times = [d.at for d in self.decisions if d.version == self.approved_version]
        if self.approved_version is None or not times:
            return None
        return datetime.fromisoformat(max(times))


def as_query_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def trail_query(task_queue: str, since: datetime, until: datetime | None = None) -> str:
    """The runs that may hold something of [since, until): open, or closed since `since`;
    started before `until`. Task queue names in a visibility query cannot hold quotes."""
    query = f"WorkflowType = '{WORKFLOW_TYPE}'"
    if "'" not in task_queue and "\\" not in task_queue:
        query += f" AND TaskQueue = '{task_queue}'"
    query += f" AND (ExecutionStatus = 'Running' OR CloseTime >= '{as_query_time(since)}')"
    if until is not None:
        query += f" AND StartTime < '{as_query_time(until)}'"
    return query


async def read_trails(
    client: Client,
    task_queue: str,
    since: datetime,
    until: datetime | None = None,
    *,
    within: timedelta = CALL_TIMEOUT,
) -> list[ReviewTrail]:
    """Every review with a run open or closed in the period, with all its runs read there.
    Raises TemporalUnavailable, or TrailIncomplete when an open review's decisions cannot be
    read."""
    try:
        executions = [
            execution
            async for execution in client.list_workflows(
                trail_query(task_queue, since, until), rpc_timeout=within
            )
        ]
        limit = asyncio.Semaphore(READERS)

        async def read(execution: WorkflowExecution) -> RunHistory:
            async with limit:
                return await _read_run(client, execution, within)

        runs = await asyncio.gather(*(read(execution) for execution in executions))
    except ANY_FAILURE as error:
        check_unavailable(error)
        log.warning("Could not read the reviews' histories: %r", error)
        raise TemporalUnavailable() from error
    return _trails_of(runs)


async def _read_run(client: Client, execution: WorkflowExecution, within: timedelta) -> RunHistory:
    handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
    history = await handle.fetch_history(rpc_timeout=within)
    run = await read_run_history(
        client.data_converter, execution.id, execution.run_id, list(history.events)
    )
    if run.decisions is not None:
        return run
    try:
        async with asyncio.timeout(within.total_seconds()):
            status = await handle.query(QUERY_STATUS, result_type=ReviewStatus, rpc_timeout=within)
        run.decisions = list(status.decisions)
    except WorkflowQueryFailedError:
        # A run whose input could not be read fails every query: it recorded no decision.
        run.decisions = []
    except ANY_FAILURE as error:
        check_unavailable(error)
        state = "open" if execution.status == WorkflowExecutionStatus.RUNNING else "ended"
        raise TrailIncomplete(
            f"The {state} review {execution.id} did not answer its status query within"
            f" {within.total_seconds():g} s, so its decisions cannot be read: make sure a worker"
            " (`python -m bot worker`) runs on this task queue and try again."
        ) from error
    return run


def _trails_of(runs: list[RunHistory]) -> list[ReviewTrail]:
    trails: dict[tuple[str, str], ReviewTrail] = {}
    for run in sorted(runs, key=lambda r: r.started_at or datetime.min.replace(tzinfo=UTC)):
        trail = trails.setdefault(
            (run.workflow_id, run.first_run_id), ReviewTrail(run.workflow_id, run.first_run_id)
        )
        trail.schema_id = trail.schema_id or run.schema_id
        trail.started_at = trail.started_at or run.review_started_at
        trail.submitters.update(run.submitters)
        trail.digests.update(run.digests)
        trail.requests += run.requests
        trail.actions += run.actions
        known = {_decision_key(d) for d in trail.decisions}
        trail.decisions += [d for d in run.decisions or [] if _decision_key(d) not in known]
        if run.approved_version is not None:
            trail.approved_version = run.approved_version
    for trail in trails.values():
        trail.decisions.sort(key=lambda d: datetime.fromisoformat(d.at))
    return list(trails.values())


def _decision_key(decision: RecordedDecision) -> tuple[str, str, int, str]:
    # Continue-as-new carries a run's decisions to the next: the same decision, read twice.
    return (decision.stage, decision.reviewer.lower(), decision.version, decision.at)
