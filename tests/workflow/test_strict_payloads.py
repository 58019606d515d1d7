"""Payloads are read strictly by reviews started with the `strict-payloads` patch, and as before
by reviews started earlier, so that a payload accepted then is accepted on their replay."""

from __future__ import annotations

from workflow.models import ReviewDecision
from workflow.payloads import parse_decision
from workflow.review_input import parse_review_input

DECISION = {
    "stage": "Review1.a",
    "reviewer": "alice@example.com",
    "submission_version": 1,
    "approved": True,
}
REVIEW: dict[str, dict[str, object]] = {
    "submission": {
        "schema_id": "orders",
        "version": 1,
        "description": "First",
        "content_uri": "https://example.com/orders.json",
        "submitted_by": "owner@example.com",
    },
    "reviewers": {
        "reviewer_a": "alice@example.com",
        "reviewer_b": "bob@example.com",
        "senior_reviewer": "carol@example.com",
        "compliance_reviewer": "dave@example.com",
    },
}


def test_an_unknown_field_is_refused_by_name_in_a_strict_run_and_ignored_in_an_older_one() -> None:
    payload = {**DECISION, "approver_note": "lgtm"}
    refused = parse_decision(payload)
    assert isinstance(refused, str) and "approver_note" in refused
    older = parse_decision(payload, strict=False)
    assert isinstance(older, ReviewDecision) and older.approved


def test_null_for_a_field_with_a_default_is_refused_now_and_read_as_the_default_before() -> None:
    payload = {**DECISION, "reason": None}
    refused = parse_decision(payload)
    assert isinstance(refused, str) and "reason" in refused
    older = parse_decision(payload, strict=False)
    assert isinstance(older, ReviewDecision) and older.reason == ""


def test_a_start_input_with_an_unknown_nested_field_reads_only_in_an_older_run() -> None:
    raw = {**REVIEW, "submission": {**REVIEW["submission"], "team": "payments"}}
    problems = parse_review_input(raw)
    assert isinstance(problems, list) and any("team" in p for p in problems)
    older = parse_review_input(raw, strict=False)
    assert not isinstance(older, list) and older.submission.schema_id == "orders"


def test_a_wrong_kind_is_refused_in_both() -> None:
    payload = {**DECISION, "submission_version": "1"}
    assert isinstance(parse_decision(payload), str)
    assert isinstance(parse_decision(payload, strict=False), str)
