"""The Temporal side of withdrawing a review from Slack: who may, and the update.

Who may is the bot's rule (the owner or an admin, as for a new version: the workflow knows no
admins); whether the review can still be withdrawn is the workflow's, whose validator answers
with a sentence.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta

from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from bot.reviews.follow_ups import OUTCOME_UNKNOWN
from bot.reviews.lookup import ANY_FAILURE, ExistingReview, TemporalUnavailable, check_unavailable
from bot.reviews.submission_plan import may_change_review, review_owner
from workflow.models import UPDATE_WITHDRAW, Withdrawal

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
    try:
        async with asyncio.timeout(within.total_seconds()):
            return await handle.execute_update(
                UPDATE_WITHDRAW, request, id=update_id, result_type=str, rpc_timeout=within
            )
    except WorkflowUpdateFailedError as error:
        cause = error.cause
        if isinstance(cause, ApplicationError):
            raise WithdrawalRefused(_sentence(cause.message)) from None
        raise WithdrawalRefused("The review could not be withdrawn.") from None
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError) as error:
        raise WithdrawalUnconfirmed() from error
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise WithdrawalRefused(REVIEW_GONE) from None
        if error.status in OUTCOME_UNKNOWN:
            raise WithdrawalUnconfirmed() from error
        log.warning("Withdrawal of %s not sent: %r", workflow_id, error)
        raise TemporalUnavailable() from error
    except ANY_FAILURE as error:
        check_unavailable(error)
        log.warning("Withdrawal of %s not sent: %r", workflow_id, error)
        raise TemporalUnavailable() from error


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
