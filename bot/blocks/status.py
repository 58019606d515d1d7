"""`/schema-status`: one review's status, or the list of open reviews, as Block Kit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.blocks.mrkdwn import clip, escape, link, when
from bot.review_lookup import ReviewSummary
from workflow.models import RecordedDecision, ReviewStatus

RECENT_HISTORY = 8
# Block Kit's limit for a section's text; long lists are cut with an ellipsis.
SECTION_LIMIT = 3000

STATE_LABELS = {
    "uploading": "Checking the document",
    "awaiting_review": "Awaiting review",
    "awaiting_revision": "Awaiting a new version",
    "approved": "Approved",
    "completed": "Approved",
    "terminated": "Stopped by an operator",
    "failed": "Failed",
    "canceled": "Cancelled",
    "timed_out": "Timed out",
}


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state.replace("_", " ").capitalize())


def decision_line(decision: RecordedDecision) -> str:
    if not decision.approved:
        verdict = ":x: rejected"
    elif decision.requires_additional_review:
        verdict = ":arrow_up: escalated (approved, compliance review required)"
    else:
        verdict = ":white_check_mark: approved"
    line = f"• {decision.stage}: {escape(decision.reviewer)} {verdict}, {when(decision.at)}"
    if decision.reason:
        line += f"\n    _{escape(clip(decision.reason, 300))}_"
    return line


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_LIMIT)))


def _stage(status: ReviewStatus) -> str:
    if not status.active_round:
        return "—"
    stages = ", ".join(status.active_stages)
    return (
        status.active_round
        if stages in ("", status.active_round)
        else f"{status.active_round} ({stages})"
    )


def status_text(status: ReviewStatus) -> str:
    """The notification text beside the blocks (also what screen readers announce)."""
    text = f"{status.schema_id} version {status.version}: {state_label(status.state).lower()}"
    if status.pending_reviewers:
        text += ", waiting for " + ", ".join(p.reviewer for p in status.pending_reviewers)
    return text


def status_blocks(status: ReviewStatus, ui_url: str) -> list[dict[str, Any]]:
    document = link(status.content_uri, clip(status.content_uri, 200))
    blocks: list[Block] = [
        HeaderBlock(
            text=PlainTextObject(text=clip(f"{status.schema_id} · version {status.version}", 150))
        ),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*State*\n{state_label(status.state)}"),
                MarkdownTextObject(text=f"*Round*\n{status.round}"),
                MarkdownTextObject(text=f"*Stage*\n{_stage(status)}"),
                MarkdownTextObject(text=f"*Submitted by*\n{escape(status.submitted_by)}"),
                MarkdownTextObject(
                    text=f"*Digest*\n`{status.digest}`"
                    if status.digest
                    else "*Digest*\nnot uploaded yet"
                ),
                MarkdownTextObject(text=f"*Document*\n{document}"),
            ]
        ),
    ]
    if status.description:
        blocks.append(_section(f"*Description*\n{escape(status.description)}"))
    if status.state == "awaiting_revision" and status.revision_reason:
        blocks.append(_section(f":warning: *Revision requested*\n{escape(status.revision_reason)}"))
    if status.pending_reviewers:
        waiting = "\n".join(f"• {p.stage}: {escape(p.reviewer)}" for p in status.pending_reviewers)
        blocks.append(_section(f"*Waiting for*\n{waiting}"))
    if status.decisions:
        lines = "\n".join(decision_line(d) for d in status.decisions)
        blocks.append(_section(f"*Decisions on version {status.version}*\n{lines}"))
    if status.history:
        recent = status.history[-RECENT_HISTORY:]
        lines = "\n".join(f"• {when(h.at)} {escape(clip(h.text, 300))}" for h in recent)
        blocks.append(_section(f"*Recent history*\n{lines}"))
    blocks.append(
        ContextBlock(
            elements=[MarkdownTextObject(text=f"{link(ui_url, 'Open the workflow in Temporal')}")]
        )
    )
    return [b.to_dict() for b in blocks]


def _summary_line(review: ReviewSummary) -> str:
    line = f"• *{escape(review.schema_id)}*: {state_label(review.state)}"
    if review.pending_reviewers:
        line += ", waiting for " + ", ".join(escape(r) for r in review.pending_reviewers)
    if review.submitted_by:
        line += f" (submitted by {escape(review.submitted_by)})"
    return line


def review_list_blocks(
    open_reviews: Sequence[ReviewSummary], waiting_for_you: Sequence[ReviewSummary]
) -> list[dict[str, Any]]:
    """`/schema-status` with no schema id: what needs the caller, then everything open."""
    blocks: list[Block] = []
    if waiting_for_you:
        lines = "\n".join(_summary_line(r) for r in waiting_for_you)
        blocks.append(_section(f"*Waiting for your review*\n{lines}"))
        blocks.append(DividerBlock())
    if open_reviews:
        lines = "\n".join(_summary_line(r) for r in open_reviews)
        blocks.append(_section(f"*Open reviews ({len(open_reviews)})*\n{lines}"))
    else:
        blocks.append(_section("No schema reviews are open. Start one with `/submit-schema`."))
    blocks.append(
        ContextBlock(
            elements=[MarkdownTextObject(text="Details of one review: `/schema-status schema_id`")]
        )
    )
    return [b.to_dict() for b in blocks]


def review_list_text(
    open_reviews: Sequence[ReviewSummary], waiting_for_you: Sequence[ReviewSummary]
) -> str:
    text = f"{len(open_reviews)} open schema review(s)"
    if waiting_for_you:
        text += f", {len(waiting_for_you)} waiting for your review"
    return text
