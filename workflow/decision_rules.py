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
from workflow.review_round import next_step, verb


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


def payload_problem(decision: ReviewDecision) -> str | None:
    """What is wrong with the decision itself, whatever the state of the review."""
    if decision.stage not in STAGES:
        return f"'{decision.stage}' is not a review stage: use one of {', '.join(STAGES)}."
    if problem := version_problem(decision.submission_version, "submission_version"):
        return f"{problem}."
    if not isinstance(decision.reviewer, str) or not EMAIL_PATTERN.match(decision.reviewer):
        return f"reviewer must be an email address, not {decision.reviewer!r}."
    if decision.stage == REVIEW_3 and decision.approved and decision.requires_additional_review:
        return "Review3 is the compliance review and cannot be escalated: approve or reject it."
    return None


def refusal(decision: ReviewDecision, facts: ReviewFacts) -> str | None:
    """Why this decision must not count, or None when it is accepted."""
    if problem := payload_problem(decision):
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
    step = next_step(this_version, compliance_required=facts.compliance_required)
    if step.kind == "complete":
        return f"This review is closed: version {current} was approved."
    if facts.state == "awaiting_revision" or step.kind == "rejected":
        rejection = step.rejection
        why = (
            f"{rejection.reviewer} rejected version {current} at {rejection.stage}"
            if rejection is not None
            else f"version {current} could not be accepted"
        )
        return f"{stage} is not open: {why}, so the review is waiting for a revised version."
    if stage not in step.stages:
        return (
            f"{stage} is not open: the review is awaiting round {step.round_number()}"
            f" ({', '.join(step.stages)})."
        )
    return None
