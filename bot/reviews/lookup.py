"""Reading reviews from Temporal: one schema's review and its status, and lists of reviews
from the visibility store (search attributes, no query per review).

Slack waits for nobody, so every call here is bounded; a Temporal that does not answer in time
becomes `TemporalUnavailable`, which the listeners turn into "nothing changed, try again".
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from temporalio.client import (
    Client,
    WorkflowExecution,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowHistoryEventFilterType,
    WorkflowQueryFailedError,
    WorkflowQueryRejectedError,
)
from temporalio.service import RPCError, RPCStatusCode

from bot.reviews.temporal_calls import is_connect_failure
from bot.runtime.settings import Settings
from workflow.models import (
    SA_PENDING_REVIEWERS,
    SA_REVIEW_STATE,
    SA_SCHEMA_ID,
    SA_SUBMITTED_BY,
    WORKFLOW_TYPE,
    ReviewStatus,
    workflow_id_for,
)
from workflow.read_models import ReviewSummary
from workflow.schema_approval import SchemaApprovalWorkflow

log = logging.getLogger(__name__)

TEMPORAL_TIMEOUT = timedelta(seconds=5)
LIST_LIMIT = 20
# The visibility store's largest page.
MAX_PAGE_SIZE = 1000


class TemporalUnavailable(Exception):
    """Temporal did not answer (in time); nothing was changed."""


# What a slow, stopped or unreachable Temporal looks like to the client. A lazily connected
# client reports a refused connection as a RuntimeError on first use.
UNAVAILABLE: tuple[type[Exception], ...] = (
    TimeoutError,
    ConnectionError,
    RuntimeError,
    WorkflowQueryRejectedError,
    WorkflowQueryFailedError,
)

ANY_FAILURE: tuple[type[Exception], ...] = (RPCError, *UNAVAILABLE)


def check_unavailable(error: Exception) -> None:
    """Re-raise programming errors that merely share a type with an unreachable Temporal."""
    if type(error) is RuntimeError and not is_connect_failure(error):
        raise error


@dataclass(frozen=True)
class ExistingReview:
    workflow_id: str
    running: bool
    # The last status the review reported; None when its run ended without one to give
    # (terminated, failed, timed out), which leaves the schema free for a new review.
    status: ReviewStatus | None
    # How that run ended ("terminated", …); None while running or once approved.
    ended_as: str | None = None
    # Why, in the run's own words: the failure's message (e.g. "The review cannot start: …")
    # or the reason given for terminating it; None when there is none.
    ended_because: str | None = None

    def ending_text(self, schema_id: str) -> str:
        """The sentence `/schema-status` shows for a run that ended without approval (plain
        text: escape it for mrkdwn)."""
        how = ENDINGS.get(self.ended_as or "", f"ended ({self.ended_as or 'closed'})")
        text = f"The last review of '{schema_id}' {how} without an approval"
        text += f": {self.ended_because.rstrip('.')}." if self.ended_because else "."
        return text + " Start a new one with `/submit-schema`."


ENDINGS = {
    "failed": "failed",
    "terminated": "was stopped by an operator",
    "canceled": "was cancelled",
    "timed_out": "timed out",
}


def workflow_ui_url(settings: Settings, workflow_id: str) -> str:
    base = settings.temporal_ui_url.rstrip("/")
    namespace = quote(settings.temporal_namespace, safe="")
    return f"{base}/namespaces/{namespace}/workflows/{quote(workflow_id, safe='')}"


async def find_review(
    client: Client, schema_id: str, within: timedelta = TEMPORAL_TIMEOUT
) -> ExistingReview | None:
    """The schema's latest review run with its status, or None when there never was one."""
    workflow_id = workflow_id_for(schema_id)
    handle = client.get_workflow_handle(workflow_id)
    try:
        async with asyncio.timeout(within.total_seconds()):
            description = await handle.describe(rpc_timeout=within)
            running = description.status == WorkflowExecutionStatus.RUNNING
            if not running and description.status != WorkflowExecutionStatus.COMPLETED:
                # A failed run may not answer the status query at all (its input could not be
                # read), so what it ended with comes from its history.
                ended_as = description.status.name.lower() if description.status else "closed"
                why = await _ended_because(handle, within)
                return ExistingReview(workflow_id, False, None, ended_as, ended_because=why)
            status = await handle.query(SchemaApprovalWorkflow.status, rpc_timeout=within)
            return ExistingReview(workflow_id, running=running, status=status)
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return None
        log.warning("No status from %s: %r", workflow_id, error)
        raise TemporalUnavailable() from error
    except UNAVAILABLE as error:
        check_unavailable(error)
        log.warning("No status from %s: %r", workflow_id, error)
        raise TemporalUnavailable() from error


