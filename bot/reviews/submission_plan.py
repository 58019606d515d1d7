"""Submitting a schema version from Slack: who may submit what (`plan_submission`).

Sending it is `bot.reviews.submit`: the `submit_schema_version` update, with start.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
)

from bot.reviews.lookup import (
    ExistingReview,
)
from bot.runtime.review_rules import ReviewRule
from bot.runtime.settings import Settings
from workflow.models import (
    SA_REVIEW_STATE,
    SA_SCHEMA_ID,
    SA_SUBMITTED_BY,
    STAGES,
    Reviewers,
    ReviewInput,
    ReviewStatus,
    Submission,
    same_person,
)
from workflow.review_input import new_review_refusal

log = logging.getLogger(__name__)


class SubmissionRefused(Exception):
    """A submission the review must not receive; the message says why, and `field` names the
    form field it is about ("schema_id", "version" or "reviewers"). `finishing`: the review
    refused it because its approval is finishing; the same submission starts the next review
    in a moment."""

    def __init__(self, message: str, field: str, *, finishing: bool = False) -> None:
        super().__init__(message)
        self.field = field
        self.finishing = finishing


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


def with_review_rule(review: ReviewInput, rule: ReviewRule | None) -> ReviewInput:
    """The input as the schema's rule in the policy file sets it: its roster (when it names
    one), pools, approvals and deadlines, breaking-change policy, and compatibility mode (unless
    the submission chose one). None: unchanged, the settings' defaults."""
    if rule is None:
        return review
    submission = review.submission
    if rule.compatibility_mode is not None and submission.compatibility_mode is None:
        submission = replace(submission, compatibility_mode=rule.compatibility_mode)
    return replace(
        review,
        submission=submission,
        reviewers=rule.reviewers or review.reviewers,
        policy=rule.policy if rule.policy is not None else review.policy,
        breaking_change_policy=rule.breaking_change_policy or review.breaking_change_policy,
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
    if existing is None or existing.status is None or existing.status.state == "withdrawn":
        # A withdrawn review leaves the schema free: it starts afresh, at any version.
        _check_new_review(review)
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
    _check_new_review(replace(review, owner=owner))
    return SubmissionPlan("restart_after_approval", previous_version=status.version, owner=owner)


def _check_new_review(review: ReviewInput) -> None:
    """Refuse here what the new review would refuse: sent with start, such a submission
    would start a run only for it to fail at once with the same reason."""
    _check_roster(review)
    if refused := new_review_refusal(review):
        raise SubmissionRefused(refused.message, "version")


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
