"""The reassignment rule on its own: the refusals a running review rarely reaches."""

from __future__ import annotations

from workflow.decision_rules import ReviewFacts
from workflow.models import (
    REASSIGNMENT_REFUSED,
    REASSIGNMENT_SEAT_REFUSED,
    Reassignment,
    RecordedDecision,
    Reviewers,
    ReviewState,
)
from workflow.reassignment_rules import ReassignmentRefusal, reassignment_refusal

OWNER = "owner@example.com"
ROSTER = Reviewers("alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com")
REJECTED_BY_BOB = RecordedDecision(
    "Review1.b", "bob@example.com", 3, False, False, "no", "2025-03-01T10:00:00+00:00"
)


def facts(state: ReviewState, *decisions: RecordedDecision) -> ReviewFacts:
    return ReviewFacts(3, state, ROSTER, decisions, OWNER)


def to_erin(seat: str = "reviewer_a", **changes: str) -> Reassignment:
    fields = {"seat": seat, "reviewer": "erin@example.com", "requested_by": OWNER} | changes
    return Reassignment(**fields)


def test_a_finished_review_keeps_its_reviewers() -> None:
    assert reassignment_refusal(to_erin(), facts("approved")) == ReassignmentRefusal(
        REASSIGNMENT_REFUSED,
        "This review is closed: version 3 was approved, so its reviewers can no longer change.",
    )


def test_the_requester_must_be_named_by_email() -> None:
    refusal = reassignment_refusal(to_erin(requested_by="owner"), facts("awaiting_review"))

    assert refusal == ReassignmentRefusal(
        REASSIGNMENT_REFUSED,
        "requested_by must be the email address of whoever asks, not 'owner'.",
    )


def test_a_seat_that_rejected_waits_for_the_next_version() -> None:
    refusal = reassignment_refusal(
        to_erin("reviewer_b"), facts("awaiting_revision", REJECTED_BY_BOB)
    )

    assert refusal == ReassignmentRefusal(
        REASSIGNMENT_SEAT_REFUSED,
        "Review1.b of version 3 was already decided (rejected by bob@example.com), so"
        " reassigning it now would change nothing. Reassign it once the next version is"
        " submitted.",
    )


def test_an_undecided_seat_may_change_while_the_review_waits_for_a_revision() -> None:
    assert reassignment_refusal(to_erin(), facts("awaiting_revision", REJECTED_BY_BOB)) is None
    assert reassignment_refusal(to_erin("senior_reviewer"), facts("uploading")) is None
