"""What makes a review policy one that cannot apply, said at the start of the review.

One sentence fragment per problem, joined by `workflow.review_input.new_review_refusal` into
the review's `InvalidReviewInput` failure, so that nothing starts on a policy that would leave
a round waiting for approvals it can never get.
"""

from __future__ import annotations

from workflow.models import EMAIL_PATTERN, same_person
from workflow.policy_contract import (
    DEADLINE_ACTIONS,
    ESCALATABLE_BY_DEADLINE,
    POLICY_STAGES,
    ReviewPolicy,
    StagePolicy,
)


def policy_problems(policy: ReviewPolicy, submitted_by: str) -> list[str]:
    found: list[str] = []
    for stage in POLICY_STAGES:
        entry = policy.for_stage(stage)
        if entry is not None:
            found += _entry_problems(stage, entry, submitted_by)
    return found


def _entry_problems(stage: str, entry: StagePolicy, submitted_by: str) -> list[str]:
    name = f"policy.{stage}"
    found: list[str] = []
    for member in entry.reviewers:
        if not EMAIL_PATTERN.match(member):
            found.append(f"{name}.reviewers must be email addresses, not {member!r}")
    if entry.approvals < 1:
        found.append(f"{name}.approvals must be 1 or more, not {entry.approvals}")
    if entry.reviewers:
        asked = _distinct([m for m in entry.reviewers if not same_person(m, submitted_by)])
        if not asked:
            found.append(
                f"{name}.reviewers holds only {submitted_by}, who submitted this schema and"
                " may not review it: name other reviewers"
            )
        elif len(asked) < entry.approvals:
            found.append(
                f"{name} needs {entry.approvals} approvals but its pool has only"
                f" {len(asked)} reviewer{'s' if len(asked) != 1 else ''} other than the"
                f" submitter: add reviewers or lower approvals"
            )
    elif entry.approvals != 1:
        found.append(
            f"{name}.approvals is {entry.approvals}, but {stage} has no pool (reviewers):"
            " name the pool, or leave approvals out to keep the seats"
        )
    if entry.deadline is not None:
        found += _deadline_problems(stage, entry, submitted_by)
    return found


def _deadline_problems(stage: str, entry: StagePolicy, submitted_by: str) -> list[str]:
    deadline = entry.deadline
    assert deadline is not None
    name = f"policy.{stage}.deadline"
    found: list[str] = []
    if deadline.after_seconds <= 0:
        found.append(
            f"{name}.after_seconds must be a number of seconds above 0,"
            f" not {deadline.after_seconds}"
        )
    if deadline.then not in DEADLINE_ACTIONS:
        actions = ", ".join(DEADLINE_ACTIONS)
        found.append(f"{name}.then must be one of {actions}, not {deadline.then!r}")
    if deadline.then == "escalate" and stage not in ESCALATABLE_BY_DEADLINE:
        found.append(
            f"{name}.then cannot be escalate at {stage}: no round follows it; use reassign or"
            " reject"
        )
    to = deadline.reassign_to
    if deadline.then == "reassign":
        if to is None or not EMAIL_PATTERN.match(to):
            found.append(f"{name}.reassign_to must be an email address, not {to!r}")
        elif same_person(to, submitted_by):
            found.append(f"{name}.reassign_to is {to}, who submitted this schema: name another")
        if stage == "Review1" and not entry.reviewers:
            found.append(
                f"{name}.then cannot be reassign at Review1 without a pool: its two seats"
                " cannot both go to one person; name the pool (reviewers)"
            )
    elif to is not None:
        found.append(f"{name}.reassign_to is only for then: reassign, not {deadline.then!r}")
    return found


def _distinct(emails: list[str]) -> list[str]:
    kept: list[str] = []
    for email in emails:
        if not any(same_person(email, k) for k in kept):
            kept.append(email)
    return kept
