"""Who may take a seat of the roster, and when: the rule behind the `reassign_reviewer` update.

Pure, like `decision_rules`: it returns the sentence a refused caller should see, tagged with
the part of the request it is about, so that a form shows it under the right field.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow.decision_rules import ReviewFacts
from workflow.models import (
    EMAIL_PATTERN,
    REASSIGNMENT_REFUSED,
    REASSIGNMENT_REVIEWER_REFUSED,
    REASSIGNMENT_SEAT_REFUSED,
    REVIEW_1A,
    REVIEW_1B,
    REVIEWER_SEATS,
    SEAT_STAGES,
    Reassignment,
    same_person,
)
from workflow.policy_round import is_pool
from workflow.pool_reassignment import pool_refusal
from workflow.review_round import verb

_OTHER_FIRST_ROUND_SEAT = {REVIEW_1A: REVIEW_1B, REVIEW_1B: REVIEW_1A}


@dataclass(frozen=True)
class ReassignmentRefusal:
    # REASSIGNMENT_SEAT_REFUSED, REASSIGNMENT_REVIEWER_REFUSED or REASSIGNMENT_REFUSED (the
    # review as a whole).
    error_type: str
    sentence: str


def reassignment_refusal(request: Reassignment, facts: ReviewFacts) -> ReassignmentRefusal | None:
    """Why the seat must not change hands, or None when the reassignment is accepted. A pool
    (`seat` naming a round with `reviewers`): see `workflow.pool_reassignment`."""
    if is_pool(facts.policy, request.seat):
        pooled = pool_refusal(request, facts)
        return ReassignmentRefusal(*pooled) if pooled is not None else None
    if request.replaces is not None:
        return ReassignmentRefusal(
            REASSIGNMENT_SEAT_REFUSED,
            f"replaces is only for a round with a pool, and {request.seat!r} is none: leave it"
            " out to reassign a seat.",
        )
    if problem := _payload_problem(request):
        return problem
    if facts.state in ("approved", "approved_not_registered"):
        return ReassignmentRefusal(
            REASSIGNMENT_REFUSED,
            f"This review is closed: version {facts.current_version} was approved, so its"
            " reviewers can no longer change.",
        )
    if facts.state == "withdrawn":
        return ReassignmentRefusal(
            REASSIGNMENT_REFUSED,
            "This review is closed: it was withdrawn, so its reviewers can no longer change.",
        )
    stage = SEAT_STAGES[request.seat]
    new = request.reviewer
    if same_person(new, facts.reviewers.for_stage(stage)):
        return _reviewer(f"{new} already holds {stage}: pick someone else.")
    if same_person(new, facts.submitted_by):
        return _reviewer(f"{new} submitted this schema and may not review it: pick someone else.")
    other = _OTHER_FIRST_ROUND_SEAT.get(stage)
    if other is not None and same_person(new, facts.reviewers.for_stage(other)):
        return _reviewer(
            f"{new} already holds the other Review1 seat ({other}), and one person may not hold"
            " both: pick someone else."
        )
    current = facts.current_version
    decided = next((d for d in facts.decisions if d.version == current and d.stage == stage), None)
    if decided is not None:
        sentence = (
            f"{stage} of version {current} was already decided ({verb(decided)} by"
            f" {decided.reviewer}), so reassigning it now would change nothing."
        )
        if facts.state == "awaiting_revision":
            sentence += " Reassign it once the next version is submitted."
        return ReassignmentRefusal(REASSIGNMENT_SEAT_REFUSED, sentence)
    return None


def _payload_problem(request: Reassignment) -> ReassignmentRefusal | None:
    seat = request.seat
    if not isinstance(seat, str) or seat not in SEAT_STAGES:
        return ReassignmentRefusal(
            REASSIGNMENT_SEAT_REFUSED,
            f"{seat!r} is not a reviewer seat: use one of {', '.join(REVIEWER_SEATS)}.",
        )
    if not isinstance(request.reviewer, str) or not EMAIL_PATTERN.match(request.reviewer):
        return _reviewer(f"The new reviewer must be an email address, not {request.reviewer!r}.")
    requested_by = request.requested_by
    if not isinstance(requested_by, str) or not EMAIL_PATTERN.match(requested_by):
        return ReassignmentRefusal(
            REASSIGNMENT_REFUSED,
            f"requested_by must be the email address of whoever asks, not {requested_by!r}.",
        )
    if not isinstance(request.reason, str):
        return ReassignmentRefusal(
            REASSIGNMENT_REFUSED, f"reason must be a string, not {request.reason!r}."
        )
    return None


def _reviewer(sentence: str) -> ReassignmentRefusal:
    return ReassignmentRefusal(REASSIGNMENT_REVIEWER_REFUSED, sentence)
