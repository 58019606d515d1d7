"""The review rounds of one version under a review policy: every pool member asked, the
requests a pool's approvals, a deadline or an override made moot closed with why, each round's
deadline started as it opens, until the version is approved, rejected or superseded.

The counterpart of `ReviewPass._review` (the Conductor graph, kept as it was for reviews
without a policy); the step comes from `workflow.policy_round`.
"""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow

from workflow import message_facts, round_endings
from workflow.activity_payloads import ReviewRequest
from workflow.message_facts import RoundEnding
from workflow.models import PendingReview, Submission, UploadResult, same_person
from workflow.pass_outcomes import PassOutcome, Rejected, Superseded, Withdrawn
from workflow.policy_closings import why_not_asked
from workflow.review_record import ReviewRecord
from workflow.review_reminders import ReviewReminders
from workflow.review_round import ROUND_3, ReviewStep
from workflow.slack_outbox import SlackOutbox
from workflow.stage_deadlines import StageDeadlines


class PolicyRounds:
    def __init__(
        self,
        record: ReviewRecord,
        outbox: SlackOutbox,
        reminders: ReviewReminders,
        deadlines: StageDeadlines,
        publish: Callable[[], None],
    ) -> None:
        self._record = record
        self._outbox = outbox
        self._reminders = reminders
        self._deadlines = deadlines
        self._publish = publish

    async def run(self, submission: Submission, upload: UploadResult) -> PassOutcome:
        record, outbox, version = self._record, self._outbox, submission.version
        requested: set[tuple[str, str]] = set()
        closed: set[tuple[str, str]] = set()
        watched: set[str] = set()
        while True:
            if record.withdrawal is not None:
                return Withdrawn(version)
            moves = record.moves
            step = record.step()
            continues = step.kind == "review" and not record.has_newer_version()
            ending = self._ending(version, step)
            for decision in record.decisions_of(version):
                key = (decision.stage, decision.reviewer.lower())
                if key not in closed:
                    closed.add(key)
                    outbox.close(
                        version,
                        decision.stage,
                        message_facts.decided(decision),
                        decision,
                        review_continues=continues,
                        ending=ending,
                        reviewer=decision.reviewer,
                    )
            pending = record.pending() if step.kind == "review" else []
            if step.kind == "review":
                self._close_moot(version, pending, continues)
            if ending is not None:
                outbox.conclude(version, ending)
            if step.kind == "rejected":
                return self._rejected(version, step, ending)
            if step.kind == "complete":
                return upload
            if record.has_newer_version():
                return Superseded(version)
            name = step.round_name or ""
            if name not in watched:
                watched.add(name)
                self._deadlines.watch(version, name)
            opening = [p for p in pending if (p.stage, p.reviewer.lower()) not in requested]
            requested.update((p.stage, p.reviewer.lower()) for p in opening)
            asking = [p for p in opening if not outbox.is_requested(version, p.stage, p.reviewer)]
            if asking:
                self._request(name, asking, submission, upload)
            self._publish()
            await self._until_moved(moves)

    async def _until_moved(self, moves: int) -> None:
        """Wait for a decision, a deadline, an override, a pool change or a newer version."""
        record = self._record
        await workflow.wait_condition(lambda: record.is_interrupted() or record.moves != moves)

    def _close_moot(self, version: int, pending: list[PendingReview], continues: bool) -> None:
        """Close the live requests the round no longer asks (its approvals reached, a deadline
        or an override acted, a member replaced), saying why."""
        for asked in self._outbox.live(version):
            if any(
                p.stage == asked.stage and same_person(p.reviewer, asked.reviewer) for p in pending
            ):
                continue
            if any(
                d.stage == asked.stage and same_person(d.reviewer, asked.reviewer)
                for d in self._record.decisions_of(version)
            ):
                continue
            closing = why_not_asked(self._record, version, asked.stage, asked.reviewer)
            self._outbox.close(
                version, asked.stage, closing, review_continues=continues, reviewer=asked.reviewer
            )

    def _rejected(self, version: int, step: ReviewStep, ending: RoundEnding | None) -> Rejected:
        if step.rejection is not None:
            rejection = step.rejection
            closing = message_facts.rejected_elsewhere(rejection)
            self._outbox.close_all(version, closing, ending=ending)
            return Rejected(rejection.stage, rejection.reviewer, rejection.reason)
        act = step.deadline
        assert act is not None
        self._outbox.close_all(version, message_facts.deadline_passed(act), ending=ending)
        return Rejected(act.stage, None, "", deadline=act)

    def _ending(self, version: int, step: ReviewStep) -> RoundEnding | None:
        submitter = self._record.submission.submitted_by
        if step.kind == "complete":
            return round_endings.approved(version)
        if step.kind == "rejected" and step.rejection is not None:
            return round_endings.rejected(version, step.rejection, submitter)
        if step.kind == "rejected" and step.deadline is not None:
            return round_endings.expired(version, step.deadline, submitter)
        return None

    def _request(
        self,
        round_name: str,
        asking: list[PendingReview],
        submission: Submission,
        upload: UploadResult,
    ) -> None:
        record = self._record
        who = " and ".join(f"{p.reviewer} ({p.stage})" for p in asking)
        record.note(
            f"{round_name} of version {submission.version} requested from {who}.",
            "review_requested",
        )
        for pending in asking:
            stand_in = record.stand_in_of(pending.reviewer)
            request = ReviewRequest(
                workflow_id=workflow.info().workflow_id,
                stage=pending.stage,
                reviewer=pending.reviewer,
                submission=submission,
                upload=upload,
                round=record.round,
                allow_escalate=round_name != ROUND_3,
                review_channel=record.review_channel,
                standing_in_for=stand_in.standing_in_for if stand_in else None,
                away_until=stand_in.until if stand_in else None,
            )
            self._outbox.request_review(request)
            self._reminders.watch(request)
