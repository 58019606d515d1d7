"""Review policies in the workflow input: pools with N of M approvals, deadlines that act, and
the break-glass override, with what the `status` query says of each stage.

`ReviewInput.policy` maps a round (`Review1`, `Review2`, `Review3`) to a `StagePolicy`. A round
without an entry, or whose entry names no `reviewers`, keeps its seats from `reviewers` (the
Conductor graph). The JSON, read strictly by `workflow.payload_shape`, is shown in
docs/workflow.md ("Review policies"); what makes a policy that cannot apply is
`workflow.policy_checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# The rounds a policy speaks of; a pool's decisions carry the round's name as their stage.
POLICY_STAGES: tuple[str, ...] = ("Review1", "Review2", "Review3")
DEADLINE_ACTIONS: tuple[str, ...] = ("escalate", "reassign", "reject")
# Escalating a deadline asks the next round; Review3 has none.
ESCALATABLE_BY_DEADLINE: tuple[str, ...] = ("Review1", "Review2")

# Why the `override_review` update was refused (the ApplicationError type).
OVERRIDE_REFUSED = "OverrideRefused"
UPDATE_OVERRIDE = "override_review"

DeadlineAction = Literal["escalate", "reassign", "reject"]


@dataclass
class StageDeadline:
    """What happens when the round is still open `after_seconds` after it opened."""

    after_seconds: float
    # One of DEADLINE_ACTIONS.
    then: str
    # `reassign`: who decides in place of the reviewers who did not.
    reassign_to: str | None = None


@dataclass
class StagePolicy:
    """One round's entry: a pool of reviewers of whom `approvals` distinct ones must approve
    (no `reviewers`: the round's seats), and a deadline."""

    reviewers: list[str] = field(default_factory=list)
    approvals: int = 1
    deadline: StageDeadline | None = None


@dataclass
class ReviewPolicy:
    """`"policy"` in the input: an entry per round, each optional. Named as the rounds are,
    so that the JSON reads `{"Review1": {...}}` and an unknown round is refused by name."""

    Review1: StagePolicy | None = None
    Review2: StagePolicy | None = None
    Review3: StagePolicy | None = None

    def for_stage(self, stage: str) -> StagePolicy | None:
        return {"Review1": self.Review1, "Review2": self.Review2, "Review3": self.Review3}.get(
            stage
        )

    def pool(self, stage: str) -> list[str]:
        """The round's pool, or [] when the round keeps its seats."""
        entry = self.for_stage(stage)
        return list(entry.reviewers) if entry is not None else []


@dataclass
class ReviewOverride:
    """The payload of the `override_review` update: break glass. Approves one round
    (`stage`: "Review1", "Review2", "Review3") or, with `stage` null, the whole review.
    Who may ask (an admin) is the bot's check; the workflow requires who and why."""

    requested_by: str
    reason: str
    stage: str | None = None


@dataclass
class OverrideRecord:
    """An accepted override, as `status.overrides` lists it."""

    stage: str | None
    version: int
    requested_by: str
    reason: str
    at: str  # ISO 8601, from workflow time


@dataclass
class DeadlineAct:
    """A deadline that fell due on an open round, and what it did."""

    stage: str
    version: int
    then: str
    after_seconds: float
    at: str  # ISO 8601, from workflow time
    # `reassign`: who was asked, and whom they replaced.
    reassign_to: str | None = None
    replaced: list[str] = field(default_factory=list)


@dataclass
class StageStatus:
    """One round of the current version, as the `status` query shows it."""

    stage: str  # "Review1", "Review2", "Review3"
    # "waiting" (not open yet), "open", "approved", "rejected", "skipped" (not needed).
    state: str
    approvals_required: int
    # The pool, or the seat holders.
    reviewers: list[str]
    approved_by: list[str]
    # Open and not yet decided by them.
    still_asked: list[str]
    # When the round's deadline falls (ISO 8601), once it is open; and what happens then.
    deadline_at: str | None = None
    deadline_then: str | None = None
    reassign_to: str | None = None
    # What the deadline did, once it fell due ("escalate", "reassign", "reject").
    deadline_acted: str | None = None
    # Who approved it by override.
    overridden_by: str | None = None
