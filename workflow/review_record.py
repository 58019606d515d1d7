"""Everything the workflow knows about one review, and the status built from it.

Kept apart from the workflow class so the bookkeeping is plain Python: the clock is handed in
(the workflow passes `workflow.now`, never the system clock).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from workflow.click_outcomes import ClickOutcomes
from workflow.decision_rules import ReviewFacts
from workflow.models import (
    STAGES,
    CarriedState,
    HistoryEntry,
    PendingReview,
    RecordedDecision,
    Registration,
    RegistrationRetry,
    ReminderPolicy,
    ReviewDecision,
    Reviewers,
    ReviewInput,
    ReviewState,
    ReviewStatus,
    StandIn,
    Submission,
    UploadResult,
    Withdrawal,
    same_person,
)
from workflow.policy_contract import DeadlineAct, OverrideRecord
from workflow.policy_round import is_pool, round_of, step_of
from workflow.review_round import ReviewStep
from workflow.review_state import HistoryCode
from workflow.stage_status import pool_pending, stages_status

# The state stays bounded however long a review lives; Temporal's history of each run (and of
# the runs before a continue-as-new) keeps the full record.
# History entries kept in memory, and carried to the next run.
HISTORY_KEPT = 200
# The latest history entries the `status` query returns.
STATUS_HISTORY = 50
# Decisions of earlier versions carried to the next run (the current version's always are).
EARLIER_DECISIONS_CARRIED = 100


class ReviewRecord:
    def __init__(
        self,
        review: ReviewInput,
        now: Callable[[], datetime],
        on_note: Callable[[ReviewRecord, str], None] | None = None,
    ) -> None:
        self._now = now
        # Told of every history entry by its code, once written (`workflow.review_metrics`).
        self._on_note = on_note
        self.reviewers: Reviewers = review.reviewers
        self.review_channel = review.review_channel
        self.stand_ins = list(review.stand_ins)
        self.breaking_change_policy = review.breaking_change_policy
        self.reminders: ReminderPolicy | None = review.reminders
        # The latest accepted submission: its version is "the current version".
        self.submission: Submission = review.submission
        # Fixed for the life of the review, unlike the submitter of the current version.
        self.owner: str = review.owner or review.submission.submitted_by
        carried = review.carried
        self.round = carried.round if carried else 0
        self.history: list[HistoryEntry] = list(carried.history) if carried else []
        # Entries left out of `history` (dropped here, or in earlier runs).
        self.earlier_history = carried.earlier_history if carried else 0
        self._trim_history()
        self.decisions: list[RecordedDecision] = list(carried.all_decisions) if carried else []
        # Decisions of earlier versions that earlier runs did not carry.
        self.earlier_decisions = carried.earlier_decisions if carried else 0
        self.upload: UploadResult | None = carried.last_upload if carried else None
        self.revision_reason: str | None = carried.awaiting_revision_reason if carried else None
        # Set by the `withdraw_review` update: the review ends without an approval.
        self.withdrawal: Withdrawal | None = None
        # Versions whose breaking change requires the compliance review (Review3).
        self.compliance_required: set[int] = set(carried.compliance_required) if carried else set()
        # What became of the decisions signalled with a click id, for the update that follows.
        self.clicks = ClickOutcomes(carried.click_outcomes if carried else ())
        # Whether an approval is registered in the schema registry (`patches.registers_approvals`,
        # set by the workflow in its first activation).
        self.registers_approvals = False
        # Where the registry holds the approved version, or why it does not (yet).
        self.registration: Registration | None = None
        self.registry_problem: str | None = None
        # A `retry_registration` accepted and not yet answered, and its answer once given.
        self.registration_retry: RegistrationRetry | None = None
        self.registration_retry_answer: str | None = None
        # Pools, approvals and deadlines (None: the seats and no deadline); a reassignment of
        # a pool member changes it for the rest of the review.
        self.policy = review.policy
        self.deadline_acts: list[DeadlineAct] = list(carried.deadline_acts) if carried else []
        self.overrides: list[OverrideRecord] = list(carried.overrides) if carried else []
        # When each open round's deadline falls (version, round) -> ISO 8601.
        self.deadline_due: dict[tuple[int, str], str] = {}
        # Counts every change the review loop acts on (decisions, deadlines, overrides, pool
        # members), so that it wakes for each.
        self.moves = 0
        self.state: ReviewState = "awaiting_revision" if self.revision_reason else "uploading"
        # The version the loop last started on; a higher current version supersedes it.
        self.reviewing_version = review.submission.version if self.revision_reason else 0

    def stand_in_of(self, reviewer: str) -> StandIn | None:
        """Whom `reviewer` decides for in this review, when they stand in for someone away."""
        return next((s for s in self.stand_ins if same_person(s.reviewer, reviewer)), None)

    @property
    def version(self) -> int:
        return self.submission.version

    def note(self, text: str, code: HistoryCode) -> None:
        self.history.append(HistoryEntry(at=self._now().isoformat(), text=text, code=code))
        self._trim_history()
        if self._on_note is not None:
            self._on_note(self, code)

    def _trim_history(self) -> None:
        # Trimmed in batches, so that a long review does not copy the list on every entry.
        if len(self.history) > HISTORY_KEPT + HISTORY_KEPT // 4:
            dropped = len(self.history) - HISTORY_KEPT
            del self.history[:dropped]
            self.earlier_history += dropped

    def has_newer_version(self) -> bool:
        return self.version > self.reviewing_version

    def is_interrupted(self) -> bool:
        """A newer version, or the withdrawal, ends what the review is doing now."""
        return self.has_newer_version() or self.withdrawal is not None

    def decisions_of(self, version: int) -> list[RecordedDecision]:
        return [d for d in self.decisions if d.version == version]

    def step(self) -> ReviewStep:
        version = self.version
        return step_of(
            self.decisions_of(version),
            compliance_required=version in self.compliance_required,
            policy=self.policy,
            acts=[a for a in self.deadline_acts if a.version == version],
            overrides=[o for o in self.overrides if o.version == version],
        )

    def moved(self) -> None:
        self.moves += 1

    def facts(self) -> ReviewFacts:
        return ReviewFacts(
            self.version,
            self.state,
            self.reviewers,
            tuple(self.decisions),
            self.submission.submitted_by,
            compliance_required=self.version in self.compliance_required,
            policy=self.policy,
            acts=tuple(a for a in self.deadline_acts if a.version == self.version),
            overrides=tuple(o for o in self.overrides if o.version == self.version),
        )

    def record(self, decision: ReviewDecision) -> RecordedDecision:
        recorded = RecordedDecision(
            stage=decision.stage,
            reviewer=decision.reviewer,
            version=decision.submission_version,
            approved=decision.approved,
            # Escalating a rejection means nothing: a rejection ends the round either way.
            requires_additional_review=decision.approved and decision.requires_additional_review,
            reason=decision.reason,
            at=self._now().isoformat(),
        )
        self.decisions.append(recorded)
        self.moved()
        return recorded

    def pending(self) -> list[PendingReview]:
        if self.state != "awaiting_review":
            return []
        step = self.step()
        decisions = self.decisions_of(self.version)
        if self.policy is not None:
            return pool_pending(self, step, decisions)
        decided = {d.stage for d in decisions}
        return [
            PendingReview(stage, self.reviewers.for_stage(stage))
            for stage in step.stages
            if stage not in decided
        ]

    def is_waiting_on(self, version: int, stage: str) -> bool:
        """Whether `stage` of `version` is open and still waits for its reviewer's decision."""
        if not self.version == self.reviewing_version == version:
            return False
        return any(p.stage == stage for p in self.pending())

    def is_waiting_for(self, version: int, stage: str, reviewer: str) -> bool:
        """Whether `stage` of `version` still waits, and for `reviewer` (not reassigned since)."""
        if self.policy is not None:
            if not self.version == self.reviewing_version == version:
                return False
            return any(
                p.stage == stage and same_person(p.reviewer, reviewer) for p in self.pending()
            )
        return self.is_waiting_on(version, stage) and same_person(
            self.reviewers.for_stage(stage), reviewer
        )

    def stages_held_by(self, email: str) -> list[str]:
        """The stages `email` reviews on the current roster."""
        policy = self.policy
        held = [
            stage
            for stage in STAGES
            if same_person(self.reviewers.for_stage(stage), email)
            and not is_pool(policy, round_of(stage))
        ]
        if policy is not None:
            held += [
                name
                for name in ("Review1", "Review2", "Review3")
                if any(same_person(m, email) for m in policy.pool(name))
            ]
        return held

    def status(self) -> ReviewStatus:
        step = self.step() if self.state == "awaiting_review" else None
        upload = self.upload if self.upload and self.upload.version == self.version else None
        return ReviewStatus(
            schema_id=self.submission.schema_id,
            version=self.version,
            state=self.state,
            round=self.round,
            active_round=step.round_name if step else None,
            active_stages=list(step.stages) if step else [],
            pending_reviewers=self.pending(),
            decisions=self.decisions_of(self.version),
            digest=upload.digest if upload else None,
            history=self.history[-STATUS_HISTORY:],
            submitted_by=self.submission.submitted_by,
            description=self.submission.description,
            content_uri=self.submission.content_uri,
            reviewers=self.reviewers,
            revision_reason=self.revision_reason if self.state == "awaiting_revision" else None,
            owner=self.owner,
            compatibility=upload.compatibility if upload else None,
            earlier_history=self.earlier_history + max(0, len(self.history) - STATUS_HISTORY),
            registry=self.registration,
            registry_problem=self.registry_problem,
            stages=stages_status(self),
            overrides=list(self.overrides),
        )

    def carried(self) -> CarriedState:
        """The bounded state the next run starts from: the latest history entries, every
        decision of the current version and the latest of earlier ones, and counts."""
        awaiting = self.state == "awaiting_revision" and not self.has_newer_version()
        history = self.history[-HISTORY_KEPT:]
        current = [d for d in self.decisions if d.version == self.version]
        earlier = [d for d in self.decisions if d.version != self.version]
        kept_earlier = earlier[-EARLIER_DECISIONS_CARRIED:]
        kept = {id(d) for d in [*kept_earlier, *current]}
        return CarriedState(
            round=self.round,
            history=history,
            # In the order they were recorded.
            all_decisions=[d for d in self.decisions if id(d) in kept],
            awaiting_revision_reason=self.revision_reason if awaiting else None,
            last_upload=self.upload,
            compliance_required=sorted(self.compliance_required),
            earlier_history=self.earlier_history + len(self.history) - len(history),
            earlier_decisions=self.earlier_decisions + len(earlier) - len(kept_earlier),
            click_outcomes=self.clicks.carried(),
            registers_approvals=self.registers_approvals,
            deadline_acts=[a for a in self.deadline_acts if a.version == self.version],
            overrides=[o for o in self.overrides if o.version == self.version],
        )
