"""The Temporal side of break glass from Slack: who may (an admin: the workflow knows no
admins), and the `override_review` update, whose validator answers with a sentence when the
review cannot be approved now."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from temporalio.client import Client

from bot.reviews.lookup import ExistingReview, TemporalUnavailable
from bot.reviews.submission_plan import is_admin
from bot.reviews.temporal_calls import ReviewCallFailed, call_review
from workflow.policy_contract import ReviewOverride
from workflow.schema_approval import SchemaApprovalWorkflow

log = logging.getLogger(__name__)

NOTHING_TO_OVERRIDE = "No review of this schema is running, so there is nothing to approve."
ADMINS_ONLY = (
    "Only an admin (SLACK_ADMINS) may approve a review by override. Ask one of them, or ask"
    " its reviewers to decide."
)


class OverrideRefused(Exception):
    """Nothing was approved; `str(error)` says why."""


class OverrideUnconfirmed(Exception):
    """The update was sent but Temporal did not answer in time: it may or may not have
    landed."""


def overrider_refusal(
    existing: ExistingReview | None, email: str, admins: Sequence[str]
) -> str | None:
    """Why `email` may not override this schema's review now, or None when they may."""
    if not is_admin(email, admins):
        return ADMINS_ONLY
    if existing is None or existing.status is None or not existing.running:
        return NOTHING_TO_OVERRIDE
    if existing.status.state != "awaiting_review":
        return (
            f"The review of {existing.status.schema_id} waits for no reviewer now, so there is"
            " nothing to approve by override. See /schema-status for where it stands."
        )
    return None


async def send_override(
    temporal: Client,
    workflow_id: str,
    request: ReviewOverride,
    within: timedelta,
    update_id: str,
) -> str:
    """The workflow's sentence once approved. Raises OverrideRefused with the workflow's reason,
    OverrideUnconfirmed when the update went out and no answer came in time, or
    TemporalUnavailable when it could not be sent. `update_id` names the form's submission, so
    the same submission sent again is the same override."""
    handle = temporal.get_workflow_handle(workflow_id)
    update = handle.execute_update(
        SchemaApprovalWorkflow.override_review, request, id=update_id, rpc_timeout=within
    )
    try:
        return await call_review(update, within.total_seconds())
    except ReviewCallFailed as failure:
        if failure.fate == "refused":
            raise OverrideRefused(failure.message or "The review refused the override.") from None
        if failure.fate == "closed":
            raise OverrideRefused(NOTHING_TO_OVERRIDE) from None
        if failure.fate == "unknown":
            raise OverrideUnconfirmed() from failure
        log.warning("Override of %s not sent: %s", workflow_id, failure)
        raise TemporalUnavailable() from failure
