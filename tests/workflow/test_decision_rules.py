"""The acceptance rule on its own: every refusal is a sentence the clicker can act on."""

from __future__ import annotations

import pytest

from tests.workflow.review_harness import REVIEWERS
from workflow.decision_rules import ReviewFacts, refusal
from workflow.models import RecordedDecision, ReviewDecision, ReviewState
from workflow.payloads import parse_decision


def recorded(stage: str, version: int, verdict: str = "approve") -> RecordedDecision:
    return RecordedDecision(
        stage=stage,
        reviewer=REVIEWERS.for_stage(stage),
        version=version,
        approved=verdict != "reject",
        requires_additional_review=verdict == "escalate",
        reason="",
        at="2025-01-01T00:00:00+00:00",
    )


def facts(
    version: int, state: ReviewState = "awaiting_review", *decisions: RecordedDecision
) -> ReviewFacts:
    return ReviewFacts(version, state, REVIEWERS, decisions)


def decision(stage: str, version: int, reviewer: str | None = None) -> ReviewDecision:
    return ReviewDecision(stage, reviewer or REVIEWERS.for_stage(stage), version, True)


@pytest.mark.parametrize(
    ("attempt", "now", "sentence"),
    [
        (
            decision("Review1.a", 2, "mallory@example.com"),
            facts(2),
            "Review1.a for version 2 is not assigned to mallory@example.com;"
            " it is assigned to alice@example.com.",
        ),
        (
            decision("Review1.a", 1),
            facts(2),
            "Version 1 is no longer under review: version 2 superseded it.",
        ),
        (
            decision("Review2", 1),
            facts(
                1,
                "awaiting_review",
                recorded("Review1.a", 1),
                recorded("Review1.b", 1),
                recorded("Review2", 1, "escalate"),
            ),
            "A decision for Review2 of version 1 was already recorded"
            " (escalated by carol@example.com).",
        ),
        (
            decision("Review2", 1),
            facts(1, "awaiting_review", recorded("Review1.a", 1)),
            "Review2 is not open: the review is awaiting round 1 (Review1.a, Review1.b).",
        ),
        (
            decision("Review3", 1),
            facts(1, "awaiting_review", recorded("Review1.a", 1), recorded("Review1.b", 1)),
            "Review3 is not open: the review is awaiting round 2 (Review2).",
        ),
        (
            decision("Review2", 3),
            facts(3, "approved"),
            "This review is closed: version 3 was approved.",
        ),
        (
            decision("Review1.a", 1),
            facts(1, "uploading"),
            "Review1.a is not open yet: version 1 is still being uploaded.",
        ),
        (
            decision("Review1.a", 1),
            facts(1, "awaiting_revision"),
            "Review1.a is not open: version 1 could not be accepted, so the review is waiting"
            " for a revised version.",
        ),
        (
            decision("Review2", 4),
            facts(3),
            "Version 4 has not been submitted: the current version is 3.",
        ),
    ],
)
def test_refusals(attempt: ReviewDecision, now: ReviewFacts, sentence: str) -> None:
    assert refusal(attempt, now) == sentence


def test_an_open_stage_of_the_current_version_is_accepted_whatever_the_email_case() -> None:
    assert refusal(decision("Review1.b", 2, "Bob@EXAMPLE.com"), facts(2)) is None
    escalated = facts(
        1,
        "awaiting_review",
        recorded("Review1.a", 1, "escalate"),
        recorded("Review1.b", 1),
        recorded("Review2", 1),
    )
    assert refusal(decision("Review3", 1), escalated) is None


def test_a_decision_accepted_in_the_same_instant_as_the_round_ending_is_refused() -> None:
    # Review1.a rejected: even before the workflow's loop has reacted, Review1.b is closed.
    rejected = facts(1, "awaiting_review", recorded("Review1.a", 1, "reject"))
    assert refusal(decision("Review1.b", 1), rejected) == (
        "Review1.b is not open: alice@example.com rejected version 1 at Review1.a, so the review"
        " is waiting for a revised version."
    )


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        (None, "the payload must be a JSON object"),
        ({"stage": "Review1.a"}, "the payload lacks reviewer, submission_version, approved"),
        (
            {
                "stage": "Review1.a",
                "reviewer": "a@b.co",
                "submission_version": 1.5,
                "approved": True,
            },
            "submission_version must be a whole number of 1 or more, not 1.5.",
        ),
        (
            {"stage": "Review1.a", "reviewer": 7, "submission_version": 1, "approved": True},
            "reviewer must be a string, not 7.",
        ),
    ],
)
def test_malformed_decision_payloads_are_named(payload: object, problem: str) -> None:
    parsed = parse_decision(payload)
    assert isinstance(parsed, str)
    assert parsed.startswith(problem)
