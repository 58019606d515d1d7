"""The Conductor graph as a function of the decisions of one version."""

from __future__ import annotations

from tests.workflow.test_decision_rules import recorded
from workflow.review_round import message_outcome, next_step


def test_round_one_waits_for_both_seats() -> None:
    step = next_step([recorded("Review1.b", 1)])
    assert (step.kind, step.round_name, step.stages) == (
        "review",
        "Review1",
        ("Review1.a", "Review1.b"),
    )


def test_a_rejection_in_round_one_ends_it_without_the_other_seat() -> None:
    step = next_step([recorded("Review1.b", 1, "reject")])
    assert step.kind == "rejected"
    assert step.rejection is not None and step.rejection.stage == "Review1.b"


def test_escalation_anywhere_before_review3_requires_it() -> None:
    for escalating in ("Review1.a", "Review1.b", "Review2"):
        decisions = [
            recorded(stage, 1, "escalate" if stage == escalating else "approve")
            for stage in ("Review1.a", "Review1.b", "Review2")
        ]
        assert next_step(decisions).stages == ("Review3",)
        completed = next_step([*decisions, recorded("Review3", 1)])
        assert completed.completed_by == "CompleteReview_2"


def test_no_escalation_completes_after_review2() -> None:
    decisions = [recorded(s, 1) for s in ("Review1.a", "Review1.b", "Review2")]
    assert next_step(decisions).completed_by == "CompleteReview_1"


def test_message_outcomes_read_as_the_reviewer_decided() -> None:
    rejection = recorded("Review2", 1, "reject")
    rejection.reason = "Breaks consumers"
    assert message_outcome(rejection) == "Rejected by carol@example.com: Breaks consumers"
    assert message_outcome(recorded("Review2", 1, "escalate")) == "Escalated by carol@example.com"
    assert message_outcome(recorded("Review1.a", 1)) == "Approved by alice@example.com"
