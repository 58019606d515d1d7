"""How a pass of the review loop ends: a revision request after a rejection, or the approval.

Kept apart from the workflow class, which decides which of the two happens; this says what each
one does (state, history, Slack) once decided.
"""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflow import message_facts, round_endings
from workflow.activity_calls import (
    SLACK_OPTIONS,
    UNRECORDED_APPROVAL_ERRORS,
    failure_reason,
    failure_type,
)
from workflow.activity_contract import finalize_review
from workflow.activity_payloads import FinalizeRequest, RevisionRequest
from workflow.approval_registration import ApprovalRegistration
from workflow.models import RecordedDecision, Registration, ReviewResult, UploadResult, Withdrawal
from workflow.review_pass import Rejected
from workflow.review_record import ReviewRecord
from workflow.review_reminders import ReviewReminders
from workflow.slack_outbox import SlackOutbox
from workflow.stage_deadlines import duration


class ReviewConclusion:
    def __init__(
        self,
        record: ReviewRecord,
        outbox: SlackOutbox,
        reminders: ReviewReminders,
        publish: Callable[[], None],
    ) -> None:
        self._record = record
        self._outbox = outbox
        self._reminders = reminders
        self._publish = publish

    def request_revision(self, rejection: Rejected) -> None:
        record = self._record
        if rejection.deadline is not None:
            waited = duration(rejection.deadline.after_seconds)
            reason = (
                f"Version {record.version} had no decision at {rejection.stage} within {waited}"
            )
        elif rejection.rejected_by is None:
            # The upload's reason is a sentence of its own, written for the owner.
            reason = f"Version {record.version} could not be uploaded. {rejection.reason}"
        else:
            reason = (
                f"{rejection.rejected_by} rejected version {record.version} at {rejection.stage}"
            )
            reason += f": {rejection.reason}" if rejection.reason else ""
        sentence = reason if reason.endswith(".") else reason + "."
        record.state, record.revision_reason = "awaiting_revision", sentence
        record.note(
            f"{sentence} Waiting for a revised version (higher than {record.version}).",
            "revision_requested",
        )
        self._publish()
        self._outbox.request_revision(
            RevisionRequest(
                workflow_id=workflow.info().workflow_id,
                submission=record.submission,
                stage=rejection.stage,
                rejected_by=rejection.rejected_by,
                reason=rejection.reason,
                owner=record.owner,
                deadline_seconds=rejection.deadline.after_seconds if rejection.deadline else None,
            )
        )

    async def complete(self, upload: UploadResult) -> ReviewResult:
        record = self._record
        version = record.reviewing_version
        record.state = "approved"
        record.note(f"Version {version} approved ({upload.digest}).", "approved")
        self._publish()
        decisions = list(record.decisions)
        registration: Registration | None = None
        if record.registers_approvals and upload.registry is not None:
            # The approval stands whatever the registry says: the reviewers' messages close
            # now, and everyone else is told once the version is registered.
            self._close_as_approved(version)
            registering = ApprovalRegistration(record, self._outbox, upload, self._publish)
            registration = await registering.register()
            if registration is None:
                await self._settle()
                registration = await registering.until_registered()
                if registration is None and record.withdrawal is not None:
                    return await self.withdraw(record.withdrawal)
            await self._finalize(upload, decisions, registration)
        else:
            await self._finalize(upload, decisions, None)
            self._close_as_approved(version)
        await self._settle()
        return ReviewResult(
            schema_id=record.submission.schema_id,
            approved_version=version,
            digest=upload.digest,
            decisions=decisions,
            rounds=record.round,
            earlier_decisions=record.earlier_decisions,
            registry=registration,
        )

    async def _finalize(
        self,
        upload: UploadResult,
        decisions: list[RecordedDecision],
        registration: Registration | None,
    ) -> None:
        record = self._record
        version = record.reviewing_version
        try:
            await workflow.execute_activity(
                finalize_review,
                FinalizeRequest(
                    workflow_id=workflow.info().workflow_id,
                    submission=record.submission,
                    upload=upload,
                    reviewers=record.reviewers,
                    decisions=decisions,
                    rounds=record.round,
                    owner=record.owner,
                    registration=registration,
                ),
                **SLACK_OPTIONS,
            )
        except ActivityError as error:
            if failure_type(error) in UNRECORDED_APPROVAL_ERRORS:
                # The activity told the submitter; its sentence says what the store lacks.
                record.note(
                    f"Version {version} was approved, but {failure_reason(error)}",
                    "approval_unrecorded",
                )
            else:
                record.note(
                    f"Could not finalize the approval of version {version}:"
                    f" {failure_reason(error)}.",
                    "finalize_failed",
                )

    def _close_as_approved(self, version: int) -> None:
        self._outbox.close_all(
            version, message_facts.completed(version), ending=round_endings.approved(version)
        )

    async def _settle(self) -> None:
        await self._outbox.settle()
        await self._reminders.settle()
        await workflow.wait_condition(workflow.all_handlers_finished)

    async def withdraw(self, request: Withdrawal) -> ReviewResult:
        """Close every live request, let the reminders end, and complete as withdrawn."""
        record = self._record
        record.state = "withdrawn"
        self._publish()
        # Messages decided while the round went on say how it ended, as the others do.
        ending = round_endings.withdrawn(record.reviewing_version, request.requested_by)
        self._outbox.conclude(record.reviewing_version, ending)
        self._outbox.close_all(
            record.reviewing_version, message_facts.withdrawn(request), ending=ending
        )
        await self._settle()
        upload = record.upload
        return ReviewResult(
            schema_id=record.submission.schema_id,
            approved_version=None,
            digest=upload.digest if upload else "",
            decisions=list(record.decisions),
            rounds=record.round,
            withdrawn_by=request.requested_by,
        )
