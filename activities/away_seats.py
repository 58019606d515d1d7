"""The `people_away` workflow's activities: an absent person's open seats to their delegate,
and back when they return, through each review's own `reassign_reviewer` update.

The reviews are found by visibility (running `schema_approval` workflows of this worker's task
queue whose `SchemaPendingReviewers` holds the person), then asked for their `status`: only
the stages still waiting on the person move. A review that refuses the change (the delegate
submitted it, or holds the other Review1 seat) keeps its seat, and the log says why.
Each update's id is derived from the move, so a retried activity moves nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.service import RPCError

from workflow import activity_contract as contract
from workflow.away_contract import HandedOver, HandOver
from workflow.models import (
    QUERY_STATUS,
    SEAT_STAGES,
    UPDATE_REASSIGN,
    WORKFLOW_TYPE,
    Reassignment,
    ReassignmentOutcome,
    ReviewStatus,
    same_person,
)

log = logging.getLogger(__name__)

# The seat of each one-person stage; any other stage is a pool's round, reassigned by name.
_STAGE_SEATS = {stage: seat for seat, stage in SEAT_STAGES.items()}


# Finds the running reviews of a task queue waiting on a person: their workflow ids.
ReviewFinder = Callable[[Client, str, str], Awaitable[list[str]]]


async def reviews_waiting_on(client: Client, person: str, task_queue: str) -> list[str]:
    """By visibility: the running reviews of `task_queue` whose pending reviewers hold
    `person` (the search attribute holds lower-case emails)."""
    query = (
        f"WorkflowType = '{WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'"
        f" AND TaskQueue = '{task_queue}'"
        f" AND SchemaPendingReviewers = '{person.lower()}'"
    )
    return [execution.id async for execution in client.list_workflows(query)]


class AwaySeatActivities:
    """`client`: None takes the worker's own (`activity.client()`). `find`: how the reviews
    waiting on someone are found (visibility; Temporal's time-skipping test server has none)."""

    def __init__(self, client: Client | None = None, find: ReviewFinder | None = None) -> None:
        self._client = client
        self._find = find or reviews_waiting_on

    def all(self) -> list[Callable[..., Any]]:
        return [self.hand_over_seats, self.return_seats]

    @activity.defn(name=contract.hand_over_seats.__name__)
    async def hand_over_seats(self, request: HandOver) -> list[HandedOver]:
        client = self._client or activity.client()
        reason = f"{request.person} is away until {request.until}"
        moved: list[HandedOver] = []
        for workflow_id, status in await self._open_reviews_of(client, request.person):
            for pending in status.pending_reviewers:
                if not same_person(pending.reviewer, request.person):
                    continue
                seat = _STAGE_SEATS.get(pending.stage, pending.stage)
                replaces = None if pending.stage in _STAGE_SEATS else pending.reviewer
                change = Reassignment(seat, request.delegate, request.person, reason, replaces)
                key = f"away-{request.person}-{request.until}-{status.version}-{seat}"
                if await _reassigned(client, workflow_id, change, key):
                    moved.append(
                        HandedOver(
                            workflow_id,
                            seat,
                            request.delegate,
                            pending.reviewer,
                            request.delegate if replaces else None,
                        )
                    )
        return moved

    @activity.defn(name=contract.return_seats.__name__)
    async def return_seats(self, seats: list[HandedOver]) -> list[HandedOver]:
        client = self._client or activity.client()
        returned: list[HandedOver] = []
        for seat in seats:
            stage = SEAT_STAGES.get(seat.seat, seat.seat)
            try:
                status = await client.get_workflow_handle(seat.workflow_id).query(
                    QUERY_STATUS, result_type=ReviewStatus
                )
            except RPCError as error:
                log.info("%s not asked about %s: %s", seat.workflow_id, stage, error)
                continue
            still_open = any(
                p.stage == stage and same_person(p.reviewer, seat.reviewer)
                for p in status.pending_reviewers
            )
            if not still_open:
                # Decided meanwhile, or moved by someone: the delegate's part stands.
                continue
            change = Reassignment(
                seat.seat,
                seat.returns_to,
                seat.returns_to,
                f"{seat.returns_to} is back",
                seat.reviewer if seat.replaces else None,
            )
            key = f"back-{seat.returns_to}-{status.version}-{seat.seat}"
            if await _reassigned(client, seat.workflow_id, change, key):
                returned.append(seat)
        return returned

    async def _open_reviews_of(self, client: Client, person: str) -> list[tuple[str, ReviewStatus]]:
        found = []
        for workflow_id in await self._find(client, person, activity.info().task_queue):
            handle = client.get_workflow_handle(workflow_id)
            try:
                status = await handle.query(QUERY_STATUS, result_type=ReviewStatus)
            except RPCError as error:
                log.info("%s not asked for its status: %s", workflow_id, error)
                continue
            found.append((workflow_id, status))
        return found


async def _reassigned(client: Client, workflow_id: str, change: Reassignment, key: str) -> bool:
    handle = client.get_workflow_handle(workflow_id)
    try:
        await handle.execute_update(
            UPDATE_REASSIGN, change, id=key, result_type=ReassignmentOutcome
        )
    except WorkflowUpdateFailedError as error:
        log.info("%s kept its %s seat: %s", workflow_id, change.seat, error.cause)
        return False
    return True
