"""Example inputs for the Slack activities and their message builders."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from workflow.activity_payloads import (
    FinalizeRequest,
    PostedMessage,
    ReviewMessageUpdate,
    ReviewRequest,
    RevisionRequest,
)
from workflow.message_facts import MessageClosing, RoundEnding
from workflow.models import (
    REVIEW_1A,
    REVIEW_2,
    RecordedDecision,
    Reviewers,
    Submission,
    UploadResult,
    workflow_id_for,
)

DIGEST = "sha256:" + "0123456789abcdef" * 4
REVIEWERS = Reviewers(
    reviewer_a="alice@example.com",
    reviewer_b="bob@example.com",
    senior_reviewer="carol@example.com",
    compliance_reviewer="dave@example.com",
)


def submission(version: int = 2, **changes: object) -> Submission:
    sub = Submission(
        schema_id="inventory-service",
        version=version,
        description="Adds the warehouse field",
        content_uri=f"https://example.com/schemas/inventory-v{version}.json",
        submitted_by="owner@example.com",
    )
    return replace(sub, **changes)  # type: ignore[arg-type]


def upload(version: int = 2, **changes: object) -> UploadResult:
    result = UploadResult(
        schema_id="inventory-service",
        version=version,
        digest=DIGEST,
        format="JSON Schema",
        size_bytes=512,
        changes=["added property warehouse (string)", "removed property legacy_id"],
        previous_version=version - 1 if version > 1 else None,
    )
    return replace(result, **changes)  # type: ignore[arg-type]


def review_request(
    stage: str = REVIEW_1A, reviewer: str = "alice@example.com", **changes: object
) -> ReviewRequest:
    request = ReviewRequest(
        workflow_id=workflow_id_for("inventory-service"),
        stage=stage,
        reviewer=reviewer,
        submission=submission(),
        upload=upload(),
        round=3,
        allow_escalate=True,
    )
    return replace(request, **changes)  # type: ignore[arg-type]


def decision(
    stage: str = REVIEW_1A,
    reviewer: str = "alice@example.com",
    *,
    approved: bool = True,
    escalate: bool = False,
    reason: str = "",
    version: int = 2,
) -> RecordedDecision:
    return RecordedDecision(
        stage=stage,
        reviewer=reviewer,
        version=version,
        approved=approved,
        requires_additional_review=escalate,
        reason=reason,
        at="2025-03-04T10:15:00+00:00",
    )


def revision_request(stage: str = REVIEW_2, **changes: object) -> RevisionRequest:
    request = RevisionRequest(
        workflow_id=workflow_id_for("inventory-service"),
        submission=submission(),
        stage=stage,
        rejected_by="carol@example.com",
        reason="The warehouse field needs a maximum length.",
    )
    return replace(request, **changes)  # type: ignore[arg-type]


def finalize_request() -> FinalizeRequest:
    return FinalizeRequest(
        workflow_id=workflow_id_for("inventory-service"),
        submission=submission(),
        upload=upload(),
        reviewers=REVIEWERS,
        decisions=[
            decision(REVIEW_2, "carol@example.com", approved=False, reason="too loose", version=1),
            decision(REVIEW_1A, "alice@example.com"),
            decision("Review1.b", "bob@example.com"),
            decision(REVIEW_2, "carol@example.com"),
        ],
        rounds=2,
    )


def closed_update(
    outcome: str,
    *,
    messages: list[PostedMessage] | None = None,
    stage: str = REVIEW_1A,
    reviewer: str = "alice@example.com",
    decision: RecordedDecision | None = None,
    request: ReviewRequest | None = None,
    review_continues: bool = False,
    ending: str | None = None,
) -> ReviewMessageUpdate:
    """The workflow closing `reviewer`'s request for version 2 of inventory-service."""
    return ReviewMessageUpdate(
        messages=messages or [],
        schema_id="inventory-service",
        version=2,
        stage=stage,
        reviewer=reviewer,
        outcome=outcome,
        decision=decision,
        request=request,
        review_continues=review_continues,
        ending=ending,
    )


def closed_with_facts(
    closing: MessageClosing, *, round_ending: RoundEnding | None = None, **fields: Any
) -> ReviewMessageUpdate:
    """The same closing as a review started since `review-messages-carry-facts` sends it: the
    facts instead of the sentences (`fields` as for `closed_update`)."""
    return replace(
        closed_update("", **fields), outcome=None, closing=closing, round_ending=round_ending
    )
