"""Where a version's review stands under a review policy: pools with N of M approvals, the
deadlines that acted and the overrides, computed from the records alone.

The policy's counterpart of `workflow.review_round.next_step`, which stays the Conductor graph
for reviews without a policy or an override (and is what this reduces to for seats). Pure: the
handlers' rules and the main loop read the same step, as with the graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from workflow.models import REVIEW_1A, REVIEW_1B, REVIEW_2, REVIEW_3, RecordedDecision, same_person
from workflow.policy_contract import DeadlineAct, OverrideRecord, ReviewPolicy
from workflow.review_round import ROUND_1, ROUND_2, ROUND_3, ReviewStep, next_step

ROUND_SEATS: dict[str, tuple[str, ...]] = {
    ROUND_1: (REVIEW_1A, REVIEW_1B),
    ROUND_2: (REVIEW_2,),
    ROUND_3: (REVIEW_3,),
}
SEAT_ROUND: dict[str, str] = {seat: name for name, seats in ROUND_SEATS.items() for seat in seats}

RoundState = Literal["open", "approved", "rejected", "skipped"]


@dataclass(frozen=True)
class RoundOutcome:
    name: str
    state: RoundState
    rejection: RecordedDecision | None = None
    # The deadline that rejected or escalated the round, when one did.
    deadline: DeadlineAct | None = None
    # Review3 is required: someone escalated, or the deadline of Review2 asked it.
    escalated: bool = False
    overridden: bool = False


def round_of(stage: str) -> str:
    """The round a stage belongs to: `Review1.a` -> `Review1`; a round's own name unchanged."""
    return SEAT_ROUND.get(stage, stage)


def is_pool(policy: ReviewPolicy | None, stage: str) -> bool:
    """Whether decisions on `stage` are a pool's (the stage is a round with `reviewers`)."""
    return policy is not None and stage in ROUND_SEATS and bool(policy.pool(stage))


def round_stages(policy: ReviewPolicy | None, name: str) -> tuple[str, ...]:
    """The stages decisions of round `name` are sent for: its own name for a pool, the seats
    otherwise."""
    return (name,) if is_pool(policy, name) else ROUND_SEATS[name]


def stage_names(policy: ReviewPolicy | None) -> list[str]:
    return [stage for name in ROUND_SEATS for stage in round_stages(policy, name)]


def approvers(decisions: Sequence[RecordedDecision], stages: Sequence[str]) -> list[str]:
    """Who approved (or escalated) these stages, each person once, in order."""
    found: list[str] = []
    for d in decisions:
        if d.stage in stages and d.approved and not any(same_person(d.reviewer, a) for a in found):
            found.append(d.reviewer)
    return found


def round_outcome(
    name: str,
    decisions: Sequence[RecordedDecision],
    policy: ReviewPolicy,
    acts: Sequence[DeadlineAct],
    overrides: Sequence[OverrideRecord],
) -> RoundOutcome:
    stages = round_stages(policy, name)
    mine = [d for d in decisions if d.stage in stages]
    escalated = any(d.approved and d.requires_additional_review for d in mine)
    rejection = next((d for d in mine if not d.approved), None)
    if rejection is not None:
        return RoundOutcome(name, "rejected", rejection=rejection)
    if any(o.stage == name for o in overrides):
        return RoundOutcome(name, "approved", escalated=escalated, overridden=True)
    act = next((a for a in acts if a.stage == name), None)
    if act is not None and act.then == "reject":
        return RoundOutcome(name, "rejected", deadline=act)
    if act is not None and act.then == "escalate":
        return RoundOutcome(name, "skipped", deadline=act, escalated=escalated or name == ROUND_2)
    approved = approvers(mine, stages)
    if is_pool(policy, name):
        entry = policy.for_stage(name)
        needed = entry.approvals if entry is not None else 1
        by_deadline = act is not None and any(
            same_person(a, act.reassign_to or "") for a in approved
        )
        done = len(approved) >= needed or by_deadline
    else:
        done = all(any(d.stage == seat and d.approved for d in mine) for seat in stages)
    return RoundOutcome(name, "approved" if done else "open", escalated=escalated)


def round_outcomes(
    decisions: Sequence[RecordedDecision],
    *,
    compliance_required: bool,
    policy: ReviewPolicy,
    acts: Sequence[DeadlineAct] = (),
    overrides: Sequence[OverrideRecord] = (),
) -> list[RoundOutcome]:
    """The rounds reached so far, in order; the last is open, rejected, or the review is
    complete (Review3 left out when not required)."""
    reached: list[RoundOutcome] = []
    escalated = compliance_required
    for name in (ROUND_1, ROUND_2, ROUND_3):
        if name == ROUND_3 and not escalated:
            break
        outcome = round_outcome(name, decisions, policy, acts, overrides)
        reached.append(outcome)
        if outcome.state in ("open", "rejected"):
            break
        escalated = escalated or outcome.escalated
    return reached


def policy_step(
    decisions: Sequence[RecordedDecision],
    *,
    compliance_required: bool,
    policy: ReviewPolicy,
    acts: Sequence[DeadlineAct] = (),
    overrides: Sequence[OverrideRecord] = (),
) -> ReviewStep:
    if any(o.stage is None for o in overrides):
        return ReviewStep("complete", completed_by="Override")
    reached = round_outcomes(
        decisions,
        compliance_required=compliance_required,
        policy=policy,
        acts=acts,
        overrides=overrides,
    )
    last = reached[-1]
    if last.state == "rejected":
        return ReviewStep("rejected", rejection=last.rejection, deadline=last.deadline)
    if last.state == "open":
        return ReviewStep("review", last.name, round_stages(policy, last.name))
    completed_by = "CompleteReview_2" if last.name == ROUND_3 else "CompleteReview_1"
    return ReviewStep("complete", completed_by=completed_by)


def step_of(
    decisions: Sequence[RecordedDecision],
    *,
    compliance_required: bool,
    policy: ReviewPolicy | None,
    acts: Sequence[DeadlineAct] = (),
    overrides: Sequence[OverrideRecord] = (),
) -> ReviewStep:
    """The Conductor graph (`next_step`) unless a policy or an override changes it."""
    if policy is None and not overrides:
        return next_step(decisions, compliance_required=compliance_required)
    return policy_step(
        decisions,
        compliance_required=compliance_required,
        policy=policy or ReviewPolicy(),
        acts=acts,
        overrides=overrides,
    )
