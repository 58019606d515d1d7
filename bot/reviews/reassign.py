"""The Temporal side of reassigning a reviewer from Slack: who may ask, the update, and what
became of it.

Who may ask is the bot's rule (the submitter or an admin, as for a new version: the workflow
knows no admins); whether the seat may change hands is the workflow's, whose validator answers
with a sentence and the part of the request it is about.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Literal

from temporalio.client import Client

from bot.reviews.lookup import ExistingReview, TemporalUnavailable
from bot.reviews.submission_plan import may_change_review, review_owner
from bot.reviews.temporal_calls import ReviewCallFailed, call_review
from workflow.models import (
    REASSIGNMENT_REVIEWER_REFUSED,
    Reassignment,
    ReassignmentOutcome,
)
from workflow.schema_approval import SchemaApprovalWorkflow

log = logging.getLogger(__name__)

# Which part of the request a refusal is about: the seat (or the review as a whole), or the
# person picked for it.
RefusedPart = Literal["seat", "reviewer"]

REVIEW_FINISHED = (
    "This review has finished, so its reviewers can no longer change. Use /schema-status to"
    " see where the schema stands."
)


class ReassignmentRefused(Exception):
    """The seat did not change hands; `str(error)` says why, `part` where to show it."""

    def __init__(self, message: str, part: RefusedPart) -> None:
        super().__init__(message)
        self.part = part


class ReassignmentUnconfirmed(Exception):
    """The update was sent but Temporal did not answer in time: it may or may not have
    landed."""


def requester_refusal(
    existing: ExistingReview | None, email: str, admins: Sequence[str]
) -> str | None:
    """Why `email` may not reassign this schema's reviewers now, or None when they may."""
    if existing is None or existing.status is None:
        return "No review of this schema is running, so there is no reviewer to reassign."
    status = existing.status
    if not existing.running or status.state == "approved":
        return REVIEW_FINISHED
    owner = review_owner(status)
    if not may_change_review(email, owner, admins):
        return (
            f"Only {owner}, who submitted {status.schema_id}, or an admin may"
            " reassign its reviewers."
        )
    return None


async def send_reassignment(
    temporal: Client,
    workflow_id: str,
    request: Reassignment,
    within: timedelta,
    update_id: str,
) -> ReassignmentOutcome:
    """The workflow's answer once the seat changed hands. Raises ReassignmentRefused,
    ReassignmentUnconfirmed, or TemporalUnavailable (nothing was sent). `update_id` names the
    form's submission, so sending the same submission again is the same reassignment."""
    handle = temporal.get_workflow_handle(workflow_id)
    update = handle.execute_update(
        SchemaApprovalWorkflow.reassign_reviewer, request, id=update_id, rpc_timeout=within
    )
    try:
        return await call_review(update, within.total_seconds())
    except ReviewCallFailed as failure:
        if failure.fate == "refused":
            if failure.error_type is None or not failure.message:
                raise ReassignmentRefused("The review refused this change.", "seat") from None
            part: RefusedPart = (
                "reviewer" if failure.error_type == REASSIGNMENT_REVIEWER_REFUSED else "seat"
            )
            raise ReassignmentRefused(failure.message, part) from None
        if failure.fate == "closed":
            raise ReassignmentRefused(REVIEW_FINISHED, "seat") from None
        if failure.fate == "unknown":
            raise ReassignmentUnconfirmed() from failure
        log.warning("Reassignment not sent to %s: %s", workflow_id, failure)
        raise TemporalUnavailable() from failure
