"""The Temporal side of withdrawing a review from Slack: who may, and the update.

Who may is the bot's rule (the owner or an admin, as for a new version: the workflow knows no
admins); whether the review can still be withdrawn is the workflow's, whose validator answers
with a sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from temporalio.client import Client

from bot.reviews.lookup import ExistingReview, TemporalUnavailable
from bot.reviews.submission_plan import may_change_review, review_owner
from bot.reviews.temporal_calls import ReviewCallFailed, call_review
from workflow.models import Withdrawal
from workflow.schema_approval import SchemaApprovalWorkflow

log = logging.getLogger(__name__)


REVIEW_GONE = "No review of this schema is running, so there is nothing to withdraw."


class WithdrawalRefused(Exception):
    """Nothing was withdrawn; `str(error)` says why."""


class WithdrawalUnconfirmed(Exception):
    """The update was sent but Temporal did not answer in time: the review may or may not
    have been withdrawn."""


def withdrawer_refusal(
    existing: ExistingReview | None, email: str, admins: Sequence[str]
) -> str | None:
    """Why `email` may not withdraw this schema's review now, or None when they may."""
    if existing is None or existing.status is None:
        return REVIEW_GONE
    status = existing.status
    if status.state == "withdrawn":
        return f"The review of {status.schema_id} has been withdrawn already."
    if not existing.running:
        return REVIEW_GONE
    if status.state == "approved":
        return f"The review of {status.schema_id} has finished, so it cannot be withdrawn."
    owner = review_owner(status)
    if not may_change_review(email, owner, admins):
        return (
            f"Only {owner}, who submitted {status.schema_id}, or an admin may withdraw its review."
        )
    return None


async def send_withdrawal(
    temporal: Client, workflow_id: str, request: Withdrawal, within: timedelta, update_id: str
) -> str:
    """The workflow's answer once withdrawn. Raises WithdrawalRefused with the workflow's
    reason, WithdrawalUnconfirmed when the update went out and no answer came in time, or
    TemporalUnavailable when it could not be sent. `update_id` names the form's submission,
    so sending the same submission again is the same withdrawal."""
    handle = temporal.get_workflow_handle(workflow_id)
    update = handle.execute_update(
        SchemaApprovalWorkflow.withdraw_review, request, id=update_id, rpc_timeout=within
    )
    try:
        return await call_review(update, within.total_seconds())
    except ReviewCallFailed as failure:
        if failure.fate == "refused":
            text = _sentence(failure.message) if failure.error_type is not None else ""
            raise WithdrawalRefused(text or "The review could not be withdrawn.") from None
        if failure.fate == "closed":
            raise WithdrawalRefused(REVIEW_GONE) from None
        if failure.fate == "unknown":
            raise WithdrawalUnconfirmed() from failure
        log.warning("Withdrawal of %s not sent: %s", workflow_id, failure)
        raise TemporalUnavailable() from failure


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
