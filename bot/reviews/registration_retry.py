"""The Temporal side of "Retry registration": who may ask, and the `retry_registration` update.

Who may is the bot's rule (the owner or an admin, as for a withdrawal: the workflow knows no
admins); whether there is a registration to retry is the workflow's, whose validator answers
with a sentence. The update answers once the registry did (about a minute at most), with
what came of it: registered, or still not and why.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from datetime import timedelta
from typing import cast

from temporalio.client import Client

from bot.reviews.lookup import ExistingReview, TemporalUnavailable
from bot.reviews.submission_plan import may_change_review, review_owner
from bot.reviews.temporal_calls import ReviewCallFailed, call_review
from workflow.models import RegistrationRetry
from workflow.schema_approval import SchemaApprovalWorkflow

log = logging.getLogger(__name__)

NOTHING_TO_RETRY = "No review of this schema is running, so there is no registration to retry."
# Longer than the workflow's own minute of attempts, so its answer is the one the clicker gets.
RETRY_ANSWER_WITHIN = timedelta(seconds=90)


class RegistrationRetryRefused(Exception):
    """Nothing was retried; `str(error)` says why."""


class RegistrationRetryUnconfirmed(Exception):
    """The update was sent but no answer came in time: the registration may be under way."""


def retrier_refusal(
    existing: ExistingReview | None, email: str, admins: Sequence[str]
) -> str | None:
    """Why `email` may not retry this schema's registration now, or None when they may."""
    if existing is None or existing.status is None or not existing.running:
        return NOTHING_TO_RETRY
    status = existing.status
    if status.state != "approved_not_registered":
        return (
            f"Version {status.version} of {status.schema_id} has no registration to retry: only"
            " an approved version the schema registry did not take can be retried."
        )
    owner = review_owner(status)
    if not may_change_review(email, owner, admins):
        return (
            f"Only {owner}, who submitted {status.schema_id}, or an admin may retry its"
            " registration."
        )
    return None


async def send_registration_retry(
    temporal: Client, workflow_id: str, request: RegistrationRetry, update_id: str
) -> str:
    """The workflow's answer: registered, or still not and why. Raises RegistrationRetryRefused
    with the workflow's reason, RegistrationRetryUnconfirmed when no answer came in time, or
    TemporalUnavailable when it could not be sent. `update_id` names the click, so a retried
    delivery of the same click is the same request."""
    handle = temporal.get_workflow_handle(workflow_id)
    # temporalio types an async update method's result as its coroutine; Temporal answers with
    # what the coroutine returns (str).
    update = cast(
        "Awaitable[str]",
        handle.execute_update(
            SchemaApprovalWorkflow.retry_registration,
            request,
            id=update_id,
            rpc_timeout=RETRY_ANSWER_WITHIN,
        ),
    )
    try:
        return await call_review(update, RETRY_ANSWER_WITHIN.total_seconds())
    except ReviewCallFailed as failure:
        if failure.fate == "refused":
            text = failure.message if failure.error_type is not None else ""
            raise RegistrationRetryRefused(text or "The registration was not retried.") from None
        if failure.fate == "closed":
            raise RegistrationRetryRefused(NOTHING_TO_RETRY) from None
        if failure.fate == "unknown":
            raise RegistrationRetryUnconfirmed() from failure
        log.warning("Registration retry of %s not sent: %s", workflow_id, failure)
        raise TemporalUnavailable() from failure
