"""Where a version's review stands, computed from its decisions alone.

This is the Conductor task graph of `conductor-definitions/review_approval.json` (one pass of
the DO_WHILE body after `upload_schema`) as a pure function. Deriving the open stages from the
recorded decisions, instead of keeping a separate "open" flag, means a decision accepted by a
handler can never disagree with what the main loop does next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from workflow.models import REVIEW_1A, REVIEW_1B, REVIEW_2, REVIEW_3, RecordedDecision
from workflow.policy_contract import DeadlineAct

StepKind = Literal["review", "rejected", "complete"]

ROUND_1 = "Review1"
ROUND_2 = "Review2"
ROUND_3 = "Review3"


@dataclass(frozen=True)
class ReviewStep:
    kind: StepKind
    # For "review": the round ("Review1", "Review2", "Review3") and its stages.
    round_name: str | None = None
    stages: tuple[str, ...] = ()
    # For "rejected": the decision that ended the round.
    rejection: RecordedDecision | None = None
    # For "complete": the Conductor task that ends the loop ("CompleteReview_1" or "_2").
    completed_by: str | None = None
    # For "rejected" under a review policy: the deadline that ended the round (no rejection).
    deadline: DeadlineAct | None = None

    def round_number(self) -> int:
        return {ROUND_1: 1, ROUND_2: 2, ROUND_3: 3}.get(self.round_name or "", 0)


def next_step(
    decisions: Sequence[RecordedDecision], *, compliance_required: bool = False
) -> ReviewStep:
    """The step that follows the given decisions, all for one version. `compliance_required`:
    a breaking change needs the compliance review (Review3) even when nobody escalated."""
    by_stage = {d.stage: d for d in decisions}
    first_round = [by_stage.get(REVIEW_1A), by_stage.get(REVIEW_1B)]
    # FORK_JOIN + Review1Check: the first rejection ends the round without waiting for the other.
    for decision in (d for d in decisions if d.stage in (REVIEW_1A, REVIEW_1B)):
        if not decision.approved:
            return ReviewStep("rejected", rejection=decision)
    if any(d is None for d in first_round):
        return ReviewStep("review", ROUND_1, (REVIEW_1A, REVIEW_1B))

    senior = by_stage.get(REVIEW_2)
    if senior is None:
        return ReviewStep("review", ROUND_2, (REVIEW_2,))
    if not senior.approved:
        return ReviewStep("rejected", rejection=senior)
    # Review2Check: escalation at Review1 or Review2 makes the compliance review necessary.
    escalated = any(d is not None and d.requires_additional_review for d in [*first_round, senior])
    if not escalated and not compliance_required:
        return ReviewStep("complete", completed_by="CompleteReview_1")

    compliance = by_stage.get(REVIEW_3)
    if compliance is None:
        return ReviewStep("review", ROUND_3, (REVIEW_3,))
    if not compliance.approved:
        return ReviewStep("rejected", rejection=compliance)
    return ReviewStep("complete", completed_by="CompleteReview_2")


def verb(decision: RecordedDecision) -> str:
    if not decision.approved:
        return "rejected"
    return "escalated" if decision.requires_additional_review else "approved"


def message_outcome(decision: RecordedDecision) -> str:
    """How a decided review request reads once its buttons are gone."""
    text = f"{verb(decision).capitalize()} by {decision.reviewer}"
    if not decision.approved and decision.reason:
        text += f": {decision.reason}"
    return text
