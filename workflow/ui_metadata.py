"""What an operator reads in the Temporal UI: the summary and details given when a review
starts, and the current details as it moves, so that the UI says what Slack shows.

Pure functions of the shared data contract: the bot calls `start_summary`/`start_details` where
it starts a review, the workflow `current_details` whenever its state changes.
"""

from __future__ import annotations

from workflow.models import ReviewInput, ReviewStatus, Submission

# Temporal shows the summary on one line in lists; longer text is cut there anyway.
SUMMARY_LIMIT = 200

STATE_WORDS = {
    "uploading": "checking the document",
    "awaiting_review": "in review",
    "awaiting_revision": "waiting for a new version",
    "approved": "approved",
    "approved_not_registered": "approved, not registered",
}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def start_summary(submission: Submission) -> str:
    """`inventory-item v2 · submitted by owner@example.com`."""
    return _clip(
        f"{submission.schema_id} v{submission.version} · submitted by {submission.submitted_by}",
        SUMMARY_LIMIT,
    )


def start_details(review: ReviewInput) -> str:
    """The submission and the roster, as Markdown."""
    sub = review.submission
    reviewers = review.reviewers
    lines = [
        f"**{sub.schema_id}** version {sub.version}, submitted by {sub.submitted_by}",
        "",
        f"Description: {sub.description or '(none)'}",
        f"Document: {sub.content_uri}",
        "",
        f"Review1: {reviewers.reviewer_a} (Review1.a), {reviewers.reviewer_b} (Review1.b)",
        f"Review2: {reviewers.senior_reviewer}",
        f"Review3 (when escalated): {reviewers.compliance_reviewer}",
    ]
    return "\n".join(lines)


def current_details(status: ReviewStatus) -> str:
    """`inventory-item v2 · Review2 · waiting for carol@example.com`, then the latest event."""
    head = f"{status.schema_id} v{status.version}"
    if status.pending_reviewers:
        stages = ", ".join(p.stage for p in status.pending_reviewers)
        waiting = ", ".join(sorted({p.reviewer for p in status.pending_reviewers}))
        head += f" · {stages} · waiting for {waiting}"
    else:
        head += f" · {STATE_WORDS.get(status.state, status.state.replace('_', ' '))}"
    lines = [head]
    if status.revision_reason:
        lines += ["", status.revision_reason]
    if status.history:
        lines += ["", f"Latest: {status.history[-1].text}"]
    return "\n".join(lines)
