"""Why a request of a review with a policy (or an override) no longer asks its reviewer, as
facts for the closed message: the override, the deadline that acted, the pool's approvals
reached, or the reasons any review has (reassigned, superseded, rejected elsewhere)."""

from __future__ import annotations

from workflow import message_facts
from workflow.message_facts import MessageClosing
from workflow.models import same_person
from workflow.policy_contract import ReviewPolicy
from workflow.policy_round import ROUND_SEATS, approvers, is_pool, round_of, round_stages
from workflow.review_record import ReviewRecord

_NEXT_ROUND = {"Review1": "Review2", "Review2": "Review3"}


def why_not_asked(record: ReviewRecord, version: int, stage: str, reviewer: str) -> MessageClosing:
    name = round_of(stage)
    override = next(
        (
            o
            for o in record.overrides
            if o.version == version and (o.stage is None or o.stage == name)
        ),
        None,
    )
    if override is not None:
        return message_facts.overridden(override)
    act = next((a for a in record.deadline_acts if a.version == version and a.stage == name), None)
    if act is not None and (
        act.then != "reassign" or any(same_person(reviewer, r) for r in act.replaced)
    ):
        return message_facts.deadline_passed(act, _NEXT_ROUND.get(name))
    policy = record.policy or ReviewPolicy()
    decisions = record.decisions_of(version)
    if is_pool(policy, name):
        if not any(same_person(reviewer, m) for m in policy.pool(name)):
            return message_facts.NO_LONGER_NEEDED
        approved = approvers(decisions, round_stages(policy, name))
        entry = policy.for_stage(name)
        if entry is not None and len(approved) >= entry.approvals:
            return message_facts.enough_approvals(approved)
    elif stage not in ROUND_SEATS:
        holder = record.reviewers.for_stage(stage)
        if not same_person(holder, reviewer):
            return message_facts.reassigned(holder)
    if record.version > version:
        return message_facts.superseded_by(record.version)
    rejection = next((d for d in decisions if not d.approved), None)
    if rejection is not None:
        return message_facts.rejected_elsewhere(rejection)
    return message_facts.NO_LONGER_NEEDED
