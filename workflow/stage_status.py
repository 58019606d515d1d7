"""Who a round still asks, and each round as the `status` query shows it (`status.stages`):
required approvals, who approved, who is still asked, the deadline and what happens then."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workflow.models import PendingReview, RecordedDecision, same_person
from workflow.policy_contract import ReviewPolicy, StageStatus
from workflow.policy_round import (
    ROUND_SEATS,
    RoundOutcome,
    approvers,
    is_pool,
    round_of,
    round_outcomes,
    round_stages,
)
from workflow.review_round import ReviewStep

if TYPE_CHECKING:
    from workflow.review_record import ReviewRecord


def distinct(emails: Sequence[str]) -> list[str]:
    kept: list[str] = []
    for email in emails:
        if not any(same_person(email, k) for k in kept):
            kept.append(email)
    return kept


def pool_pending(
    record: ReviewRecord, step: ReviewStep, decisions: Sequence[RecordedDecision]
) -> list[PendingReview]:
    """The open stages' undecided reviewers: every pool member but the submitter, each seat."""
    policy = record.policy
    submitter = record.submission.submitted_by
    pending: list[PendingReview] = []
    for stage in step.stages:
        if not is_pool(policy, stage):
            if not any(d.stage == stage for d in decisions):
                pending.append(PendingReview(stage, record.reviewers.for_stage(stage)))
            continue
        assert policy is not None
        decided = [d.reviewer for d in decisions if d.stage == stage]
        for member in distinct(policy.pool(stage)):
            if same_person(member, submitter) or any(same_person(member, r) for r in decided):
                continue
            pending.append(PendingReview(stage, member))
    return pending


def stages_status(record: ReviewRecord) -> list[StageStatus]:
    version = record.version
    policy = record.policy or ReviewPolicy()
    decisions = record.decisions_of(version)
    overrides = [o for o in record.overrides if o.version == version]
    acts = [a for a in record.deadline_acts if a.version == version]
    reached: dict[str, RoundOutcome] = {}
    if record.state != "uploading" or record.has_newer_version():
        reached = {
            o.name: o
            for o in round_outcomes(
                decisions,
                compliance_required=version in record.compliance_required,
                policy=policy,
                acts=acts,
                overrides=overrides,
            )
        }
    whole = next((o for o in overrides if o.stage is None), None)
    finished = record.state in ("approved", "approved_not_registered")
    asked = record.pending()
    shown: list[StageStatus] = []
    for name in ROUND_SEATS:
        stages = round_stages(policy, name)
        entry = policy.for_stage(name)
        pool = is_pool(policy, name)
        outcome = reached.get(name)
        state = outcome.state if outcome is not None else "waiting"
        if finished and outcome is None:
            state = "skipped"
        override = next((o for o in overrides if o.stage == name), whole)
        if whole is not None and state in ("open", "waiting"):
            state = "approved"
        deadline = entry.deadline if entry is not None else None
        act = next((a for a in acts if a.stage == name), None)
        shown.append(
            StageStatus(
                stage=name,
                state=state,
                approvals_required=entry.approvals if pool and entry is not None else len(stages),
                reviewers=distinct(policy.pool(name))
                if pool
                else [record.reviewers.for_stage(s) for s in stages],
                approved_by=approvers(decisions, stages),
                still_asked=[p.reviewer for p in asked if round_of(p.stage) == name],
                deadline_at=record.deadline_due.get((version, name)),
                deadline_then=deadline.then if deadline is not None else None,
                reassign_to=deadline.reassign_to if deadline is not None else None,
                deadline_acted=act.then if act is not None else None,
                overridden_by=override.requested_by if override is not None else None,
            )
        )
    return shown
