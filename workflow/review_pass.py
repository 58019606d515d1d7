"""One pass of the Conductor DO_WHILE body for the current version: upload, then the review
rounds as decisions arrive, until the version is approved, rejected or superseded."""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflow import message_facts, round_endings
from workflow.activity_calls import (
    UPLOAD_OPTIONS,
    failure_reason,
    is_permanent_upload_failure,
    unless_interrupted,
)
from workflow.activity_contract import upload_schema
from workflow.activity_payloads import ReviewRequest
from workflow.message_facts import RoundEnding
from workflow.models import REVIEW_3, Submission, UploadRequest, UploadResult
from workflow.pass_outcomes import PassOutcome, Rejected, Superseded, Withdrawn
from workflow.policy_pass import PolicyRounds
from workflow.review_record import ReviewRecord
from workflow.review_reminders import ReviewReminders
from workflow.review_round import ReviewStep
from workflow.risk_routing import route_breaking_change
from workflow.slack_outbox import SlackOutbox
from workflow.stage_deadlines import StageDeadlines

__all__ = ["PassOutcome", "Rejected", "ReviewPass", "Superseded", "Withdrawn"]


class ReviewPass:
    def __init__(
        self,
        record: ReviewRecord,
        outbox: SlackOutbox,
        reminders: ReviewReminders,
        publish: Callable[[], None],
        deadlines: StageDeadlines | None = None,
    ) -> None:
        self._record = record
        self._outbox = outbox
        self._reminders = reminders
        self._publish = publish
        self._deadlines = deadlines

    async def run(self) -> PassOutcome:
        record = self._record
        submission = record.submission
        version = submission.version
        record.reviewing_version = version
        record.round += 1
        record.state, record.upload, record.revision_reason = "uploading", None, None
        record.note(
            f"Round {record.round}: uploading version {version} from {submission.content_uri}.",
            "upload_started",
        )
        self._publish()
        upload = await self._upload(submission)
        if not isinstance(upload, UploadResult):
            return upload
        if record.withdrawal is not None:
            # Withdrawn in the same moment as the upload finished: no review starts.
            return Withdrawn(version)
        record.upload, record.state = upload, "awaiting_review"
        return await self._review(submission, upload)

    async def _upload(self, submission: Submission) -> PassOutcome:
        record = self._record
        request = UploadRequest(submission, record.breaking_change_policy)
        handle = workflow.start_activity(upload_schema, request, **UPLOAD_OPTIONS)
        try:
            upload = await unless_interrupted(handle, record.is_interrupted)
        except ActivityError as error:
            reason = failure_reason(error)
            if not is_permanent_upload_failure(error):
                reason = f"{reason.rstrip('.')}, even after retrying for a quarter of an hour."
            return Rejected("upload", None, reason)
        if upload is None:
            if record.withdrawal is not None:
                return Withdrawn(submission.version)
            return Superseded(submission.version)
        changes = "".join(f" {line}" for line in upload.changes)
        record.note(
            f"Version {upload.version} uploaded: {upload.format}, {upload.size_bytes} bytes,"
            f" {upload.digest}.{changes}",
            "uploaded",
        )
        route_breaking_change(record, upload)
        return upload

    async def _review(self, submission: Submission, upload: UploadResult) -> PassOutcome:
        """Review1 (both seats), Review2 and, when escalated, Review3."""
        record, outbox, version = self._record, self._outbox, submission.version
        if record.policy is not None and self._deadlines is not None:
            rounds = PolicyRounds(record, outbox, self._reminders, self._deadlines, self._publish)
            return await rounds.run(submission, upload)
        requested: set[str] = set()
        closed: set[str] = set()
        while True:
            if record.withdrawal is not None:
                return Withdrawn(version)
            decisions = record.decisions_of(version)
            step = record.step()
            # A decision that approves or rejects the version ends its round.
            continues = step.kind == "review" and not record.has_newer_version()
            ending = self._ending(version, step)
            for decision in decisions:
                if decision.stage not in closed:
                    closed.add(decision.stage)
                    outbox.close(
                        version,
                        decision.stage,
                        message_facts.decided(decision),
                        decision,
                        review_continues=continues,
                        ending=ending,
                    )
            if ending is not None:
                outbox.conclude(version, ending)
            if step.kind == "rejected" and step.rejection is not None:
                rejection = step.rejection
                outbox.close_all(
                    version, message_facts.rejected_elsewhere(rejection), ending=ending
                )
                return Rejected(rejection.stage, rejection.reviewer, rejection.reason)
            if step.kind == "complete":
                return upload
            if record.has_newer_version():
                return Superseded(version)
            opening = [stage for stage in step.stages if stage not in requested]
            if opening:
                requested.update(opening)
                self._request(step.round_name or "", opening, submission, upload)
            self._publish()
            await self._until_news(version, len(decisions), record.moves)

    def _ending(self, version: int, step: ReviewStep) -> RoundEnding | None:
        """How the round of `version` ended, once a decision ended it."""
        if step.kind == "complete":
            return round_endings.approved(version)
        if step.kind == "rejected" and step.rejection is not None:
            return round_endings.rejected(
                version, step.rejection, self._record.submission.submitted_by
            )
        return None

    async def _until_news(self, version: int, decisions_seen: int, moves: int) -> None:
        """Wait for a new decision on `version`, an override, or a newer version."""
        record = self._record
        await workflow.wait_condition(
            lambda: (
                record.is_interrupted()
                or len(record.decisions_of(version)) > decisions_seen
                or record.moves != moves
            )
        )

    def _request(
        self, round_name: str, stages: list[str], submission: Submission, upload: UploadResult
    ) -> None:
        record = self._record
        who = " and ".join(f"{record.reviewers.for_stage(s)} ({s})" for s in stages)
        record.note(
            f"{round_name} of version {submission.version} requested from {who}.",
            "review_requested",
        )
        for stage in stages:
            reviewer = record.reviewers.for_stage(stage)
            stand_in = record.stand_in_of(reviewer)
            request = ReviewRequest(
                workflow_id=workflow.info().workflow_id,
                stage=stage,
                reviewer=reviewer,
                submission=submission,
                upload=upload,
                round=record.round,
                allow_escalate=stage != REVIEW_3,
                review_channel=record.review_channel,
                standing_in_for=stand_in.standing_in_for if stand_in else None,
                away_until=stand_in.until if stand_in else None,
            )
            self._outbox.request_review(request)
            self._reminders.watch(request)
