"""What one run of a review leaves in its Temporal history, read back for the audit trail.

A run's history records every activity's input and result and every accepted update with its
outcome, so it tells when each review request was posted (the `dispatch_review_request`
result: Slack's `ts` is the post time), each version's digest and submitter, and the
reassignments, withdrawals and registrations. It does not tell which decisions counted: a
decision signalled from the CLI is in the history whether the review took it or ignored it.
Those come from the review's own record instead (`bot.reviews.review_trail`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from temporalio.api.common.v1 import Payloads
from temporalio.api.history.v1 import HistoryEvent
from temporalio.converter import DataConverter

from workflow.activity_contract import (
    dispatch_review_request,
    register_approved_schema,
    upload_schema,
)
from workflow.activity_payloads import PostedMessage, ReviewRequest
from workflow.models import (
    UPDATE_OVERRIDE,
    UPDATE_REASSIGN,
    UPDATE_RETRY_REGISTRATION,
    UPDATE_SUBMIT,
    UPDATE_WITHDRAW,
    Reassignment,
    ReassignmentOutcome,
    RecordedDecision,
    Registration,
    RegistrationRequest,
    RegistrationRetry,
    ReviewInput,
    ReviewResult,
    SubmissionOutcome,
    UploadRequest,
    UploadResult,
    Withdrawal,
)
from workflow.policy_contract import ReviewOverride

T = TypeVar("T")


@dataclass(frozen=True)
class RequestPosted:
    """A review request as it reached its reviewer."""

    version: int
    stage: str
    reviewer: str
    posted_at: datetime


@dataclass(frozen=True)
class ReviewAction:
    """What someone did to a review other than deciding: `kind` is "reassignment",
    "withdrawal", "override" (an admin approved a round or the whole review at once, with a
    reason), "registration" (the approved version entered the schema registry) or
    "registration_retry" (someone asked a review left unregistered to try again)."""

    kind: str
    at: datetime
    version: int | None
    stage: str = ""
    reviewer: str = ""
    previous_reviewer: str = ""
    requested_by: str = ""
    reason: str = ""


@dataclass
class RunHistory:
    """One run of a review, as its history tells it."""

    workflow_id: str
    run_id: str
    # The run that started the review; continue-as-new keeps it, a new review changes it.
    first_run_id: str
    schema_id: str = ""
    started_at: datetime | None = None
    # When the review itself started: this run's start, or what the carried history says.
    review_started_at: datetime | None = None
    submitters: dict[int, str] = field(default_factory=dict)
    digests: dict[int, str] = field(default_factory=dict)
    requests: list[RequestPosted] = field(default_factory=list)
    actions: list[ReviewAction] = field(default_factory=list)
    # From the run's end: its result (completed) or what it carried to the next run. None
    # while the run is open, or when it ended without either (failed, terminated).
    decisions: list[RecordedDecision] | None = None
    approved_version: int | None = None


def event_time(event: HistoryEvent) -> datetime:
    return event.event_time.ToDatetime(tzinfo=UTC)


def slack_time(ts: str) -> datetime | None:
    """When Slack posted a message: its `ts` is seconds since the epoch."""
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (ValueError, OverflowError):
        return None


class _Reader:
    def __init__(self, converter: DataConverter, run: RunHistory) -> None:
        self._converter = converter
        self.run = run
        self._scheduled: dict[int, tuple[str, Payloads]] = {}
        self._updates: dict[str, tuple[str, Payloads]] = {}
        # The version under review when an update arrived (the last one uploaded).
        self._version: int | None = None

    async def decode(self, payloads: Payloads, kind: type[T]) -> T | None:
        """The first payload as `kind`; None when there is none or it does not read as one
        (an update refused for a malformed payload leaves such input behind)."""
        if not payloads.payloads:
            return None
        try:
            values = await self._converter.decode(list(payloads.payloads)[:1], [kind])
        except Exception:
            return None
        value = values[0] if values else None
        return value if isinstance(value, kind) else None

    async def read(self, event: HistoryEvent) -> None:
        if event.HasField("workflow_execution_started_event_attributes"):
            await self._started(event)
        elif event.HasField("activity_task_scheduled_event_attributes"):
            scheduled = event.activity_task_scheduled_event_attributes
            self._scheduled[event.event_id] = (scheduled.activity_type.name, scheduled.input)
            await self._activity_scheduled(scheduled.activity_type.name, scheduled.input)
        elif event.HasField("activity_task_completed_event_attributes"):
            completed = event.activity_task_completed_event_attributes
            name, given = self._scheduled.get(completed.scheduled_event_id, ("", Payloads()))
            await self._activity_completed(event, name, given, completed.result)
        elif event.HasField("workflow_execution_update_accepted_event_attributes"):
            accepted = event.workflow_execution_update_accepted_event_attributes.accepted_request
            self._updates[accepted.meta.update_id] = (accepted.input.name, accepted.input.args)
        elif event.HasField("workflow_execution_update_completed_event_attributes"):
            completed_update = event.workflow_execution_update_completed_event_attributes
            if completed_update.outcome.HasField("success"):
                name, args = self._updates.get(completed_update.meta.update_id, ("", Payloads()))
                await self._update_done(event, name, args, completed_update.outcome.success)
        elif event.HasField("workflow_execution_completed_event_attributes"):
            result = event.workflow_execution_completed_event_attributes.result
            if (ended := await self.decode(result, ReviewResult)) is not None:
                self.run.decisions = list(ended.decisions)
                self.run.approved_version = ended.approved_version
        elif event.HasField("workflow_execution_continued_as_new_event_attributes"):
            given = event.workflow_execution_continued_as_new_event_attributes.input
            review = await self.decode(given, ReviewInput)
            if review is not None and review.carried is not None:
                self.run.decisions = list(review.carried.all_decisions)

    async def _started(self, event: HistoryEvent) -> None:
        started = event.workflow_execution_started_event_attributes
        run = self.run
        run.started_at = event_time(event)
        run.first_run_id = started.first_execution_run_id or run.run_id
        review = await self.decode(started.input, ReviewInput)
        if review is None:
            return
        submission = review.submission
        run.schema_id = submission.schema_id
        run.submitters.setdefault(submission.version, submission.submitted_by)
        self._version = submission.version
        if review.carried is None:
            run.review_started_at = run.started_at
            return
        if upload := review.carried.last_upload:
            run.digests[upload.version] = upload.digest
        begun = [h.at for h in review.carried.history if h.code == "review_started"]
        if begun:
            run.review_started_at = datetime.fromisoformat(begun[0])

    async def _activity_scheduled(self, name: str, given: Payloads) -> None:
        if name != upload_schema.__name__:
            return
        if (request := await self.decode(given, UploadRequest)) is not None:
            submission = request.submission
            self.run.submitters[submission.version] = submission.submitted_by
            self._version = submission.version

    async def _activity_completed(
        self, event: HistoryEvent, name: str, given: Payloads, result: Payloads
    ) -> None:
        run = self.run
        if name == upload_schema.__name__:
            if (upload := await self.decode(result, UploadResult)) is not None:
                run.digests[upload.version] = upload.digest
        elif name == dispatch_review_request.__name__:
            request = await self.decode(given, ReviewRequest)
            posted = await self._posted(result)
            if request is not None:
                when = next((slack_time(m.ts) for m in posted if m.ts), None)
                run.requests.append(
                    RequestPosted(
                        request.submission.version,
                        request.stage,
                        request.reviewer,
                        when or event_time(event),
                    )
                )
        elif name == register_approved_schema.__name__:
            registration = await self.decode(result, Registration)
            asked = await self.decode(given, RegistrationRequest)
            if registration is not None:
                run.actions.append(
                    ReviewAction(
                        "registration",
                        event_time(event),
                        asked.version if asked else self._version,
                        reason=f"registered as {registration.subject} version"
                        f" {registration.version} (id {registration.id})",
                    )
                )

    async def _posted(self, result: Payloads) -> list[PostedMessage]:
        found = await self.decode(result, list)
        messages = []
        for item in found or []:
            if isinstance(item, dict) and isinstance(item.get("ts"), str):
                messages.append(PostedMessage(str(item.get("channel", "")), item["ts"]))
        return messages

    async def _update_done(
        self, event: HistoryEvent, name: str, args: Payloads, outcome: Payloads
    ) -> None:
        at, version = event_time(event), self._version
        if name == UPDATE_SUBMIT:
            if (taken := await self.decode(outcome, SubmissionOutcome)) is not None:
                self._version = taken.version
        elif name == UPDATE_REASSIGN:
            asked = await self.decode(args, Reassignment)
            done = await self.decode(outcome, ReassignmentOutcome)
            if asked is not None and done is not None:
                self.run.actions.append(
                    ReviewAction(
                        "reassignment",
                        at,
                        version,
                        stage=done.stage,
                        reviewer=done.reviewer,
                        previous_reviewer=done.previous_reviewer,
                        requested_by=asked.requested_by,
                        reason=asked.reason,
                    )
                )
        elif name == UPDATE_WITHDRAW:
            if (withdrawal := await self.decode(args, Withdrawal)) is not None:
                self.run.actions.append(
                    ReviewAction(
                        "withdrawal",
                        at,
                        version,
                        requested_by=withdrawal.requested_by,
                        reason=withdrawal.reason,
                    )
                )
        elif name == UPDATE_OVERRIDE and (override := await self.decode(args, ReviewOverride)):
            self.run.actions.append(
                ReviewAction(
                    "override",
                    at,
                    version,
                    # The round approved at once, or "" for the whole review.
                    stage=override.stage or "",
                    requested_by=override.requested_by,
                    reason=override.reason,
                )
            )
        elif name == UPDATE_RETRY_REGISTRATION and (
            retry := await self.decode(args, RegistrationRetry)
        ):
            self.run.actions.append(
                ReviewAction("registration_retry", at, version, requested_by=retry.requested_by)
            )


async def read_run_history(
    converter: DataConverter, workflow_id: str, run_id: str, events: list[HistoryEvent]
) -> RunHistory:
    reader = _Reader(converter, RunHistory(workflow_id, run_id, first_run_id=run_id))
    for event in events:
        await reader.read(event)
    return reader.run
