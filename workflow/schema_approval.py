"""The `schema_approval` workflow: the Conductor review loop, run durably by Temporal.

See `docs/workflow.md` for the contract and `conductor-definitions/review_approval.json`
for the task graph this follows.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ApplicationError

from workflow import message_facts, patches, round_endings
from workflow.approval_registration import registration_retry_refusal, retried_registration
from workflow.background import watching
from workflow.click_log import click_handled
from workflow.decision_rules import refusal
from workflow.models import (
    OVERRIDE_REFUSED,
    QUERY_STATUS,
    REASSIGNMENT_REFUSED,
    REGISTRATION_RETRY_REFUSED,
    SA_PENDING_REVIEWERS,
    SA_REVIEW_STATE,
    SA_SCHEMA_ID,
    SA_SUBMITTED_BY,
    SIGNAL_RECORD_DECISION,
    SIGNAL_SUBMIT_SCHEMA,
    SUBMISSION_REFUSED,
    UPDATE_DECIDE,
    UPDATE_OVERRIDE,
    UPDATE_REASSIGN,
    UPDATE_RETRY_REGISTRATION,
    UPDATE_SUBMIT,
    UPDATE_WITHDRAW,
    WORKFLOW_TYPE,
    ClickOutcome,
    DecisionOutcome,
    ReassignmentOutcome,
    ReviewDecision,
    ReviewInput,
    ReviewResult,
    ReviewStatus,
    Submission,
    SubmissionOutcome,
    UploadResult,
)
from workflow.overrides import apply_override, override_refusal
from workflow.payloads import (
    parse_decision,
    parse_override,
    parse_reassignment,
    parse_registration_retry,
    parse_submission,
    parse_withdrawal,
    readable,
)
from workflow.policy_contract import POLICY_STAGES, ReviewOverride
from workflow.policy_round import is_pool
from workflow.pool_reassignment import reassign_pool_member
from workflow.reassignment import reassign
from workflow.reassignment_rules import reassignment_refusal
from workflow.review_conclusion import ReviewConclusion
from workflow.review_input import malformed_input, new_review_refusal, parse_review_input
from workflow.review_metrics import ReviewMetrics
from workflow.review_pass import Rejected, ReviewPass
from workflow.review_record import ReviewRecord
from workflow.review_reminders import ReviewReminders
from workflow.review_round import verb
from workflow.slack_outbox import SlackOutbox
from workflow.stage_deadlines import StageDeadlines
from workflow.submission_rules import reviewer_refusal, submission_refusal
from workflow.submission_update import submission_update_refusal, superseding, under_review
from workflow.ui_metadata import current_details
from workflow.withdrawal import WITHDRAWAL_REFUSED, withdrawal_refusal, withdrawn_outcome

PATCH_REFUSE_VERSIONS_FROM_REVIEWERS = "refuse-versions-from-reviewers"


@workflow.defn(name=WORKFLOW_TYPE)
class SchemaApprovalWorkflow:
    """Reviews one schema until a version is approved.

    Signals: `record_review_decision` (ReviewDecision), `submit_schema` (Submission).
    Updates: `override_review` (ReviewOverride -> str), `decide_review` (ReviewDecision ->
    DecisionOutcome), `reassign_reviewer`
    (Reassignment -> ReassignmentOutcome), `submit_schema_version` (Submission ->
    SubmissionOutcome), `withdraw_review` (Withdrawal -> str) and `retry_registration`
    (RegistrationRetry -> str), each refused with the reason.
    Query: `status` (ReviewStatus).
    Input: a `ReviewInput` as JSON, read by `workflow.review_input` so that one that does not
    read fails the review with the reason (InvalidReviewInput) instead of retrying forever.
    """

    @workflow.init
    def __init__(self, raw: Any = None) -> None:
        # Asked before anything else, in the first activation (see `workflow.patches`).
        self._strict = patches.strict_payloads()
        # The input is read here, not by the converter: see `workflow.review_input`.
        review = parse_review_input(raw, strict=self._strict)
        # The parts of the review, or what is wrong with an input that could not be read.
        self._parts: _ReviewParts | list[str]
        if isinstance(review, list):
            self._parts = review
        else:
            # Asked in the first activation, and only by a review with a policy: see
            # `workflow.patches`. A run denied it runs the Conductor graph.
            if review.policy is not None and not patches.review_policies():
                review.policy = None
            record = ReviewRecord(review, workflow.now, on_note=ReviewMetrics().noted)
            outbox = SlackOutbox(record.note)
            if review.policy is not None:
                outbox.pooled = {n for n in POLICY_STAGES if is_pool(review.policy, n)}
            self._parts = _ReviewParts(
                review,
                record,
                outbox,
                ReviewReminders(record, outbox),
                StageDeadlines(record, outbox.background),
            )
        self._rounds_this_run = 0
        self._published: tuple[str, list[str]] | None = None
        # Asked here, in the first activation, so that a run decides it once: reviews started
        # before it replay with the commands they wrote (see `workflow.patches`).
        self._lean = not isinstance(self._parts, list) and patches.lean()
        if not isinstance(self._parts, list):
            patches.message_facts()
            self._parts.record.registers_approvals = patches.registers_approvals(
                self._parts.review.carried
            )
        # Lean runs: the search attributes as last upserted, and whether the state changed
        # since (they are upserted once per workflow task, by `_keep_search_attributes`).
        self._upserted: dict[str, Any] = {}
        self._unpublished = False

    @workflow.run
    async def run(self, raw: Any = None) -> ReviewResult:
        # A bug in a background task (Slack outbox, reminders) fails the workflow task
        # instead of silently ending that task: see `workflow.background`.
        if not self._lean:
            return await watching(self._review_loop(), self._background_failure)
        keeper = asyncio.create_task(self._keep_search_attributes())
        try:
            result = await watching(self._review_loop(), self._background_failure)
        finally:
            keeper.cancel()
        self._upsert_search_attributes()
        return result

    def _background_failure(self) -> BaseException | None:
        if isinstance(self._parts, list):
            return None
        parts = self._parts
        return (
            parts.outbox.background.failure
            or parts.reminders.background.failure
            or parts.deadlines.background.failure
        )

    async def _review_loop(self) -> ReviewResult:
        review, record = self._review, self._record
        if review.carried is None:
            if refused := new_review_refusal(review):
                raise refused
            record.note(
                f"Review of {review.submission.schema_id} started by"
                f" {review.submission.submitted_by} with version {review.submission.version}.",
                "review_started",
            )
        if not self._lean:
            workflow.upsert_search_attributes(
                [
                    SA_SCHEMA_ID.value_set(review.submission.schema_id),
                    # "Submitted by" in the lists means the owner, whoever submitted the latest.
                    SA_SUBMITTED_BY.value_set(record.owner.lower()),
                ]
            )
        self._publish()
        while True:
            await workflow.wait_condition(
                lambda: record.is_interrupted() or self._should_continue_as_new()
            )
            conclusion = ReviewConclusion(record, self._outbox, self._reminders, self._publish)
            if record.withdrawal is not None:
                return await conclusion.withdraw(record.withdrawal)
            if self._should_continue_as_new():
                await self._continue_as_new()
            self._rounds_this_run += 1
            outcome = await ReviewPass(
                record, self._outbox, self._reminders, self._publish, self._started().deadlines
            ).run()
            if record.withdrawal is not None:
                return await conclusion.withdraw(record.withdrawal)
            if isinstance(outcome, UploadResult):
                return await conclusion.complete(outcome)
            if isinstance(outcome, Rejected) and not record.has_newer_version():
                conclusion.request_revision(outcome)
            else:
                superseded = record.reviewing_version
                ending = round_endings.superseded(superseded, record.version)
                self._outbox.conclude(superseded, ending)
                self._outbox.close_all(
                    superseded, message_facts.superseded_by(record.version), ending=ending
                )

    @workflow.signal(name=SIGNAL_RECORD_DECISION)
    def record_review_decision(self, payload: Any = None) -> None:
        decision = parse_decision(payload, strict=self._strict)
        if isinstance(decision, str):
            self._record.note(
                f"Ignored a {SIGNAL_RECORD_DECISION} signal: {decision}", "signal_ignored"
            )
            return
        clicks = self._record.clicks
        if reason := refusal(decision, self._record.facts()):
            self._record.note(
                f"Ignored a decision for {decision.stage} of version"
                f" {decision.submission_version} from {decision.reviewer}: {reason}",
                "decision_ignored",
            )
            clicks.remember(decision.click_id, accepted=False, message=reason)
            click_handled(decision.click_id, SIGNAL_RECORD_DECISION, False, reason)
            return
        recorded = self._accept(decision)
        clicks.remember(decision.click_id, accepted=True, message=recorded)
        click_handled(decision.click_id, SIGNAL_RECORD_DECISION, True, recorded)

    # The updates take the payload as it arrived and read it themselves (`workflow.payloads`),
    # so that a malformed one is refused with a sentence, not "Failed decoding arguments".
    # A click the bot signalled first (its update id is the signal's click_id) is answered
    # with what the signal's decision came to, not decided again (`workflow.click_outcomes`).
    @workflow.update(name=UPDATE_DECIDE)
    def decide_review(self, payload: Any = None) -> DecisionOutcome:
        if remembered := self._signalled_click():
            click_handled(remembered.click_id, UPDATE_DECIDE, True, remembered.message)
            return DecisionOutcome(accepted=True, message=remembered.message)
        decision = readable(
            parse_decision(payload, strict=self._strict), "decision", "DecisionRefused"
        )
        # Re-checked: another decision may have landed between validation and this handler.
        if reason := refusal(decision, self._record.facts()):
            raise ApplicationError(reason, type="DecisionRefused", non_retryable=True)
        recorded = self._accept(decision)
        update = workflow.current_update_info()
        click_handled(update.id if update else decision.click_id, UPDATE_DECIDE, True, recorded)
        return DecisionOutcome(accepted=True, message=recorded)

    @decide_review.validator
    def validate_decision(self, payload: Any = None) -> None:
        if remembered := self._signalled_click():
            if remembered.accepted:
                return
            raise ValueError(remembered.message)
        decision = readable(
            parse_decision(payload, strict=self._strict), "decision", "DecisionRefused"
        )
        if reason := refusal(decision, self._record.facts()):
            raise ValueError(reason)

    def _signalled_click(self) -> ClickOutcome | None:
        """What became of this update's click, when its signal came first."""
        update = workflow.current_update_info()
        return self._record.clicks.outcome(update.id if update else None)

    @workflow.update(name=UPDATE_REASSIGN)
    def reassign_reviewer(self, payload: Any = None) -> ReassignmentOutcome:
        self.validate_reassignment(payload)
        request = readable(
            parse_reassignment(payload, strict=self._strict), "reassignment", REASSIGNMENT_REFUSED
        )
        if is_pool(self._record.policy, request.seat):
            outcome = reassign_pool_member(self._record, self._outbox, self._reminders, request)
        else:
            outcome = reassign(self._record, self._outbox, self._reminders, request)
        self._publish()
        return outcome

    @reassign_reviewer.validator
    def validate_reassignment(self, payload: Any = None) -> None:
        request = readable(
            parse_reassignment(payload, strict=self._strict), "reassignment", REASSIGNMENT_REFUSED
        )
        if refused := reassignment_refusal(request, self._record.facts()):
            raise ApplicationError(refused.sentence, type=refused.error_type, non_retryable=True)

    @workflow.update(name=UPDATE_OVERRIDE)
    def override_review(self, payload: Any = None) -> str:
        self.validate_override(payload)
        request = readable(
            parse_override(payload, strict=self._strict), "override", OVERRIDE_REFUSED
        )
        answer = apply_override(self._record, self._outbox, self._outbox.background, request)
        self._publish()
        return answer

    @override_review.validator
    def validate_override(self, payload: Any = None) -> None:
        request = readable(
            parse_override(payload, strict=self._strict), "override", OVERRIDE_REFUSED
        )
        if refused := override_refusal(request, self._record):
            raise ApplicationError(refused, type=OVERRIDE_REFUSED, non_retryable=True)

    def _override(self, payload: Any) -> ReviewOverride:
        parsed = parse_override(payload, strict=self._strict)
        return readable(parsed, "override", OVERRIDE_REFUSED)

    @workflow.update(name=UPDATE_WITHDRAW)
    def withdraw_review(self, payload: Any = None) -> str:
        self.validate_withdrawal(payload)
        request = readable(
            parse_withdrawal(payload, strict=self._strict), "withdrawal", WITHDRAWAL_REFUSED
        )
        record = self._record
        record.withdrawal = request
        record.state = "withdrawn"
        outcome = withdrawn_outcome(request)
        record.note(f"Review {outcome[:1].lower()}{outcome[1:].rstrip('.')}.", "withdrawn")
        self._publish()
        return f"Withdrawn: the review of {record.submission.schema_id} ends without an approval."

    @withdraw_review.validator
    def validate_withdrawal(self, payload: Any = None) -> None:
        request = readable(
            parse_withdrawal(payload, strict=self._strict), "withdrawal", WITHDRAWAL_REFUSED
        )
        if refused := withdrawal_refusal(request, self._record):
            raise ApplicationError(refused, type=WITHDRAWAL_REFUSED, non_retryable=True)

    @workflow.update(name=UPDATE_RETRY_REGISTRATION)
    async def retry_registration(self, payload: Any = None) -> str:
        self.validate_registration_retry(payload)
        request = readable(
            parse_registration_retry(payload, strict=self._strict),
            "registration retry",
            REGISTRATION_RETRY_REFUSED,
        )
        return await retried_registration(self._record, request, self._publish)

    @retry_registration.validator
    def validate_registration_retry(self, payload: Any = None) -> None:
        request = readable(
            parse_registration_retry(payload, strict=self._strict),
            "registration retry",
            REGISTRATION_RETRY_REFUSED,
        )
        if refused := registration_retry_refusal(request, self._record):
            raise ApplicationError(refused, type=REGISTRATION_RETRY_REFUSED, non_retryable=True)

    @workflow.signal(name=SIGNAL_SUBMIT_SCHEMA)
    def submit_schema(self, payload: Any = None) -> None:
        record = self._record
        submission = parse_submission(payload, strict=self._strict)
        if isinstance(submission, str):
            record.note(f"Ignored a {SIGNAL_SUBMIT_SCHEMA} signal: {submission}", "signal_ignored")
            return
        if submission == record.submission:
            # Signal-with-start (the starter, /submit-schema) repeats the start input's own
            # submission; receiving what is already under review again changes nothing.
            return
        reason = submission_refusal(submission, record)
        if reason is None and (reason := reviewer_refusal(submission, record)) is not None:
            # Reviews that took such a version before it was refused must replay taking it.
            reason = reason if patches.patched(PATCH_REFUSE_VERSIONS_FROM_REVIEWERS) else None
        if reason is not None:
            record.note(
                f"Ignored version {submission.version} of {submission.schema_id}: {reason}",
                "version_ignored",
            )
            return
        self._take_version(submission)

    @workflow.update(name=UPDATE_SUBMIT)
    def submit_schema_version(self, payload: Any = None) -> SubmissionOutcome:
        submission = readable(
            parse_submission(payload, strict=self._strict), "submission", SUBMISSION_REFUSED
        )
        # Re-checked, as decide_review does: the validator's view may be a moment old. In the
        # order of old: the validator refuses a repeat of the approved version first, so only
        # a history from before that answered it "under review" reaches the old order here.
        refused = submission_update_refusal(
            submission, self._review, self._record, approved_first=False
        )
        if refused is not None:
            raise refused
        if submission == self._record.submission:
            return under_review(submission)
        return superseding(submission, self._take_version(submission))

    @submit_schema_version.validator
    def validate_submission(self, payload: Any = None) -> None:
        submission = readable(
            parse_submission(payload, strict=self._strict), "submission", SUBMISSION_REFUSED
        )
        if refused := submission_update_refusal(submission, self._review, self._record):
            raise refused

    def _take_version(self, submission: Submission) -> int:
        """The review goes on with this version; returns the version it supersedes."""
        record = self._record
        previous = record.version
        record.submission = submission
        record.note(
            f"Version {submission.version} submitted by {submission.submitted_by}"
            f" ({submission.description}); it supersedes version {previous}.",
            "version_submitted",
        )
        self._publish()
        return previous

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> ReviewStatus:
        return self._record.status()

    def _accept(self, decision: ReviewDecision) -> str:
        recorded = self._record.record(decision)
        text = f"{recorded.stage} of version {recorded.version} {verb(recorded)} by"
        text += f" {recorded.reviewer}"
        if recorded.reason:
            text += f": {recorded.reason}"
        elif recorded.requires_additional_review:
            text += ": compliance review (Review3) is required"
        self._record.note(text + ".", "decision_recorded")
        self._publish()
        return f"Recorded: {text}."

    def _should_continue_as_new(self) -> bool:
        limit = self._review.continue_as_new_after_rounds
        if limit is not None and self._rounds_this_run >= limit:
            return True
        return workflow.info().is_continue_as_new_suggested()

    async def _continue_as_new(self) -> None:
        await self._outbox.settle()
        await self._reminders.settle()
        await workflow.wait_condition(workflow.all_handlers_finished)
        record = self._record
        record.note(
            f"Continued as a new run after round {record.round} to keep the event history small.",
            "continued_as_new",
        )
        review = self._review
        if self._lean:
            self._upsert_search_attributes()
        workflow.continue_as_new(
            ReviewInput(
                submission=record.submission,
                reviewers=record.reviewers,
                review_channel=record.review_channel,
                reminders=record.reminders,
                owner=record.owner,
                carried=record.carried(),
                continue_as_new_after_rounds=review.continue_as_new_after_rounds,
                stand_ins=record.stand_ins,
                breaking_change_policy=record.breaking_change_policy,
                policy=record.policy,
            )
        )

    def _publish(self) -> None:
        """Keep the search attributes that list reviews in sync with the state."""
        record = self._record
        # The Temporal UI's "current details": no command, so no replay concern.
        workflow.set_current_details(current_details(record.status()))
        pending = sorted({p.reviewer.lower() for p in record.pending()})
        published = (record.state, pending)
        if published == self._published:
            return
        self._published = published
        if self._lean:
            self._unpublished = True
            return
        workflow.upsert_search_attributes(
            [SA_REVIEW_STATE.value_set(record.state), SA_PENDING_REVIEWERS.value_set(pending)]
        )

    async def _keep_search_attributes(self) -> None:
        """Lean runs: one upsert for every change of the state within a workflow task."""
        while True:
            await workflow.wait_condition(lambda: self._unpublished)
            # Behind whatever else this wake-up set going (a decision that completes the
            # review also changes the state), so that one upsert carries all of it.
            await asyncio.sleep(0)
            self._upsert_search_attributes()

    def _upsert_search_attributes(self) -> None:
        """Upsert the search attributes that changed since the last upsert (lean runs)."""
        self._unpublished = False
        record = self._record
        state, pending = self._published or (record.state, [])
        # "Submitted by" in the lists means the owner, whoever submitted the latest.
        schema_id, owner = record.submission.schema_id, record.owner.lower()
        was = self._upserted
        changed: list[SearchAttributeUpdate[Any]] = []
        if was.get(SA_SCHEMA_ID.name) != schema_id:
            changed.append(SA_SCHEMA_ID.value_set(schema_id))
        if was.get(SA_SUBMITTED_BY.name) != owner:
            changed.append(SA_SUBMITTED_BY.value_set(owner))
        if was.get(SA_REVIEW_STATE.name) != state:
            changed.append(SA_REVIEW_STATE.value_set(state))
        if was.get(SA_PENDING_REVIEWERS.name) != pending:
            changed.append(SA_PENDING_REVIEWERS.value_set(pending))
        if changed:
            self._upserted = {
                SA_SCHEMA_ID.name: schema_id,
                SA_SUBMITTED_BY.name: owner,
                SA_REVIEW_STATE.name: state,
                SA_PENDING_REVIEWERS.name: pending,
            }
            workflow.upsert_search_attributes(changed)

    # For an input that could not be read, every handler and the run raise why: the review
    # fails with that sentence, and the status query answers with it.
    def _started(self) -> _ReviewParts:
        if isinstance(self._parts, list):
            raise malformed_input(self._parts)
        return self._parts

    @property
    def _review(self) -> ReviewInput:
        return self._started().review

    @property
    def _record(self) -> ReviewRecord:
        return self._started().record

    @property
    def _outbox(self) -> SlackOutbox:
        return self._started().outbox

    @property
    def _reminders(self) -> ReviewReminders:
        return self._started().reminders


@dataclass(frozen=True)
class _ReviewParts:
    review: ReviewInput
    record: ReviewRecord
    outbox: SlackOutbox
    reminders: ReviewReminders
    deadlines: StageDeadlines
