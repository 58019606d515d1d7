"""The review request a reviewer decides on, and the closed form it is updated to."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    MarkdownTextObject,
)

from activities.review_actions import (
    ACTION_APPROVE,
    ACTION_ESCALATE,
    ACTION_REJECT,
    ReviewButtonValue,
)
from activities.slack_blocks import (
    FALLBACK_TEXT_LIMIT,
    SECTION_TEXT_LIMIT,
    VersionSummary,
    decision_line,
    escape,
    fit,
    section,
    stage_label,
    summary_blocks,
)
from workflow.models import ReviewMessageUpdate, ReviewRequest

REVIEW_ACTIONS_BLOCK_ID = "review_actions"
REVIEW_CHANGES_BLOCK_ID = "review_changes"
REVIEW_OUTCOME_BLOCK_ID = "review_outcome"


def request_summary(request: ReviewRequest) -> VersionSummary:
    return VersionSummary(
        schema_id=request.submission.schema_id,
        version=request.submission.version,
        stage=request.stage,
        reviewer=request.reviewer,
        submission=request.submission,
        upload=request.upload,
    )


def changes_text(request: ReviewRequest) -> str | None:
    changes = request.upload.changes
    if not changes:
        return None
    previous = request.upload.previous_version
    since = f"v{previous}" if previous is not None else "the previous version"
    lines = "\n".join(f"• {escape(change)}" for change in changes)
    return fit(f"*What changed since {since}*\n{lines}", SECTION_TEXT_LIMIT)


def review_buttons(request: ReviewRequest) -> ActionsBlock:
    value = ReviewButtonValue(
        workflow_id=request.workflow_id, stage=request.stage, version=request.submission.version
    ).encode()
    buttons = [
        ButtonElement(text="Approve", action_id=ACTION_APPROVE, value=value, style="primary"),
        ButtonElement(text="Reject", action_id=ACTION_REJECT, value=value, style="danger"),
    ]
    if request.allow_escalate:
        buttons.append(
            ButtonElement(
                text="Escalate",
                action_id=ACTION_ESCALATE,
                value=value,
                confirm=ConfirmObject(
                    title="Request compliance review?",
                    text=(
                        "Escalating approves this stage but requests a compliance review"
                        " (Review3): the schema is approved only once compliance approves too."
                    ),
                    confirm="Escalate",
                    deny="Cancel",
                ),
            )
        )
    return ActionsBlock(block_id=REVIEW_ACTIONS_BLOCK_ID, elements=buttons)


def review_request_blocks(request: ReviewRequest) -> list[Block]:
    blocks = summary_blocks(request_summary(request))
    if (changes := changes_text(request)) is not None:
        blocks.append(section(changes, block_id=REVIEW_CHANGES_BLOCK_ID))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=(
                        f"Review round {request.round} · requested from {escape(request.reviewer)}"
                    )
                )
            ]
        )
    )
    blocks.append(review_buttons(request))
    return blocks


def review_request_text(request: ReviewRequest) -> str:
    sub = request.submission
    return fit(
        escape(
            f"Schema review requested: {sub.schema_id} v{sub.version},"
            f" {stage_label(request.stage)}, submitted by {sub.submitted_by}"
        ),
        FALLBACK_TEXT_LIMIT,
    )


def closed_review_blocks(
    update: ReviewMessageUpdate, original: ReviewRequest | None = None
) -> list[Block]:
    """The review message once its stage is closed: no buttons, the outcome in their place.

    With the `original` request the message keeps everything it showed (summary and what
    changed); without it (histories from before updates carried the request) the header,
    stage and reviewer still identify the message.
    """
    summary = (
        request_summary(original)
        if original is not None
        else VersionSummary(
            schema_id=update.schema_id,
            version=update.version,
            stage=update.stage,
            reviewer=update.reviewer,
        )
    )
    outcome = f"*{escape(update.outcome)}*"
    if update.decision is not None:
        outcome += "\n" + decision_line(update.decision)
    blocks = summary_blocks(summary)
    if original is not None and (changes := changes_text(original)) is not None:
        blocks.append(section(changes, block_id=REVIEW_CHANGES_BLOCK_ID))
    blocks.append(section(outcome, block_id=REVIEW_OUTCOME_BLOCK_ID))
    blocks.append(
        ContextBlock(
            elements=[MarkdownTextObject(text="This review is closed; nothing is left to do here.")]
        )
    )
    return blocks


def closed_review_text(update: ReviewMessageUpdate) -> str:
    return fit(
        escape(
            f"Schema review {update.schema_id} v{update.version}"
            f" ({stage_label(update.stage)}): {update.outcome}"
        ),
        FALLBACK_TEXT_LIMIT,
    )
