"""Submitting a schema version from Slack: who may submit what, then start or signal.

A new review is a plain start; a new version for a running review is a signal-with-start of
`submit_schema`, so that a review ending in the meantime does not lose the version.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Literal

from temporalio.client import Client
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from bot.review_lookup import (
    ANY_FAILURE,
    TEMPORAL_TIMEOUT,
    ExistingReview,
    TemporalUnavailable,
    check_unavailable,
    find_review,
)
from bot.settings import Settings
from workflow.models import (
    SA_REVIEW_STATE,
    SA_SCHEMA_ID,
    SA_SUBMITTED_BY,
    SIGNAL_SUBMIT_SCHEMA,
    STAGES,
    WORKFLOW_TYPE,
    Reviewers,
    ReviewInput,
    ReviewStatus,
    Submission,
    same_person,
    workflow_id_for,
)
from workflow.ui_metadata import start_details, start_summary

log = logging.getLogger(__name__)


class SubmissionRefused(Exception):
    """A submission the review must not receive; the message says why, and `field` names the
    form field it is about ("schema_id", "version" or "reviewers")."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


PlanKind = Literal["start", "new_version", "restart_after_approval"]


@dataclass(frozen=True)
class SubmissionPlan:
    kind: PlanKind
    previous_version: int | None = None
    # The schema's owner, kept by a new version or a new review after approval, whoever submits.
    owner: str | None = None


def review_input(submission: Submission, reviewers: Reviewers, settings: Settings) -> ReviewInput:
    """The workflow input of a submission made in Slack; the review channel and the reminder
    policy come from settings. A running review that receives a new version keeps its own:
    only the submission travels (see `_send`)."""
    return ReviewInput(
        submission=submission,
        reviewers=reviewers,
        review_channel=settings.slack_review_channel,
        reminders=settings.reminder_policy(),
    )


def is_admin(email: str, admins: Sequence[str]) -> bool:
    return any(same_person(email, admin) for admin in admins)


def review_owner(status: ReviewStatus) -> str:
    """Whose schema this is: who may change its review, with an admin. Reviews older than the
    owner field report none; their submitter is then the best answer."""
    return status.owner or status.submitted_by


def may_change_review(email: str, owner: str, admins: Sequence[str]) -> bool:
    """Who may change a running review (submit its next version, reassign its reviewers): its
    owner (see `review_owner`), or an admin."""
    return same_person(email, owner) or is_admin(email, admins)


def plan_submission(
    existing: ExistingReview | None, review: ReviewInput, admins: Sequence[str]
) -> SubmissionPlan:
    """Decide what a submission does, or raise SubmissionRefused saying why it may not."""
    submission = review.submission
    if existing is None or existing.status is None:
        _check_roster(review)
        return SubmissionPlan("start")
    status = existing.status
    schema = submission.schema_id
    owner = review_owner(status)
    if not may_change_review(submission.submitted_by, owner, admins):
        raise SubmissionRefused(
            f"{schema} was submitted by {owner}: only they or an admin may "
            "submit its next version. Ask them to submit it.",
            "schema_id",
        )
    if submission.version <= status.version:
        if existing.running:
            raise SubmissionRefused(
                f"{schema} is in review at version {status.version}: submit a version higher "
                f"than {status.version}, e.g. {status.version + 1}.",
                "version",
            )
        raise SubmissionRefused(
            f"Version {status.version} of {schema} was approved already; a new review needs a "
            f"version higher than {status.version}, e.g. {status.version + 1}.",
            "version",
        )
    if existing.running:
        # The running review keeps its reviewers: only the submission travels, and its
        # submitter must not be one of them.
        _check_not_reviewing(submission, status)
        return SubmissionPlan("new_version", previous_version=status.version, owner=owner)
    _check_roster(replace(review, owner=owner))
    return SubmissionPlan("restart_after_approval", previous_version=status.version, owner=owner)


def _check_roster(review: ReviewInput) -> None:
    submitted_by = review.submission.submitted_by
    problems = review.reviewers.problems(submitted_by)
    if review.owner and not same_person(review.owner, submitted_by):
        problems += [p for p in review.reviewers.problems(review.owner) if p not in problems]
    if problems:
        raise SubmissionRefused(
            "these reviewers cannot take the review: " + "; ".join(problems) + ".", "reviewers"
        )


def _check_not_reviewing(submission: Submission, status: ReviewStatus) -> None:
    seats = [
        s for s in STAGES if same_person(status.reviewers.for_stage(s), submission.submitted_by)
    ]
    if seats:
        raise SubmissionRefused(
            f"{submission.schema_id} is in review with {submission.submitted_by} as its"
            f" {' and '.join(seats)} reviewer, and the submitter may not review their own"
            f" schema: ask {review_owner(status)} or another admin to submit version"
            f" {submission.version}, or have your seat reassigned first.",
            "schema_id",
        )


def initial_search_attributes(review: ReviewInput) -> TypedSearchAttributes:
    """So that a review is listed from its first moment, before the workflow runs a task."""
    submission = review.submission
    owner = review.owner or submission.submitted_by
    return TypedSearchAttributes(
        [
            SearchAttributePair(SA_SCHEMA_ID, submission.schema_id),
            SearchAttributePair(SA_SUBMITTED_BY, owner.lower()),
            SearchAttributePair(SA_REVIEW_STATE, "uploading"),
        ]
    )


async def submit(
    client: Client,
    settings: Settings,
    review: ReviewInput,
    within: timedelta = TEMPORAL_TIMEOUT,
) -> SubmissionPlan:
    """Start the review, or hand the new version to the running one; raise SubmissionRefused
    or TemporalUnavailable when nothing was submitted."""
    submission = review.submission
    for attempt in range(2):
        existing = await find_review(client, submission.schema_id, within)
        plan = plan_submission(existing, review, settings.slack_admins)
        try:
            await _send(client, settings, review, plan, within)
            return plan
        except WorkflowAlreadyStartedError as error:
            # Someone started this schema's review since the check: decide again against it.
            if attempt:
                raise TemporalUnavailable() from error
        except ANY_FAILURE as error:
            check_unavailable(error)
            log.warning(
                "Could not submit %s v%s: %r", submission.schema_id, submission.version, error
            )
            raise TemporalUnavailable() from error
    raise AssertionError("unreachable")


async def _send(
    client: Client,
    settings: Settings,
    review: ReviewInput,
    plan: SubmissionPlan,
    within: timedelta,
) -> None:
    if plan.owner is not None:
        review = replace(review, owner=plan.owner)
    submission = review.submission
    options: dict[str, Any] = {}
    if plan.kind == "new_version":
        # Signal-with-start: should the review end in the meantime, this version starts the
        # next one instead of being lost.
        options = {
            "id_conflict_policy": WorkflowIDConflictPolicy.USE_EXISTING,
            "start_signal": SIGNAL_SUBMIT_SCHEMA,
            "start_signal_args": [submission],
        }
    else:
        # A plain start, so that the review's history does not open with its own version
        # "ignored as not higher"; a review started meanwhile raises WorkflowAlreadyStarted.
        options = {"id_conflict_policy": WorkflowIDConflictPolicy.FAIL}
    async with asyncio.timeout(within.total_seconds()):
        await client.start_workflow(
            WORKFLOW_TYPE,
            review,
            id=workflow_id_for(submission.schema_id),
            task_queue=settings.temporal_task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            search_attributes=initial_search_attributes(review),
            # What the Temporal UI lists the review as (see workflow.ui_metadata).
            static_summary=start_summary(submission),
            static_details=start_details(review),
            rpc_timeout=within,
            **options,
        )
