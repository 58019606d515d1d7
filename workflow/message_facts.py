"""Why a review message closed and how its round ended, as facts for the Slack activities.

The workflow decides what happened (who, which stage, which version, why as a code); the words
a reader sees are `slack_presentation.closing_sentences`'s, so that they can change without a
workflow patch. Reviews started before the patch `review-messages-carry-facts` send the
sentences themselves (`workflow.closing_words`) and replay that way.

The kinds are `Literal`s on purpose: an activity worker that does not know a kind refuses the
input (the converter fails it, Temporal retries it) instead of showing half a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from workflow.models import RecordedDecision, Withdrawal
from workflow.policy_contract import DeadlineAct, OverrideRecord

ClosingKind = Literal[
    # Its reviewer decided: the facts are the update's `decision`.
    "decided",
    # Another stage of the round rejected the version (`by` at `stage`).
    "rejected_elsewhere",
    # The seat went to `to` (by `by`, when the workflow knows who asked).
    "reassigned",
    # A newer version (`version`) took over the review.
    "superseded",
    # The review completed: `version` was approved.
    "approved",
    # `by` withdrew the review, saying `reason` (may be empty).
    "withdrawn",
    # The stage stopped waiting for none of the reasons above.
    "no_longer_needed",
    # A pool round got its approvals (`approved_by`) before this member decided.
    "enough_approvals",
    # The round's deadline (`after_seconds`) fell due and acted (`then`): escalate asked
    # `stage` instead, reassign gave the decision `to`, reject ended the round.
    "deadline_passed",
    # `by` approved the round (or the whole review) by override, saying `reason`.
    "overridden",
]

# "expired": the round's deadline rejected the version (`stage`, `after_seconds`).
EndingKind = Literal["rejected", "superseded", "approved", "withdrawn", "expired"]


@dataclass(frozen=True)
class MessageClosing:
    """Why a review request (or the reminders sent for it) no longer asks for a decision."""

    kind: ClosingKind
    by: str | None = None
    stage: str | None = None
    version: int | None = None
    to: str | None = None
    reason: str = ""
    approved_by: list[str] = field(default_factory=list)
    then: str | None = None
    after_seconds: float | None = None


@dataclass(frozen=True)
class RoundEnding:
    """How the round of `version` ended, for every message of that round."""

    kind: EndingKind
    version: int
    # "rejected": the reviewer who rejected; "withdrawn": who withdrew.
    by: str | None = None
    # "rejected": the stage it was rejected at.
    stage: str | None = None
    # "rejected": who was asked for a new version.
    submitter: str | None = None
    # "superseded": the version that took over.
    newer_version: int | None = None
    # "expired": how long the round waited for a decision.
    after_seconds: float | None = None


def decided(decision: RecordedDecision) -> MessageClosing:
    return MessageClosing("decided", by=decision.reviewer, stage=decision.stage)


def rejected_elsewhere(rejection: RecordedDecision) -> MessageClosing:
    return MessageClosing("rejected_elsewhere", by=rejection.reviewer, stage=rejection.stage)


def reassigned(to: str, by: str | None = None) -> MessageClosing:
    return MessageClosing("reassigned", by=by, to=to)


def superseded_by(version: int) -> MessageClosing:
    return MessageClosing("superseded", version=version)


def completed(version: int) -> MessageClosing:
    return MessageClosing("approved", version=version)


def withdrawn(request: Withdrawal) -> MessageClosing:
    return MessageClosing("withdrawn", by=request.requested_by, reason=request.reason)


def enough_approvals(approved_by: list[str]) -> MessageClosing:
    return MessageClosing("enough_approvals", approved_by=list(approved_by))


def deadline_passed(act: DeadlineAct, next_stage: str | None = None) -> MessageClosing:
    return MessageClosing(
        "deadline_passed",
        stage=next_stage,
        to=act.reassign_to,
        then=act.then,
        after_seconds=act.after_seconds,
    )


def overridden(override: OverrideRecord) -> MessageClosing:
    return MessageClosing("overridden", by=override.requested_by, reason=override.reason)


NO_LONGER_NEEDED = MessageClosing("no_longer_needed")
