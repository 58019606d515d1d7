"""The bot's side of people away: the `people_away` workflow's updates and query, and the
delegates seated in a review the bot starts.

The workflow is started by the first `set_away` (update-with-start); one per task queue, so
that the worker handing seats over is the one whose reviews they are.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from bot.reviews.temporal_calls import ReviewCallFailed, call_review
from bot.runtime.settings import Settings
from workflow.away_contract import (
    PEOPLE_AWAY_WORKFLOW_ID,
    Absence,
    AwayClear,
    AwayState,
    StandIn,
)
from workflow.models import REVIEWER_SEATS, TASK_QUEUE, ReviewInput, same_person
from workflow.people_away import PeopleAwayWorkflow
from workflow.policy_contract import POLICY_STAGES

log = logging.getLogger(__name__)

# A review starts without delegates rather than wait long for the absences.
ABSENCES_WITHIN_SECONDS = 5.0
AWAY_CALL_SECONDS = 15.0


class AwayRefused(Exception):
    """The absence was not set (or ended); `str(error)` says why and what to do."""


class AwayUnavailable(Exception):
    """Temporal did not answer: nothing is known to have changed."""


def people_away_workflow_id(task_queue: str) -> str:
    if task_queue == TASK_QUEUE:
        return PEOPLE_AWAY_WORKFLOW_ID
    return f"{PEOPLE_AWAY_WORKFLOW_ID}-{task_queue}"


def back_at(until: date, tz_name: str | None) -> datetime:
    """The end of `until` where the person is: their Slack time zone, else UTC."""
    zone: ZoneInfo | None = None
    if tz_name:
        try:
            zone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
    return datetime.combine(until + timedelta(days=1), time(0), tzinfo=zone or UTC)


async def absences_now(client: Client, settings: Settings) -> list[Absence]:
    """Who is away now; none when nobody ever was (no workflow) or Temporal is slow."""
    handle = client.get_workflow_handle(people_away_workflow_id(settings.temporal_task_queue))
    try:
        found = await handle.query(
            PeopleAwayWorkflow.absences,
            rpc_timeout=timedelta(seconds=ABSENCES_WITHIN_SECONDS),
        )
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            log.warning("Absences not read; the review starts with its roster: %s", error)
        return []
    except Exception as error:
        log.warning("Absences not read; the review starts with its roster: %r", error)
        return []
    now = datetime.now(UTC)
    return [a for a in found if datetime.fromisoformat(a.back_at) > now]


async def set_away(
    client: Client, settings: Settings, absence: Absence, within_seconds: float = AWAY_CALL_SECONDS
) -> str:
    """The workflow's sentence once `absence` is set. Raises AwayRefused or AwayUnavailable
    (also when no answer came within `within_seconds`: it may or may not have landed)."""
    workflow_id = people_away_workflow_id(settings.temporal_task_queue)
    start = WithStartWorkflowOperation(
        PeopleAwayWorkflow.run,
        AwayState(),
        id=workflow_id,
        task_queue=settings.temporal_task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    update = client.execute_update_with_start_workflow(
        PeopleAwayWorkflow.set_away, absence, start_workflow_operation=start
    )
    return await _answer(update, within_seconds)


async def clear_away(client: Client, settings: Settings, request: AwayClear) -> str:
    handle = client.get_workflow_handle(people_away_workflow_id(settings.temporal_task_queue))
    update = handle.execute_update(PeopleAwayWorkflow.clear_away, request)
    return await _answer(update, AWAY_CALL_SECONDS)


async def _answer(update: object, within_seconds: float) -> str:
    try:
        return await call_review(update, within_seconds)  # type: ignore[arg-type]
    except ReviewCallFailed as failure:
        if failure.fate == "refused":
            raise AwayRefused(failure.message) from None
        if failure.fate == "closed":
            raise AwayRefused("Nobody is marked away, so there is nothing to end.") from None
        raise AwayUnavailable() from failure


def with_delegates(review: ReviewInput, absences: list[Absence]) -> ReviewInput:
    """The review with each seat and pool place of someone away given to their delegate, and
    a stand-in saying so; a delegate who may not take the place (the submitter, the other
    Review1 seat, already in the pool) leaves it with its holder."""
    if not absences:
        return review
    submitter = review.owner or review.submission.submitted_by
    stand_ins = list(review.stand_ins)
    roster = review.reviewers

    def delegate_of(email: str) -> Absence | None:
        absence = next((a for a in absences if same_person(a.person, email)), None)
        if absence is None or same_person(absence.delegate, submitter):
            return None
        return absence

    for seat in REVIEWER_SEATS:
        absence = delegate_of(getattr(roster, seat))
        if absence is None or any(same_person(absence.delegate, r) for r in roster.all()):
            continue
        roster = roster.with_seat(seat, absence.delegate)
        stand_ins.append(StandIn(absence.delegate, absence.person, absence.until))
    policy = review.policy
    if policy is not None:
        for stage in POLICY_STAGES:
            entry = policy.for_stage(stage)
            if entry is None:
                continue
            pool = list(entry.reviewers)
            for i, member in enumerate(pool):
                absence = delegate_of(member)
                if absence is None or any(same_person(absence.delegate, m) for m in pool):
                    continue
                pool[i] = absence.delegate
                stand_ins.append(StandIn(absence.delegate, absence.person, absence.until))
            policy = replace(policy, **{stage: replace(entry, reviewers=pool)})
    return replace(review, reviewers=roster, policy=policy, stand_ins=stand_ins)
