"""How the workflow calls its activities: timeouts, retries, and what a failure means.

The activities themselves (names, inputs, results) are the stubs in `workflow.activity_contract`;
the workflow calls those with one of the option sets here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, TimeoutError

T = TypeVar("T")

# The key, in the details of a `dispatch_review_request` failure, of the direct message it had
# delivered before the review channel's copy failed (`{"channel": …, "ts": …}`).
DELIVERED_DM = "delivered_dm"

# The `ApplicationError` types `upload_schema` raises for failures of the document itself:
# retrying cannot help, the submitter must send a new version. `schemas.error_kinds`
# raises them under these names.
SCHEMA_NOT_FOUND = "SchemaNotFound"
SCHEMA_TOO_LARGE = "SchemaTooLarge"
# Not JSON, or JSON that is not a schema this reader can read.
SCHEMA_NOT_PARSEABLE = "SchemaNotParseable"
SCHEMA_ADDRESS_FORBIDDEN = "SchemaAddressForbidden"
SCHEMA_URI_INVALID = "SchemaUriInvalid"
# The store already holds an approved, different document under this version number (a new
# review for a schema that restarted its numbering).
SCHEMA_VERSION_CONFLICT = "SchemaVersionConflict"
# The `ApplicationError` types `finalize_review` raises when the reviewers approved a version
# that the schema store could not mark approved (it lacks the version, holds another document
# under it, or the worker has no store). Their messages complete "Version N was approved, but …".
SCHEMA_NOT_APPROVABLE = "SchemaNotApprovable"
SCHEMA_STORE_MISSING = "SchemaStoreMissing"
UNRECORDED_APPROVAL_ERRORS = (SCHEMA_NOT_APPROVABLE, SCHEMA_STORE_MISSING)
PERMANENT_UPLOAD_ERRORS = (
    SCHEMA_NOT_FOUND,
    SCHEMA_TOO_LARGE,
    SCHEMA_NOT_PARSEABLE,
    SCHEMA_ADDRESS_FORBIDDEN,
    SCHEMA_URI_INVALID,
    SCHEMA_VERSION_CONFLICT,
)

# Transient fetch failures (5xx, timeouts) are retried with backoff for a quarter of an hour;
# a document host that stays down longer than that is reported to the submitter.
# The bot's fetch timeout setting must fit in one attempt (`bot.runtime.settings`).
UPLOAD_ATTEMPT_TIMEOUT = timedelta(minutes=1)
UPLOAD_OPTIONS: workflow.ActivityConfig = {
    "start_to_close_timeout": UPLOAD_ATTEMPT_TIMEOUT,
    "heartbeat_timeout": timedelta(seconds=10),
    "schedule_to_close_timeout": timedelta(minutes=15),
    "retry_policy": RetryPolicy(
        initial_interval=timedelta(seconds=1),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(seconds=30),
        non_retryable_error_types=list(PERMANENT_UPLOAD_ERRORS),
    ),
}

# Slack calls ride out an outage of up to an hour, in at most 40 attempts. Clear permanent
# errors (an unknown user, a revoked token) are raised non-retryable by the activities and end
# up in the status history; the review goes on, since every decision can also be recorded with
# the CLI signal. Within one attempt slack_sdk retries only what Slack did not act on (429) or
# what is safe to repeat; a post is repeated only by a new attempt, which first looks for it
# in Slack (see `activities.slack_posting`). The activities heartbeat, so a killed worker's
# attempt is retried after the heartbeat timeout, and a cancelled one (a reminder whose stage
# was decided) learns of it before it posts.
SLACK_OPTIONS: workflow.ActivityConfig = {
    "start_to_close_timeout": timedelta(seconds=30),
    "heartbeat_timeout": timedelta(seconds=10),
    "schedule_to_close_timeout": timedelta(hours=1),
    "retry_policy": RetryPolicy(
        initial_interval=timedelta(seconds=1),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(minutes=2),
        maximum_attempts=40,
    ),
}


# A reminder is worth less the later it comes, and the next one is already scheduled: give up
# after a quarter of an hour instead of SLACK_OPTIONS' hour.
REMINDER_OPTIONS: workflow.ActivityConfig = {
    **SLACK_OPTIONS,
    "schedule_to_close_timeout": timedelta(minutes=15),
}


def failure_reason(error: ActivityError) -> str:
    """The activity failure as a sentence fragment for the history or the submitter."""
    cause = error.cause
    if isinstance(cause, ApplicationError):
        return cause.message
    if isinstance(cause, TimeoutError):
        return "it did not finish in time"
    return str(cause or error)


def failure_type(error: ActivityError) -> str:
    """The failure's kind: the application error's type, "Timeout", or "" when unknown."""
    cause = error.cause
    if isinstance(cause, ApplicationError):
        return cause.type or ""
    if isinstance(cause, TimeoutError):
        return "Timeout"
    return ""


def delivered_dm(error: ActivityError) -> dict[str, str] | None:
    """The direct message a failed `dispatch_review_request` had delivered before its review
    channel copy failed, as `{"channel": …, "ts": …}`; None when it says of none."""
    cause = error.cause
    if not isinstance(cause, ApplicationError) or not cause.details:
        return None
    detail = cause.details[0]
    found = detail.get(DELIVERED_DM) if isinstance(detail, dict) else None
    if not isinstance(found, dict) or not found.get("channel") or not found.get("ts"):
        return None
    return {"channel": str(found["channel"]), "ts": str(found["ts"])}


def is_permanent_upload_failure(error: ActivityError) -> bool:
    """A failure of the document itself, as opposed to retries that ran out."""
    cause = error.cause
    return isinstance(cause, ApplicationError) and (
        cause.type in PERMANENT_UPLOAD_ERRORS or cause.non_retryable
    )


async def unless_interrupted(
    handle: workflow.ActivityHandle[T], interrupted: Callable[[], bool]
) -> T | None:
    """The activity's result, or None once `interrupted()` holds first (the activity is then
    cancelled). Failures of the activity are raised as ActivityError."""
    await workflow.wait_condition(lambda: handle.done() or interrupted())
    if handle.done():
        return handle.result()
    handle.cancel()
    # Let the cancellation settle so no failed activity is left unobserved.
    await workflow.wait([handle])
    if not handle.cancelled():
        handle.exception()
    return None
