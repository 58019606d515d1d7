"""Registering an approved version in the schema registry, before anyone is told of the approval.

A first registration is retried for about a minute. When the registry cannot take it now
(unreachable, or refusing the worker's credentials) the approval stands: the owner and the
review channel are told once that registration is pending and why, and it is retried, at most
five minutes apart, until `RegistryView.retry_hours` after the approval. When the registry
refuses it for good (or the retries run out) the review stays open, `approved_not_registered`,
until the `retry_registration` update registers it again (once) or the review is withdrawn.
One registration is scheduled at a time, and the activity looks the version up before it
registers, so a version is registered once (docs/workflow.md, "The schema registry").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Literal

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, TemporalError

from workflow.activity_calls import SLACK_OPTIONS, failure_reason
from workflow.activity_contract import notify_registration, register_approved_schema
from workflow.activity_payloads import RegistrationNotice
from workflow.models import (
    EMAIL_PATTERN,
    Registration,
    RegistrationRequest,
    RegistrationRetry,
    RegistryView,
    UploadResult,
)
from workflow.registry_contract import PERMANENT_REGISTRY_ERRORS, REGISTRY_UNAUTHORIZED
from workflow.review_record import ReviewRecord
from workflow.slack_outbox import SlackOutbox

# The first registration, and each one an admin asks for: a registry that is merely slow or
# restarting takes it within the minute, and the approval is announced without a detour.
PROMPT_REGISTRATION: workflow.ActivityConfig = {
    "start_to_close_timeout": timedelta(seconds=20),
    "schedule_to_close_timeout": timedelta(minutes=1),
    "retry_policy": RetryPolicy(
        initial_interval=timedelta(seconds=1),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(seconds=10),
        non_retryable_error_types=list(PERMANENT_REGISTRY_ERRORS),
    ),
}
# Attempts of a pending registration come at most this far apart.
PATIENT_RETRY_INTERVAL = timedelta(minutes=5)


def patient_registration(remaining: timedelta) -> workflow.ActivityConfig:
    """Retries until `remaining` from now is spent (the rest of `retry_hours`)."""
    return {
        "start_to_close_timeout": timedelta(minutes=1),
        "schedule_to_close_timeout": remaining,
        "retry_policy": RetryPolicy(
            initial_interval=timedelta(seconds=10),
            backoff_coefficient=2.0,
            maximum_interval=PATIENT_RETRY_INTERVAL,
            non_retryable_error_types=list(PERMANENT_REGISTRY_ERRORS),
        ),
    }


class RegistryRefusal:
    """Why a registration did not happen: the registry's words, and whether to keep trying."""

    def __init__(self, error: ActivityError) -> None:
        cause: BaseException | None = error.cause
        # A schedule-to-close timeout carries the last attempt's failure as its cause.
        while cause is not None and not isinstance(cause, ApplicationError):
            cause = cause.cause if isinstance(cause, TemporalError) else None
        self.error_type = cause.type or "" if isinstance(cause, ApplicationError) else ""
        words = cause.message if isinstance(cause, ApplicationError) else failure_reason(error)
        if not isinstance(cause, ApplicationError) and words == "it did not finish in time":
            words = "the schema registry did not answer in time"
        self.permanent = self.error_type in PERMANENT_REGISTRY_ERRORS
        if self.error_type == REGISTRY_UNAUTHORIZED:
            # An operator fixes this one, not the owner: say where.
            words = (
                f"{words.rstrip('.')}. Check the schema registry credentials in the worker's"
                " settings (SCHEMA_REGISTRY_*)."
            )
        self.words = words if words.endswith(".") else words + "."


def registration_request(record: ReviewRecord, upload: UploadResult) -> RegistrationRequest:
    registry = _registry(upload)
    submission = record.submission
    mode = submission.compatibility_mode
    return RegistrationRequest(
        workflow_id=workflow.info().workflow_id,
        schema_id=submission.schema_id,
        version=upload.version,
        digest=upload.digest,
        content_uri=submission.content_uri,
        subject=registry.subject,
        schema_type=registry.schema_type,
        document=registry.document,
        references=list(submission.references),
        # The review approved a level other than the subject's: the subject takes it now.
        set_compatibility=mode if mode and mode != registry.compatibility_level else None,
    )


def registration_retry_refusal(request: RegistrationRetry, record: ReviewRecord) -> str | None:
    """Why `retry_registration` is refused (a sentence for whoever asked), or None."""
    if not isinstance(request.requested_by, str) or not EMAIL_PATTERN.match(request.requested_by):
        return f"requested_by must be an email address, not {request.requested_by!r}."
    if record.state == "approved_not_registered":
        return None
    schema, version = record.submission.schema_id, record.version
    if record.registration is not None:
        held = record.registration
        return (
            f"Version {version} of {schema} is already registered as {held.subject} version"
            f" {held.version} (id {held.id}); there is nothing to retry."
        )
    if record.state == "approved" and record.registry_problem is not None:
        return (
            f"Version {version} of {schema} is being registered again already"
            f" ({record.registry_problem.rstrip('.')}); its status says when it is registered."
        )
    return (
        f"The review of {schema} has no registration to retry: only a review approved but not"
        f" registered (approved_not_registered) can be retried, and this one is {record.state}."
    )


