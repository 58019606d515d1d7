"""The Temporal side of a reviewer's click: send the decision, say what became of it.

The decision goes to the workflow as the `decide_review` update, so the reviewer learns at once
whether it counted. The workflow's validator is the one authority on who may decide what; this
module only turns its answer (or Temporal's silence) into a sentence for the reviewer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.exceptions import FailureError
from temporalio.service import RPCError, RPCStatusCode

from workflow.models import UPDATE_DECIDE, DecisionOutcome, ReviewDecision

log = logging.getLogger(__name__)

# The reviewer already has Slack's ack; this bounds how long they wait for an answer when
# Temporal is slow or gone, so that they are told within seconds rather than never.
DECISION_TIMEOUT_SECONDS = 5.0

REVIEW_CLOSED = (
    "This review is closed: it has finished or no longer exists, so no decision can be recorded "
    "on it. Use /schema-status to see where the schema stands."
)
SERVICE_UNREACHABLE = (
    "Your decision was NOT recorded: the review service is unreachable right now. "
    "Please try again in a minute."
)
SERVICE_SLOW = (
    "The review service did not answer in time, so your decision may not have been recorded. "
    "In a minute, check the review message: if its buttons are still there, click again."
)

# Answers after which the update may still have reached the workflow: the reviewer is told to
# look before clicking again, rather than that nothing was recorded.
_OUTCOME_UNKNOWN = frozenset(
    {
        RPCStatusCode.DEADLINE_EXCEEDED,
        RPCStatusCode.CANCELLED,
        RPCStatusCode.UNKNOWN,
        RPCStatusCode.INTERNAL,
    }
)


@dataclass(frozen=True)
class DecisionReply:
    """What became of a decision; `message` is a sentence for the reviewer."""

    accepted: bool
    message: str


async def record_decision(
    temporal: Client,
    workflow_id: str,
    decision: ReviewDecision,
    *,
    timeout_seconds: float | None = None,
) -> DecisionReply:
    handle = temporal.get_workflow_handle(workflow_id)
    try:
        async with asyncio.timeout(timeout_seconds or DECISION_TIMEOUT_SECONDS):
            outcome = await handle.execute_update(
                UPDATE_DECIDE, decision, result_type=DecisionOutcome
            )
    except WorkflowUpdateFailedError as error:
        # The validator (or handler) refused; the workflow writes its reason for a person.
        return DecisionReply(False, _failure_message(error.cause))
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return DecisionReply(False, REVIEW_CLOSED)
        log.warning(
            "Decision on %s not recorded: Temporal answered %s: %s",
            workflow_id,
            error.status.name,
            error.message,
        )
        # Any other answer (no permission, an expired API key, rate limits spent…) is still
        # Temporal saying no: the reviewer must hear that the click did not count.
        if error.status in _OUTCOME_UNKNOWN:
            return DecisionReply(False, SERVICE_SLOW)
        return DecisionReply(False, SERVICE_UNREACHABLE)
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError) as error:
        log.warning("Decision on %s not confirmed in time: %r", workflow_id, error)
        return DecisionReply(False, SERVICE_SLOW)
    except ConnectionError as error:
        log.warning("Decision on %s not recorded: %r", workflow_id, error)
        return DecisionReply(False, SERVICE_UNREACHABLE)
    except RuntimeError as error:
        # A lazily connected client reports a refused connection this way on first use.
        if str(error).startswith("Failed client connect"):
            log.warning("Decision on %s not recorded: %s", workflow_id, error)
            return DecisionReply(False, SERVICE_UNREACHABLE)
        raise
    return DecisionReply(outcome.accepted, outcome.message)


def _failure_message(cause: BaseException) -> str:
    if isinstance(cause, FailureError) and cause.message:
        return cause.message
    return str(cause) or "The review did not accept this decision."
