"""The decision-acceptance rule (spec, semantics 8), shared by the signal and the update validator.

Pure: it reads the facts it is given and returns the sentence a refused caller should see, so
the `record_review_decision` signal writes it to the history and the `decide_review` update
raises it to the clicker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workflow.models import (
    EMAIL_PATTERN,
    REVIEW_3,
    STAGES,
    RecordedDecision,
    ReviewDecision,
    Reviewers,
    ReviewState,
    same_person,
    version_problem,
)
from workflow.policy_contract import DeadlineAct, OverrideRecord, ReviewPolicy
from workflow.policy_round import is_pool, stage_names, step_of
from workflow.review_round import ReviewStep, verb


@dataclass(frozen=True)
class ReviewFacts:
    """What the rule needs to know about the review right now."""

    current_version: int
    state: ReviewState
    reviewers: Reviewers
    # Every decision recorded so far, all versions.
    decisions: Sequence[RecordedDecision]
    # Who submitted the current version (may not review it).
    submitted_by: str = ""
    # The current version is a breaking change that requires the compliance review.
    compliance_required: bool = False
    # The review's policy, and the current version's deadlines that acted and overrides.
    policy: ReviewPolicy | None = None
    acts: Sequence[DeadlineAct] = ()
    overrides: Sequence[OverrideRecord] = ()

    def step(self, this_version: Sequence[RecordedDecision]) -> ReviewStep:
        return step_of(
            this_version,
            compliance_required=self.compliance_required,
            policy=self.policy,
            acts=self.acts,
            overrides=self.overrides,
        )


def payload_problem(decision: ReviewDecision, stages: Sequence[str] = STAGES) -> str | None:
    """What is wrong with the decision itself, whatever the state of the review (`stages`:
    the review's stage names, a pool's round among them)."""
    if decision.stage not in stages:
        return f"'{decision.stage}' is not a review stage: use one of {', '.join(stages)}."
    if problem := version_problem(decision.submission_version, "submission_version"):
        return f"{problem}."
    if not isinstance(decision.reviewer, str) or not EMAIL_PATTERN.match(decision.reviewer):
        return f"reviewer must be an email address, not {decision.reviewer!r}."
    if decision.stage == REVIEW_3 and decision.approved and decision.requires_additional_review:
        return "Review3 is the compliance review and cannot be escalated: approve or reject it."
    return None


def refusal(decision: ReviewDecision, facts: ReviewFacts) -> str | None:
    """Why this decision must not count, or None when it is accepted."""
    stages = STAGES if facts.policy is None else stage_names(facts.policy)
    if problem := payload_problem(decision, stages):
        return problem
    current = facts.current_version
    if facts.state in ("approved", "approved_not_registered"):
        return f"This review is closed: version {current} was approved."
    if facts.state == "withdrawn":
        return "This review is closed: it was withdrawn."
    version = decision.submission_version
    if version < current:
        return f"Version {version} is no longer under review: version {current} superseded it."
    if version > current:
        return f"Version {version} has not been submitted: the current version is {current}."

    stage = decision.stage
    this_version = [d for d in facts.decisions if d.version == current]
    if is_pool(facts.policy, stage):
        return _pool_member_refusal(decision, facts, this_version) or _closed_stage(
            stage, facts, this_version
        )
    earlier = next((d for d in this_version if d.stage == stage), None)
    if earlier is not None:
        return (
            f"A decision for {stage} of version {current} was already recorded"
            f" ({verb(earlier)} by {earlier.reviewer})."
        )
    assigned = facts.reviewers.for_stage(stage)
    if not same_person(decision.reviewer, assigned):
        return (
            f"{stage} for version {current} is not assigned to {decision.reviewer};"
            f" it is assigned to {assigned}."
        )
    return _closed_stage(stage, facts, this_version)


def _closed_stage(
    stage: str, facts: ReviewFacts, this_version: Sequence[RecordedDecision]
) -> str | None:
    current = facts.current_version
    if facts.state == "uploading":
        return f"{stage} is not open yet: version {current} is still being uploaded."
    step = facts.step(this_version)
    if step.kind == "complete":
        return f"This review is closed: version {current} was approved."
    if facts.state == "awaiting_revision" or step.kind == "rejected":
        rejection = step.rejection
        why = (
            f"{rejection.reviewer} rejected version {current} at {rejection.stage}"
            if rejection is not None
            else f"no decision came in time at {step.deadline.stage}"
            if step.deadline is not None
            else f"version {current} could not be accepted"
        )
        return f"{stage} is not open: {why}, so the review is waiting for a revised version."
    if stage not in step.stages:
        return (
            f"{stage} is not open: the review is awaiting round {step.round_number()}"
            f" ({', '.join(step.stages)})."
        )
    return None


def _pool_member_refusal(
    decision: ReviewDecision, facts: ReviewFacts, this_version: Sequence[RecordedDecision]
) -> str | None:
    """A pool's decisions: from a member other than the submitter, once per person."""
    stage, current = decision.stage, facts.current_version
    assert facts.policy is not None
    pool = facts.policy.pool(stage)
    if same_person(decision.reviewer, facts.submitted_by):
        return f"{decision.reviewer} submitted version {current} and may not review it."
    if not any(same_person(decision.reviewer, member) for member in pool):
        return (
            f"{stage} for version {current} is not asked of {decision.reviewer}; its pool is"
            f" {', '.join(pool)}."
        )
    mine = [d for d in this_version if same_person(d.reviewer, decision.reviewer)]
    earlier = next((d for d in mine if d.stage == stage), None)
    if earlier is not None:
        return (
            f"{decision.reviewer} already decided {stage} of version {current}"
            f" ({verb(earlier)}); one person's decision counts once."
        )
    return None