async def retried_registration(
    record: ReviewRecord, request: RegistrationRetry, publish: Callable[[], None]
) -> str:
    """The `retry_registration` update, once accepted: hands the request to the waiting
    review (`ApprovalRegistration.until_registered`) and answers with what became of it."""
    record.registration_retry, record.registration_retry_answer = request, None
    # No longer `approved_not_registered`: a second request is refused while this one runs.
    record.state = "approved"
    record.registry_problem = f"Registering again, as {request.requested_by} asked."
    record.note(
        f"{request.requested_by} asked to register version {record.version} again.",
        "registration_retry_asked",
    )
    publish()
    await workflow.wait_condition(lambda: record.registration_retry_answer is not None)
    answer, record.registration_retry_answer = record.registration_retry_answer, None
    return answer or ""


class ApprovalRegistration:
    """Registers one approved upload; `publish` keeps the search attributes in step."""

    def __init__(
        self,
        record: ReviewRecord,
        outbox: SlackOutbox,
        upload: UploadResult,
        publish: Callable[[], None],
    ) -> None:
        self._record = record
        self._outbox = outbox
        self._upload = upload
        self._publish = publish
        self._request = registration_request(record, upload)

    async def register(self) -> Registration | None:
        """The registration, or None when the review is left `approved_not_registered`."""
        approved_at = workflow.now()
        outcome = await self._attempt(PROMPT_REGISTRATION)
        if not isinstance(outcome, RegistryRefusal):
            return outcome
        if outcome.permanent:
            self._not_registered(outcome.words)
            return None
        record, retry_hours = self._record, _registry(self._upload).retry_hours
        record.registry_problem = f"Registration pending: {outcome.words}"
        record.note(
            f"Version {record.version} is approved but not registered yet: {outcome.words}"
            f" Retrying for up to {_hours(retry_hours)}.",
            "registration_pending",
        )
        self._publish()
        self._notify("pending", outcome.words)
        remaining = approved_at + timedelta(hours=retry_hours) - workflow.now()
        if remaining > timedelta(seconds=1):
            outcome = await self._attempt(patient_registration(remaining))
            if not isinstance(outcome, RegistryRefusal):
                return outcome
        if not outcome.permanent:
            outcome.words = (
                f"the schema registry did not take it within {_hours(retry_hours)} of the"
                f" approval. The last attempt: {outcome.words}"
            )
        self._not_registered(outcome.words)
        return None

    async def until_registered(self) -> Registration | None:
        """Waits in `approved_not_registered` for `retry_registration` (registering again,
        once per request) or a withdrawal (None)."""
        record = self._record
        while True:
            await workflow.wait_condition(
                lambda: record.registration_retry is not None or record.withdrawal is not None
            )
            if record.withdrawal is not None:
                return None
            outcome = await self._attempt(PROMPT_REGISTRATION)
            record.registration_retry = None
            if not isinstance(outcome, RegistryRefusal):
                held = outcome
                record.registration_retry_answer = (
                    f"Registered: version {record.version} of {record.submission.schema_id} is"
                    f" {held.subject} version {held.version} (id {held.id})."
                )
                return outcome
            self._not_registered(outcome.words, notify=False)
            record.registration_retry_answer = (
                f"Still not registered: {outcome.words} The review of"
                f" {record.submission.schema_id} stays open until the registration is retried"
                " again or the review is withdrawn."
            )

    async def _attempt(self, options: workflow.ActivityConfig) -> Registration | RegistryRefusal:
        try:
            registration = await workflow.execute_activity(
                register_approved_schema, self._request, **options
            )
        except ActivityError as error:
            return RegistryRefusal(error)
        record = self._record
        record.registration, record.registry_problem = registration, None
        record.state = "approved"
        record.note(
            f"Version {record.version} registered in the schema registry as"
            f" {registration.subject} version {registration.version} (id {registration.id}).",
            "registered",
        )
        self._publish()
        return registration

    def _not_registered(self, words: str, *, notify: bool = True) -> None:
        record = self._record
        record.state, record.registry_problem = "approved_not_registered", words
        record.note(
            f"Version {record.version} is approved but not registered: {words} The review stays"
            " open until the registration is retried or the review is withdrawn.",
            "not_registered",
        )
        self._publish()
        if notify:
            self._notify("not_registered", words)

    def _notify(self, kind: Literal["pending", "not_registered"], words: str) -> None:
        record = self._record
        notice = RegistrationNotice(
            workflow_id=workflow.info().workflow_id,
            kind=kind,
            schema_id=record.submission.schema_id,
            version=record.version,
            subject=self._request.subject,
            reason=words,
            owner=record.owner,
            review_channel=record.review_channel,
            retry_hours=_registry(self._upload).retry_hours if kind == "pending" else None,
        )
        self._outbox.background.spawn(_send_notice(record, notice))


async def _send_notice(record: ReviewRecord, notice: RegistrationNotice) -> None:
    try:
        await workflow.execute_activity(notify_registration, notice, **SLACK_OPTIONS)
    except ActivityError as error:
        record.note(
            f"Could not tell {notice.owner} that version {notice.version} is not registered:"
            f" {failure_reason(error)}.",
            "registration_notice_failed",
        )


def _registry(upload: UploadResult) -> RegistryView:
    # Only an upload with a registry view is registered (`ReviewConclusion.complete`).
    assert upload.registry is not None
    return upload.registry


def _hours(hours: float) -> str:
    return f"{hours:g} hour" + ("" if hours == 1 else "s")
