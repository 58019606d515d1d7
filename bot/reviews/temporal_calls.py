"""What a failed call to the review workflow means, decided in one place.

Every send of the bot (a decision's signal and update, a submission's update-with-start, a
reassignment, a withdrawal, a status query) ends in one of four fates, and the callers turn
each into their own sentence:

- `refused`: the workflow said no (an update's validator or handler raised); its message is
  written for a person and shown as it is.
- `closed`: there is no running review with that id (Temporal's NOT_FOUND).
- `unknown`: the call went out but no answer came in time (a timeout, Temporal cancelling the
  wait, or an RPC status after which the update may still run): ask again with the same id.
- `unreachable`: Temporal could not be reached, or answered with any other error (no
  permission, an expired API key, rate limits spent): nothing was changed.

A programming error that merely shares a type with a failed connection (`RuntimeError`) is
raised as it is, never turned into "Temporal is unreachable".
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Literal, TypeVar

from temporalio.client import (
    WorkflowQueryFailedError,
    WorkflowQueryRejectedError,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.exceptions import ApplicationError, FailureError
from temporalio.service import RPCError, RPCStatusCode

T = TypeVar("T")

Fate = Literal["refused", "closed", "unknown", "unreachable"]

# After these statuses an update that went out may still run: its outcome is unknown, not
# refused. DEADLINE_EXCEEDED and CANCELLED: the wait ended first; UNKNOWN, INTERNAL and
# UNAVAILABLE: the connection failed after the request may have been delivered.
OUTCOME_UNKNOWN = frozenset(
    {
        RPCStatusCode.DEADLINE_EXCEEDED,
        RPCStatusCode.CANCELLED,
        RPCStatusCode.UNKNOWN,
        RPCStatusCode.INTERNAL,
        RPCStatusCode.UNAVAILABLE,
    }
)

# A lazily connected client reports a refused connection as a RuntimeError on first use,
# with this text; any other RuntimeError is a bug.
_CONNECT_FAILED = "Failed client connect"


@dataclass
class ReviewCallFailed(Exception):
    """A call to the review workflow that did not give its answer; `fate` says why."""

    fate: Fate
    # The workflow's own words (`refused`); `error_type` is the type of the ApplicationError it
    # raised ("" when untyped), None when the refusal was not one.
    message: str = ""
    error_type: str | None = None

    def __str__(self) -> str:
        return self.message or self.fate


def is_connect_failure(error: BaseException) -> bool:
    return isinstance(error, RuntimeError) and str(error).startswith(_CONNECT_FAILED)


def failure_of(error: BaseException) -> ReviewCallFailed | None:
    """The fate of a call that raised `error`; None when `error` is not Temporal's (a bug)."""
    if isinstance(error, WorkflowUpdateFailedError):
        cause = error.cause
        if isinstance(cause, ApplicationError):
            return ReviewCallFailed("refused", cause.message, cause.type or "")
        if isinstance(cause, FailureError):
            return ReviewCallFailed("refused", cause.message)
        return ReviewCallFailed("refused", str(cause))
    if isinstance(error, RPCError):
        if error.status == RPCStatusCode.NOT_FOUND:
            return ReviewCallFailed("closed")
        if error.status in OUTCOME_UNKNOWN:
            return ReviewCallFailed("unknown", error.message)
        return ReviewCallFailed("unreachable", f"{error.status.name}: {error.message}")
    if isinstance(error, TimeoutError | WorkflowUpdateRPCTimeoutOrCancelledError):
        return ReviewCallFailed("unknown", repr(error))
    if isinstance(error, WorkflowQueryRejectedError | WorkflowQueryFailedError):
        return ReviewCallFailed("unreachable", repr(error))
    if isinstance(error, ConnectionError) or is_connect_failure(error):
        return ReviewCallFailed("unreachable", repr(error))
    return None


async def call_review(call: Awaitable[T], within_seconds: float) -> T:
    """`call`'s answer, bounded by `within_seconds` (also a lazy client's connect); raises
    ReviewCallFailed with its fate, or the error itself when it is a bug."""
    try:
        async with asyncio.timeout(within_seconds):
            return await call
    except Exception as error:
        failure = failure_of(error)
        if failure is None:
            raise
        raise failure from error
