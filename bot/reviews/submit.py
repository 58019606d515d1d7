"""Sending a submission made in Slack to Temporal, and learning what the review did with it.

The submission travels as the workflow's `submit_schema_version` update, with start
(update-with-start): the workflow's validator is the one authority on which versions a review
takes, and its answer says what happened: the review started with this version, took it as
the next one, or refused it (with the sentence the submitter sees). A new review is started
with the conflict policy FAIL, so that a review someone else started a moment ago is not
taken over: the submission is then planned again against it. A version for a running review
uses USE_EXISTING: should the review end in the meantime, the version starts the next one.

Each submission has an update id derived from the Slack request. When Temporal is slow the
submitter is told "being submitted", and `follow_up` asks for that update's outcome (or sends
it again, when it never arrived) until it is known, within `bot.reviews.follow_ups.FollowUpWindow`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from bot.reviews.away_client import absences_now, with_delegates
from bot.reviews.document_check import document_refusal
from bot.reviews.follow_ups import FollowUpWindow, request_update_id
from bot.reviews.lookup import (
    TEMPORAL_TIMEOUT,
    TemporalUnavailable,
    find_review,
)
from bot.reviews.submission_plan import (
    SubmissionPlan,
    SubmissionRefused,
    initial_search_attributes,
    plan_submission,
)
from bot.reviews.temporal_calls import ReviewCallFailed, call_review
from bot.runtime.settings import Settings
from workflow.models import (
    REVIEW_FINISHING,
    ReviewInput,
    SubmissionOutcome,
    workflow_id_for,
)
from workflow.schema_approval import SchemaApprovalWorkflow
from workflow.ui_metadata import start_details, start_summary

log = logging.getLogger(__name__)

# How long the first try waits for the workflow's answer before the submitter hears "being
# submitted": a new review's first workflow task, or a busy worker, can take seconds.
SUBMIT_TIMEOUT = timedelta(seconds=15)


@dataclass(frozen=True)
class Submitted:
    """What the bot planned, and what the review answered."""

    plan: SubmissionPlan
    outcome: SubmissionOutcome


class SubmissionPending(Exception):
    """Temporal did not answer in time; the update may yet be (or have been) taken."""

    def __init__(self, plan: SubmissionPlan) -> None:
        super().__init__("no answer yet")
        self.plan = plan


class SubmissionUnknown(Exception):
    """Temporal never said what became of the submission within the follow-up window;
    `restarting` when the window closed early because the process is stopping."""

    def __init__(self, *, restarting: bool = False) -> None:
        super().__init__("no answer")
        self.restarting = restarting


def submission_update_id(user_id: str, *request: str) -> str:
    """The update id of one Slack request (its trigger_id or view id): the same for a retry
    of the request, a different one for the next submission."""
    return request_update_id("submission", user_id, *request)


async def submit(
    client: Client,
    settings: Settings,
    review: ReviewInput,
    *,
    update_id: str | None = None,
    within: timedelta | None = None,
) -> Submitted:
    """Submit and return what the review did; raise SubmissionRefused (the review, or the
    bot's own rules, said no), TemporalUnavailable (nothing was sent, or Temporal refused the
    call), or SubmissionPending (sent, no answer in time: `follow_up`)."""
    submission = review.submission
    within = within or SUBMIT_TIMEOUT
    # People away: their delegates take their places in a review that starts now.
    review = with_delegates(review, await absences_now(client, settings))
    for attempt in range(2):
        existing = await find_review(client, submission.schema_id, TEMPORAL_TIMEOUT)
        plan = plan_submission(existing, review, settings.slack_admins)
        # The document is fetched and checked before anything is sent
        # (`bot.reviews.document_check`).
        if reason := await document_refusal(settings, review, existing):
            raise SubmissionRefused(reason, "content_uri")
        try:
            outcome = await _send(client, settings, review, plan, within, update_id)
            return Submitted(plan, outcome)
        except WorkflowAlreadyStartedError as error:
            # Someone started this schema's review since the check: decide again against it.
            if attempt:
                raise TemporalUnavailable() from error
        except ReviewCallFailed as failure:
            if failure.fate == "refused":
                raise _refusal(failure) from None
            if failure.fate == "unknown":
                log.warning("Submission of %s not answered: %s", submission.schema_id, failure)
                raise SubmissionPending(plan) from failure
            log.warning(
                "Could not submit %s v%s: %s", submission.schema_id, submission.version, failure
            )
            raise TemporalUnavailable() from failure
    raise AssertionError("unreachable")


async def follow_up(
    client: Client,
    settings: Settings,
    review: ReviewInput,
    plan: SubmissionPlan,
    update_id: str,
) -> Submitted:
    """The outcome of a submission that was not answered in time: asked by its update id, or,
    when Temporal has no such update (it never arrived), submitted again with the same id.
    Raises what `submit` raises, or SubmissionUnknown once the window closes."""
    window = FollowUpWindow()
    workflow_id = workflow_id_for(review.submission.schema_id)
    while (left := window.left()) > 0:
        wait = min(SUBMIT_TIMEOUT.total_seconds(), left)
        handle = client.get_workflow_handle(workflow_id).get_update_handle(
            update_id, result_type=SubmissionOutcome
        )
        try:
            return Submitted(plan, await call_review(handle.result(), wait))
        except ReviewCallFailed as failure:
            if failure.fate == "refused":
                raise _refusal(failure) from None
            if failure.fate == "closed":
                try:
                    return await submit(
                        client,
                        settings,
                        review,
                        update_id=update_id,
                        within=timedelta(seconds=wait),
                    )
                except (SubmissionPending, TemporalUnavailable):
                    pass
            else:
                log.info("Submission %s still without an answer: %s", update_id, failure)
        await window.pause()
    raise SubmissionUnknown(restarting=window.cut_by_drain)


def _refusal(failure: ReviewCallFailed) -> SubmissionRefused:
    finishing = failure.error_type == REVIEW_FINISHING
    return SubmissionRefused(failure.message, "version", finishing=finishing)


async def _send(
    client: Client,
    settings: Settings,
    review: ReviewInput,
    plan: SubmissionPlan,
    within: timedelta,
    update_id: str | None,
) -> SubmissionOutcome:
    if plan.owner is not None:
        review = replace(review, owner=plan.owner)
    submission = review.submission
    # A version for a running review: should it end meanwhile, the version starts the next.
    # A new review: a review started meanwhile raises WorkflowAlreadyStarted, and is planned
    # against (its owner, its version) rather than taken over.
    policy = (
        WorkflowIDConflictPolicy.USE_EXISTING
        if plan.kind == "new_version"
        else WorkflowIDConflictPolicy.FAIL
    )
    start = WithStartWorkflowOperation(
        SchemaApprovalWorkflow.run,
        review,
        id=workflow_id_for(submission.schema_id),
        task_queue=settings.temporal_task_queue,
        id_conflict_policy=policy,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        search_attributes=initial_search_attributes(review),
        # What the Temporal UI lists the review as (see workflow.ui_metadata).
        static_summary=start_summary(submission),
        static_details=start_details(review),
    )
    update = client.execute_update_with_start_workflow(
        SchemaApprovalWorkflow.submit_schema_version,
        submission,
        start_workflow_operation=start,
        id=update_id,
        rpc_timeout=within,
    )
    try:
        return await call_review(update, within.total_seconds())
    finally:
        await _settle(start)


async def _settle(start: WithStartWorkflowOperation[Any, Any]) -> None:
    """The start operation keeps a failed start for `workflow_handle()`, which nobody here
    needs (the update's own answer says what happened): take it when it is there, so that
    asyncio does not report it as never retrieved; never wait for it."""
    try:
        # A timeout of 0 expires at the first wait: a start already settled is read at once.
        async with asyncio.timeout(0):
            await start.workflow_handle()
    except TimeoutError:
        pass
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
    except Exception as error:
        log.debug("A submission's start did not happen: %r", error)
