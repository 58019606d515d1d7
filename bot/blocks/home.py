"""App Home: the reviews waiting for this person, with their buttons, and their submissions.

The buttons carry the same action ids and values as the review request messages, so the same
listeners handle a click from either place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from activities.review_actions import (
    ACTION_APPROVE,
    ACTION_ESCALATE,
    ACTION_REJECT,
    ReviewButtonValue,
)
from bot.blocks.mrkdwn import clip, escape, link
from bot.blocks.status import state_label
from bot.review_lookup import ReviewSummary
from workflow.models import ESCALATABLE_STAGES, ReviewStatus

# A Home tab holds at most 100 blocks; each pending review takes two.
MAX_PENDING_SHOWN = 30
MAX_SUBMISSIONS_SHOWN = 20


@dataclass(frozen=True)
class PendingStage:
    """One stage of a review that waits for this person's decision."""

    workflow_id: str
    stage: str
    status: ReviewStatus


def review_buttons(workflow_id: str, stage: str, version: int) -> list[ButtonElement]:
    value = ReviewButtonValue(workflow_id, stage, version).encode()
    buttons = [
        ButtonElement(text="Approve", action_id=ACTION_APPROVE, value=value, style="primary"),
        ButtonElement(text="Reject", action_id=ACTION_REJECT, value=value, style="danger"),
    ]
    if stage in ESCALATABLE_STAGES:
        buttons.append(ButtonElement(text="Escalate", action_id=ACTION_ESCALATE, value=value))
    return buttons


def _pending_blocks(item: PendingStage) -> list[Block]:
    status = item.status
    summary = (
        f"*{escape(status.schema_id)}* version {status.version}, your stage: *{item.stage}*\n"
        f"Submitted by {escape(status.submitted_by)} · "
        f"{link(status.content_uri, 'document')}"
    )
    if status.digest:
        summary += f" · `{status.digest}`"
    if status.description:
        summary += f"\n{escape(clip(status.description, 500))}"
    return [
        SectionBlock(text=MarkdownTextObject(text=clip(summary, 3000))),
        ActionsBlock(
            # Unique per review and stage: a Home tab may show several action blocks at once.
            block_id=clip(f"home:{item.workflow_id}:{item.stage}", 255),
            elements=review_buttons(item.workflow_id, item.stage, status.version),
        ),
    ]


def _submission_line(review: ReviewSummary) -> str:
    line = f"• *{escape(review.schema_id)}*: {state_label(review.state)}"
    if review.running and review.pending_reviewers:
        line += ", waiting for " + ", ".join(escape(r) for r in review.pending_reviewers)
    return line


def home_view(
    pending: Sequence[PendingStage], submissions: Sequence[ReviewSummary], *, unreadable: int = 0
) -> dict[str, Any]:
    """`unreadable`: reviews waiting for this person whose status could not be read now."""
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text="Schema reviews"))]
    if pending:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=f"*Waiting for your decision ({len(pending)})*")
            )
        )
        for item in pending[:MAX_PENDING_SHOWN]:
            blocks += _pending_blocks(item)
    else:
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text="*Nothing waits for your decision.*"))
        )
    if unreadable:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f":warning: {unreadable} more review(s) waiting for you did not "
                        "answer just now. Open this tab again in a minute."
                    )
                ]
            )
        )
    blocks.append(DividerBlock())
    if submissions:
        lines = "\n".join(_submission_line(r) for r in submissions[:MAX_SUBMISSIONS_SHOWN])
        text = f"*Your submissions*\n{lines}"
    else:
        text = "*Your submissions*\nYou have not submitted a schema for review."
    blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(text, 3000))))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Submit a schema with `/submit-schema`; "
                    "follow one with `/schema-status schema_id`."
                )
            ]
        )
    )
    return {"type": "home", "blocks": [b.to_dict() for b in blocks]}


def home_notice_view(sentence: str) -> dict[str, Any]:
    """A Home tab that only explains why the reviews are not shown."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Schema reviews")),
        SectionBlock(text=PlainTextObject(text=clip(sentence, 3000), emoji=False)),
    ]
    return {"type": "home", "blocks": [b.to_dict() for b in blocks]}