async def _ended_because(handle: WorkflowHandle[Any, Any], within: timedelta) -> str | None:
    """The failure's message or the termination reason of the run's close event."""
    async for event in handle.fetch_history_events(
        event_filter_type=WorkflowHistoryEventFilterType.CLOSE_EVENT, rpc_timeout=within
    ):
        if event.HasField("workflow_execution_failed_event_attributes"):
            return event.workflow_execution_failed_event_attributes.failure.message or None
        if event.HasField("workflow_execution_terminated_event_attributes"):
            return event.workflow_execution_terminated_event_attributes.reason or None
    return None


def summary_of(execution: WorkflowExecution) -> ReviewSummary:
    attributes = execution.typed_search_attributes
    running = execution.status == WorkflowExecutionStatus.RUNNING
    fallback = execution.status.name.lower() if execution.status else "unknown"
    return ReviewSummary(
        schema_id=attributes.get(SA_SCHEMA_ID) or execution.id.removeprefix(workflow_id_for("")),
        workflow_id=execution.id,
        state=attributes.get(SA_REVIEW_STATE) or fallback,
        submitted_by=attributes.get(SA_SUBMITTED_BY) or "",
        pending_reviewers=list(attributes.get(SA_PENDING_REVIEWERS) or []),
        running=running,
    )


def _literal(value: str) -> str | None:
    """A visibility-query string literal; None for values the query language cannot hold."""
    if "'" in value or "\\" in value or '"' in value:
        return None
    return f"'{value}'"


def _reviews_of(task_queue: str) -> str:
    """Reviews run by this deployment's workers: its task queue tells them apart from other
    deployments (and other test runs) sharing the namespace."""
    clause = f"WorkflowType = '{WORKFLOW_TYPE}'"
    if (queue := _literal(task_queue)) is not None:
        clause += f" AND TaskQueue = {queue}"
    return clause


# A schema has at most one running review (the workflow id is the schema's).
OPEN_ONLY = "ExecutionStatus = 'Running'"


def open_reviews_query(task_queue: str) -> str:
    return f"{_reviews_of(task_queue)} AND {OPEN_ONLY}"


def pending_for_query(task_queue: str, email: str) -> str | None:
    literal = _literal(email.strip().lower())
    if literal is None:
        return None
    return f"{open_reviews_query(task_queue)} AND {SA_PENDING_REVIEWERS.name} = {literal}"


def submitted_by_query(task_queue: str, email: str) -> str | None:
    literal = _literal(email.strip().lower())
    if literal is None:
        return None
    return f"{_reviews_of(task_queue)} AND {SA_SUBMITTED_BY.name} = {literal}"


def owned_by_query(task_queue: str, email: str) -> str | None:
    """The open reviews this person owns."""
    literal = _literal(email.strip().lower())
    if literal is None:
        return None
    return f"{open_reviews_query(task_queue)} AND {SA_SUBMITTED_BY.name} = {literal}"


async def list_reviews(
    client: Client,
    query: str | None,
    limit: int = LIST_LIMIT,
    within: timedelta = TEMPORAL_TIMEOUT,
    *,
    offset: int = 0,
) -> list[ReviewSummary]:
    """Reviews matching a visibility query, newest first, one entry per schema, skipping the
    first `offset` (the store pages by token, so a page number is reached by reading past)."""
    if query is None:
        return []
    found: dict[str, ReviewSummary] = {}
    wanted = offset + limit
    # Rows cost the visibility store (and the decoding here) about as much as they number, so
    # ask for no more than can be shown: one per review when only running ones match.
    rows = wanted if OPEN_ONLY in query else wanted * 3
    try:
        async with asyncio.timeout(within.total_seconds()):
            async for execution in client.list_workflows(
                query, limit=rows, page_size=min(rows, MAX_PAGE_SIZE), rpc_timeout=within
            ):
                # Every run of a schema shares the workflow id; the newest tells its state.
                found.setdefault(execution.id, summary_of(execution))
                if len(found) >= wanted:
                    break
    except ANY_FAILURE as error:
        check_unavailable(error)
        log.warning("Could not list reviews: %r", error)
        raise TemporalUnavailable() from error
    return list(found.values())[offset:wanted]
