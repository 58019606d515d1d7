"""Stand-in activities under the real names, and helpers that drive one review.

The stand-ins record what the workflow asked for and answer like the real activities would
(those are tested in tests/activities); Temporal itself is real.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.exceptions import ApplicationError

from tests.activity_stubs import contract_stubs
from tests.helpers import eventually, new_worker
from tests.workflow.stand_in_registry import StandInRegistry
from workflow import activity_contract as contract
from workflow.activity_calls import DELIVERED_DM
from workflow.activity_payloads import (
    FinalizeRequest,
    PolicyNotice,
    PostedMessage,
    RegistrationNotice,
    ReviewMessageUpdate,
    ReviewReminder,
    ReviewRequest,
    RevisionRequest,
    UndeliveredReviewRequest,
)
from workflow.models import (
    UPDATE_DECIDE,
    UPDATE_REASSIGN,
    DecisionOutcome,
    Reassignment,
    ReassignmentOutcome,
    ReviewDecision,
    Reviewers,
    ReviewInput,
    ReviewResult,
    ReviewStatus,
    Submission,
    UploadRequest,
    UploadResult,
)
from workflow.registry_contract import Registration, RegistrationRequest
from workflow.schema_approval import SchemaApprovalWorkflow

# The people_away workflow's activities, run for real where a test needs them.
AWAY_ACTIVITIES = (contract.hand_over_seats.__name__, contract.return_seats.__name__)
OWNER = "owner@example.com"
REVIEWERS = Reviewers(
    reviewer_a="alice@example.com",
    reviewer_b="bob@example.com",
    senior_reviewer="carol@example.com",
    compliance_reviewer="dave@example.com",
)


def submission(version: int, schema_id: str = "inventory-service") -> Submission:
    return Submission(
        schema_id=schema_id,
        version=version,
        description=f"Inventory schema v{version}",
        content_uri=f"https://schemas.example.com/inventory-v{version}.json",
        submitted_by=OWNER,
    )


def digest_of(version: int) -> str:
    return "sha256:" + hashlib.sha256(f"inventory-v{version}".encode()).hexdigest()


@dataclass
class StandInActivities:
    """Records every activity call, as "name detail vN" lines and as the request itself."""

    calls: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)
    # version -> the permanent failure its upload raises
    upload_refusals: dict[int, ApplicationError] = field(default_factory=dict)
    # version -> how many upload attempts fail with a transient error first
    upload_outages: dict[int, int] = field(default_factory=dict)
    # stage -> the failure dispatching its review request raises
    dispatch_failures: dict[str, ApplicationError] = field(default_factory=dict)
    # stage -> the failure sending a reminder for it raises
    reminder_failures: dict[str, ApplicationError] = field(default_factory=dict)
    # reviewer email -> the failure dispatching any review request to them raises
    unreachable_reviewers: dict[str, ApplicationError] = field(default_factory=dict)
    # the failure telling the submitter of an undelivered request raises, if any
    undelivered_notice_failure: ApplicationError | None = None
    # the failure posting a review request's copy to the review channel raises, if any
    channel_copy_failure: ApplicationError | None = None
    # when set, posting a channel copy waits for it (Slack slow to answer)
    channel_copy_gate: asyncio.Event | None = None
    # the failure finalizing an approval raises, if any (e.g. a store without the version)
    finalize_failure: ApplicationError | None = None
    # when set, finalizing waits for it: the review stays "finishing its approval" until then
    finalize_gate: asyncio.Event | None = None
    # The worker's schema registry; None: no registry (uploads carry no registry view).
    registry: StandInRegistry | None = None

    def activities(self) -> list[Callable[..., Any]]:
        """A stand-in for every activity of the review's contract: each is the method of its
        name (the `people_away` workflow's seat moves are real: `activities.away_seats`)."""
        return [getattr(self, name) for name in contract_stubs() if name not in AWAY_ACTIVITIES]

    def main_calls(self) -> list[str]:
        """The calls that move the review on (message rewrites and reminders left out)."""
        return [
            c
            for c in self.calls
            if not c.startswith(
                (
                    contract.update_review_message.__name__,
                    contract.send_review_reminder.__name__,
                    contract.notify_undelivered_review_request.__name__,
                    contract.post_review_channel_copy.__name__,
                )
            )
        ]

    def reminders(self) -> list[ReviewReminder]:
        return [r for r in self.requests if isinstance(r, ReviewReminder)]

    def message_updates(self) -> list[ReviewMessageUpdate]:
        return [r for r in self.requests if isinstance(r, ReviewMessageUpdate)]

    def review_requests(self) -> list[ReviewRequest]:
        return [r for r in self.requests if isinstance(r, ReviewRequest)]

    def undelivered_notices(self) -> list[UndeliveredReviewRequest]:
        return [r for r in self.requests if isinstance(r, UndeliveredReviewRequest)]

    def registration_notices(self) -> list[RegistrationNotice]:
        return [r for r in self.requests if isinstance(r, RegistrationNotice)]

    def _record(self, stub: Callable[..., Any], detail: str, request: Any) -> None:
        """One call, as "<activity name> <detail>" and as the request itself."""
        self.calls.append(f"{stub.__name__} {detail}")
        self.requests.append(request)

    @activity.defn(name=contract.upload_schema.__name__)
    async def upload_schema(self, request: UploadRequest) -> UploadResult:
        version = request.submission.version
        self._record(contract.upload_schema, f"v{version}", request)
        if version in self.upload_refusals:
            raise self.upload_refusals[version]
        if self.upload_outages.get(version, 0) >= activity.info().attempt:
            raise ApplicationError("schemas.example.com answered 503 Service Unavailable")
        return UploadResult(
            schema_id=request.submission.schema_id,
            version=version,
            digest=digest_of(version),
            format="JSON Schema",
            size_bytes=512 + version,
            registry=self.registry.view() if self.registry is not None else None,
        )

    @activity.defn(name=contract.dispatch_review_request.__name__)
    async def dispatch_review_request(self, request: ReviewRequest) -> list[PostedMessage]:
        version = request.submission.version
        self._record(contract.dispatch_review_request, f"{request.stage} v{version}", request)
        if request.stage in self.dispatch_failures:
            raise self.dispatch_failures[request.stage]
        if request.reviewer in self.unreachable_reviewers:
            raise self.unreachable_reviewers[request.reviewer]
        dm = PostedMessage(channel=f"D-{request.reviewer}", ts=f"{version}.{request.round}")
        if not request.review_channel:
            return [dm]
        # The copy, once the DM is delivered, as the real activity posts it.
        try:
            return [dm, await self.post_review_channel_copy(request)]
        except ApplicationError as error:
            if error.non_retryable:
                return [dm, PostedMessage(request.review_channel, "", not_posted=error.message)]
            raise ApplicationError(
                error.message, {DELIVERED_DM: {"channel": dm.channel, "ts": dm.ts}}
            ) from error

    @activity.defn(name=contract.post_review_channel_copy.__name__)
    async def post_review_channel_copy(self, request: ReviewRequest) -> PostedMessage:
        version = request.submission.version
        self._record(contract.post_review_channel_copy, f"{request.stage} v{version}", request)
        if self.channel_copy_gate is not None:
            await self.channel_copy_gate.wait()
        if self.channel_copy_failure is not None:
            raise self.channel_copy_failure
        return PostedMessage(channel=str(request.review_channel), ts=f"{version}.{request.stage}")

    @activity.defn(name=contract.update_review_message.__name__)
    async def update_review_message(self, update: ReviewMessageUpdate) -> None:
        self._record(contract.update_review_message, f"{update.stage} v{update.version}", update)

    @activity.defn(name=contract.update_review_messages.__name__)
    async def update_review_messages(self, updates: list[ReviewMessageUpdate]) -> list[str]:
        # Recorded as the single updates they stand for: tests ask what each message became.
        for update in updates:
            await self.update_review_message(update)
        return [""] * len(updates)

    @activity.defn(name=contract.record_revision_request.__name__)
    async def record_revision_request(self, request: RevisionRequest) -> list[PostedMessage]:
        version = request.submission.version
        self._record(contract.record_revision_request, f"{request.stage} v{version}", request)
        return [PostedMessage(channel=f"D-{OWNER}", ts=f"{version}.revision")]

    @activity.defn(name=contract.finalize_review.__name__)
    async def finalize_review(self, request: FinalizeRequest) -> None:
        self._record(contract.finalize_review, f"v{request.submission.version}", request)
        if self.finalize_gate is not None:
            await self.finalize_gate.wait()
        if self.finalize_failure is not None:
            raise self.finalize_failure

    @activity.defn(name=contract.send_review_reminder.__name__)
    async def send_review_reminder(self, reminder: ReviewReminder) -> PostedMessage:
        request = reminder.request
        version = request.submission.version
        self._record(
            contract.send_review_reminder,
            f"{request.stage} v{version} #{reminder.number}",
            reminder,
        )
        if request.stage in self.reminder_failures:
            raise self.reminder_failures[request.stage]
        return PostedMessage(channel=f"D-{request.reviewer}", ts=f"{version}.reminder")

    @activity.defn(name=contract.notify_undelivered_review_request.__name__)
    async def notify_undelivered_review_request(
        self, notice: UndeliveredReviewRequest
    ) -> PostedMessage:
        request = notice.request
        self._record(
            contract.notify_undelivered_review_request,
            f"{request.stage} v{request.submission.version}",
            notice,
        )
        if self.undelivered_notice_failure is not None:
            raise self.undelivered_notice_failure
        return PostedMessage(channel=f"D-{OWNER}", ts=f"{request.submission.version}.undelivered")

    @activity.defn(name=contract.register_approved_schema.__name__)
    async def register_approved_schema(self, request: RegistrationRequest) -> Registration:
        self._record(contract.register_approved_schema, f"v{request.version}", request)
        assert self.registry is not None, "registered without a registry"
        return self.registry.register(request)

    @activity.defn(name=contract.notify_policy_action.__name__)
    async def notify_policy_action(self, notice: PolicyNotice) -> list[PostedMessage]:
        self._record(
            contract.notify_policy_action, f"{notice.kind} {notice.stage} v{notice.version}", notice
        )
        return [PostedMessage(channel=f"D-{notice.owner}", ts=f"{notice.version}.policy")]

    def policy_notices(self) -> list[PolicyNotice]:
        return [r for r in self.requests if isinstance(r, PolicyNotice)]

    @activity.defn(name=contract.notify_registration.__name__)
    async def notify_registration(self, notice: RegistrationNotice) -> list[PostedMessage]:
        self._record(contract.notify_registration, f"{notice.kind} v{notice.version}", notice)
        return [PostedMessage(channel=f"D-{notice.owner}", ts=f"{notice.version}.registration")]


def review_input(**overrides: Any) -> ReviewInput:
    return ReviewInput(submission=submission(1), reviewers=REVIEWERS, **overrides)


@asynccontextmanager
async def running_review(
    client: Client,
    stand_in: StandInActivities,
    review: ReviewInput | dict[str, Any] | None = None,
) -> AsyncIterator[WorkflowHandle[SchemaApprovalWorkflow, ReviewResult]]:
    """A worker with the stand-in activities, and a review started on it."""
    async with new_worker(client, SchemaApprovalWorkflow, activities=stand_in.activities()) as w:
        handle = await client.start_workflow(
            SchemaApprovalWorkflow.run,
            review or review_input(),
            id=f"schema-approval-test-{uuid.uuid4()}",
            task_queue=w.task_queue,
        )
        try:
            yield handle
        finally:
            description = await handle.describe()
            if description.status == WorkflowExecutionStatus.RUNNING:
                await handle.terminate("test finished")


async def decide(
    handle: WorkflowHandle[Any, Any],
    stage: str,
    verdict: str = "approve",
    *,
    version: int = 1,
    reviewer: str | None = None,
    reason: str = "",
) -> DecisionOutcome:
    """A reviewer's click, through the update the bot uses."""
    return await handle.execute_update(
        UPDATE_DECIDE,
        ReviewDecision(
            stage=stage,
            reviewer=reviewer or REVIEWERS.for_stage(stage),
            submission_version=version,
            approved=verdict != "reject",
            requires_additional_review=verdict == "escalate",
            reason=reason or ("Needs an index on sku" if verdict == "reject" else ""),
        ),
        result_type=DecisionOutcome,
    )


async def reassign(
    handle: WorkflowHandle[Any, Any],
    seat: str,
    reviewer: str,
    *,
    requested_by: str = OWNER,
    reason: str = "",
) -> ReassignmentOutcome:
    """The owner gives a seat to someone else, through the update the bot uses."""
    return await handle.execute_update(
        UPDATE_REASSIGN,
        Reassignment(seat=seat, reviewer=reviewer, requested_by=requested_by, reason=reason),
        result_type=ReassignmentOutcome,
    )


async def status_of(handle: WorkflowHandle[Any, Any]) -> ReviewStatus:
    return await handle.query(SchemaApprovalWorkflow.status)


async def until_called(stand_in: StandInActivities, *lines: str) -> None:
    async def check() -> None:
        for line in lines:
            assert line in stand_in.calls, f"{line!r} not called yet: {stand_in.calls}"

    await eventually(check)


async def until_delivered(handle: WorkflowHandle[Any, Any], requests: int) -> None:
    """Until the review's history holds `requests` completed `dispatch_review_request`s."""

    async def check() -> None:
        history = await handle.fetch_history()
        dispatches = {
            e.event_id
            for e in history.events
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
            and e.activity_task_scheduled_event_attributes.activity_type.name
            == contract.dispatch_review_request.__name__
        }
        done = [
            e
            for e in history.events
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
            and e.activity_task_completed_event_attributes.scheduled_event_id in dispatches
        ]
        assert len(done) >= requests, f"{len(done)} of {requests} requests delivered"

    await eventually(check)


async def until_history(handle: WorkflowHandle[Any, Any], fragment: str) -> ReviewStatus:
    async def check() -> ReviewStatus:
        status = await status_of(handle)
        assert any(fragment in entry.text for entry in status.history), [
            entry.text for entry in status.history
        ]
        return status

    return await eventually(check)


async def approve_version_1(
    handle: WorkflowHandle[Any, ReviewResult], stand_in: StandInActivities
) -> ReviewResult:
    """The plain path: both first-round reviewers approve as their requests arrive, then the
    senior reviewer; the review's result."""
    # Both requests delivered first: a decision that overtakes its own request's delivery
    # closes that message separately, once it is posted.
    await until_called(stand_in, "dispatch_review_request Review1.a v1")
    await until_delivered(handle, 2)
    await decide(handle, "Review1.a")
    await decide(handle, "Review1.b")
    await until_called(stand_in, "dispatch_review_request Review2 v1")
    await decide(handle, "Review2")
    return await handle.result()
