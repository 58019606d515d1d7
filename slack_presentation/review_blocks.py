"""The review request a reviewer decides on, and the closed form it is updated to."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ConfirmObject

from slack_presentation.closing_sentences import update_ending, update_outcome
from slack_presentation.compatibility_blocks import (
    REVIEW_COMPATIBILITY_BLOCK_ID,
    compatibility_text,
)
from slack_presentation.mentions import Mentions, emails_in, mention, person_key, with_mentions
from slack_presentation.mrkdwn import escape, fit
from slack_presentation.review_actions import (
    ACTION_APPROVE,
    ACTION_ESCALATE,
    ACTION_REJECT,
    ReviewButtonValue,
)
from slack_presentation.slack_blocks import (
    SECTION_TEXT_LIMIT,
    VersionSummary,
    context,
    decision_line,
    notification,
    section,
    stage_label,
    summary_blocks,
    verdict,
    version_name,
)
from workflow.activity_payloads import ReviewMessageUpdate, ReviewRequest

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


def decision_buttons(
    workflow_id: str,
    stage: str,
    version: int,
    *,
    allow_escalate: bool,
    reviewer_user_id: str | None = None,
    reviewer_email: str | None = None,
) -> list[ButtonElement]:
    """Approve, Reject and (before compliance review) Escalate, wherever a review is shown:
    the same action ids and values reach the same listeners from a message or App Home. With
    the reviewer's Slack user id and email, their own click needs no lookup of who they are."""
    value = ReviewButtonValue(
        workflow_id, stage, version, reviewer_user_id, reviewer_email
    ).encode()
    buttons = [
        ButtonElement(text="Approve", action_id=ACTION_APPROVE, value=value, style="primary"),
        ButtonElement(text="Reject", action_id=ACTION_REJECT, value=value, style="danger"),
    ]
    if allow_escalate:
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
    return buttons


def review_buttons(request: ReviewRequest, people: Mentions) -> ActionsBlock:
    """`people` knows the reviewer's Slack user when the request could be addressed to them."""
    return ActionsBlock(
        block_id=REVIEW_ACTIONS_BLOCK_ID,
        elements=decision_buttons(
            request.workflow_id,
            request.stage,
            request.submission.version,
            allow_escalate=request.allow_escalate,
            reviewer_user_id=people.get(person_key(request.reviewer)),
            reviewer_email=request.reviewer,
        ),
    )


def review_request_people(request: ReviewRequest) -> list[str]:
    """Whom the review request names, to be looked up for mentions."""
    absent = [request.standing_in_for] if request.standing_in_for else []
    return [request.submission.submitted_by, request.reviewer, *absent]


def standing_in_line(request: ReviewRequest, people: Mentions) -> str | None:
    """ "For @carol, who is away until 2026-12-24": whom the reviewer decides for, if anyone."""
    if not request.standing_in_for:
        return None
    until = f" until {escape(request.away_until)}" if request.away_until else ""
    return f":palm_tree: For {mention(request.standing_in_for, people)}, who is away{until}."


def review_request_blocks(
    request: ReviewRequest, people: Mentions, *, in_channel: bool = False
) -> list[Block]:
    """`in_channel`: the channel copy, where everyone sees the buttons but only the reviewer
    may decide."""
    blocks = summary_blocks(request_summary(request), people)
    if (standing_in := standing_in_line(request, people)) is not None:
        blocks.append(section(standing_in))
    if (verdict := compatibility_text(request.upload)) is not None:
        blocks.append(section(verdict, block_id=REVIEW_COMPATIBILITY_BLOCK_ID))
    if (changes := changes_text(request)) is not None:
        blocks.append(section(changes, block_id=REVIEW_CHANGES_BLOCK_ID))
    who = (
        f"{mention(request.reviewer, people)} decides here or in their direct messages"
        if in_channel
        else "decide with the buttons below"
    )
    blocks.append(context(f"Review round {request.round} · {who}"))
    blocks.append(review_buttons(request, people))
    return blocks


def review_request_text(request: ReviewRequest, people: Mentions) -> str:
    sub = request.submission
    what = (
        f"{escape(version_name(sub.schema_id, sub.version))}, {escape(stage_label(request.stage))}"
    )
    standing_in = standing_in_line(request, people)
    return notification(
        f"Schema review requested: {what}, submitted by {mention(sub.submitted_by, people)}"
        + (f" {standing_in}" if standing_in else "")
    )


def closed_review_people(update: ReviewMessageUpdate) -> list[str]:
    """Whom the closed message names: its reviewer, the decider, people in the outcome, and
    the submitter shown in the kept summary."""
    named = [
        update.reviewer,
        *emails_in(update_outcome(update)),
        *emails_in(update_ending(update) or ""),
    ]
    if update.decision is not None:
        named.append(update.decision.reviewer)
    if update.request is not None:
        named += review_request_people(update.request)
    return named


def outcome_line(update: ReviewMessageUpdate, people: Mentions) -> str:
    """Why the message is closed, in one line: the decision taken on it when there is one
    (its own words, with the date), else the workflow's outcome (superseded, completed, …)."""
    if update.decision is not None:
        return decision_line(update.decision, people)
    return f"*{with_mentions(update_outcome(update), people)}*"


def closed_review_blocks(
    update: ReviewMessageUpdate, people: Mentions, *, in_channel: bool = False
) -> list[Block]:
    """The review message once its stage is closed: no buttons, the outcome in their place.

    `in_channel`: the channel copy, read by everyone, speaks of the reviewer in the third
    person; the reviewer's direct message speaks to them.

    With the original request (`update.request`) the message keeps everything it showed
    (summary and what changed); without it (histories from before updates carried the
    request) the header, stage and reviewer still identify the message.
    """
    original = update.request
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
    blocks = summary_blocks(summary, people)
    if original is not None and (verdict := compatibility_text(original.upload)) is not None:
        blocks.append(section(verdict, block_id=REVIEW_COMPATIBILITY_BLOCK_ID))
    if original is not None and (changes := changes_text(original)) is not None:
        blocks.append(section(changes, block_id=REVIEW_CHANGES_BLOCK_ID))
    blocks.append(section(outcome_line(update, people), block_id=REVIEW_OUTCOME_BLOCK_ID))
    blocks.append(context(closing_note(update, people, in_channel=in_channel)))
    return blocks


def closing_note(update: ReviewMessageUpdate, people: Mentions, *, in_channel: bool = False) -> str:
    """What is left for the reader: how the round ended once it has; until then, that this
    stage needs nothing more while the review goes on."""
    if ending := update_ending(update):
        return with_mentions(ending, people)
    if update.review_continues:
        if in_channel:
            who = mention(update.reviewer, people)
            return f"Nothing more is needed from {who} here; the review continues."
        return "Your part is done; the review continues."
    return "Nothing more is needed here; this stage of the review is closed."


def closed_review_text(update: ReviewMessageUpdate, people: Mentions) -> str:
    if update.decision is not None:
        decided = update.decision
        outcome = f"{verdict(decided)} by {mention(decided.reviewer, people)}"
    else:
        outcome = with_mentions(update_outcome(update), people)
    what = escape(version_name(update.schema_id, update.version))
    return notification(f"Schema review {what} ({escape(stage_label(update.stage))}): {outcome}")
