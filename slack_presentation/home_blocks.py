"""App Home: whether this person is away (with "I'm away…" or "Back now"), the reviews waiting
for them, each with its rounds in short and its buttons, and their submissions (each running
one with "Reassign a reviewer").

The buttons are the review request's own (same action ids and values), so the same listeners
handle a click from either place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from slack_presentation.away_modal import away_block
from slack_presentation.compatibility_blocks import compatibility_line
from slack_presentation.mentions import Mentions, mention
from slack_presentation.mrkdwn import clip, escape, link
from slack_presentation.reassign_modal import reassign_button
from slack_presentation.registration_blocks import retry_registration_button
from slack_presentation.review_blocks import decision_buttons
from slack_presentation.slack_blocks import (
    SECTION_TEXT_LIMIT,
    context,
    header,
    section,
    short_digest,
)
from slack_presentation.stage_blocks import stages_people, stages_text
from slack_presentation.status_blocks import review_list_people, summary_line
from slack_presentation.withdraw_modal import withdraw_button
from workflow.away_contract import Absence
from workflow.models import ESCALATABLE_STAGES, ReviewStatus
from workflow.read_models import ReviewSummary

HOME_TITLE = "Schema reviews"
# A Home tab holds at most 100 blocks; each pending review takes two, each running submission
# two (its line, and the withdraw button), the header, the away line and the dividers the rest.
MAX_PENDING_SHOWN = 30
MAX_SUBMISSIONS_SHOWN = 20


@dataclass(frozen=True)
class PendingStage:
    """One stage of a review that waits for this person's decision."""

    workflow_id: str
    stage: str
    status: ReviewStatus


def home_people(
    pending: Sequence[PendingStage],
    submissions: Sequence[ReviewSummary],
    absence: Absence | None = None,
) -> list[str]:
    """Everyone the Home tab names, to be looked up for mentions."""
    shown = pending[:MAX_PENDING_SHOWN]
    named = [item.status.submitted_by for item in shown]
    named += [email for item in shown for email in stages_people(item.status)]
    if absence is not None:
        named.append(absence.delegate)
    return named + review_list_people(submissions[:MAX_SUBMISSIONS_SHOWN])


def _pending_blocks(item: PendingStage, people: Mentions) -> list[Block]:
    status = item.status
    summary = (
        f"*{escape(status.schema_id)}* version {status.version}, your stage: *{item.stage}*\n"
        f"Submitted by {mention(status.submitted_by, people)} · "
        f"{link(status.content_uri, 'document')}"
    )
    if status.digest:
        summary += f" · `{escape(short_digest(status.digest))}`"
    if status.description:
        summary += f"\n{escape(clip(status.description, 500))}"
    if (verdict := compatibility_line(status.compatibility)) is not None:
        summary += f"\n{verdict}"
    if (stages := stages_text(status, people, compact=True)) is not None:
        summary += f"\n{stages}"
    return [
        section(summary),
        ActionsBlock(
            # Unique per review and stage: a Home tab may show several action blocks at once.
            block_id=clip(f"home:{item.workflow_id}:{item.stage}", 255),
            elements=decision_buttons(
                item.workflow_id,
                item.stage,
                status.version,
                allow_escalate=item.stage in ESCALATABLE_STAGES,
            ),
        ),
    ]


def _submission_block(review: ReviewSummary, people: Mentions) -> SectionBlock:
    """One of the person's reviews; while it runs, with the button that reassigns a reviewer."""
    line = summary_line(review, people, submitter=False)
    running = review.running and review.state not in ("approved", "approved_not_registered")
    return SectionBlock(
        text=MarkdownTextObject(text=clip(line, SECTION_TEXT_LIMIT)),
        block_id=clip(f"submission:{review.workflow_id}", 255),
        accessory=reassign_button(review.schema_id) if running else None,
    )


def _retry_registration(review: ReviewSummary) -> list[ButtonElement]:
    """Beside "Withdraw review" while the approved version waits for the schema registry."""
    if review.state != "approved_not_registered":
        return []
    return [retry_registration_button(review.schema_id)]


def home_view(
    pending: Sequence[PendingStage],
    submissions: Sequence[ReviewSummary],
    people: Mentions,
    *,
    unreadable: int = 0,
    absence: Absence | None = None,
) -> dict[str, Any]:
    """`unreadable`: reviews waiting for this person whose status could not be read now.
    `absence`: the person's, while they are away."""
    blocks: list[Block] = [header(HOME_TITLE), away_block(absence, people)]
    if pending:
        blocks.append(section(f"*Waiting for your decision ({len(pending)})*"))
        for item in pending[:MAX_PENDING_SHOWN]:
            blocks += _pending_blocks(item, people)
    else:
        blocks.append(section("*Nothing waits for your decision.*"))
    if unreadable:
        blocks.append(
            context(
                f":warning: {unreadable} more"
                f" {'review' if unreadable == 1 else 'reviews'} waiting for you did not answer"
                " just now."
                " Open this tab again in a minute."
            )
        )
    blocks.append(DividerBlock())
    if submissions:
        blocks.append(section("*Your submissions*"))
        for review in submissions[:MAX_SUBMISSIONS_SHOWN]:
            blocks.append(_submission_block(review, people))
            if review.running and review.state not in ("approved", "withdrawn"):
                blocks.append(
                    ActionsBlock(
                        block_id=clip(f"withdraw:{review.workflow_id}", 255),
                        elements=[
                            *_retry_registration(review),
                            withdraw_button(review.schema_id),
                        ],
                    )
                )
    else:
        blocks.append(section("*Your submissions*\nYou have not submitted a schema for review."))
    blocks.append(
        context(
            "Submit a schema with `/submit-schema`; follow one with `/schema-status schema_id`."
        )
    )
    return {"type": "home", "blocks": [b.to_dict() for b in blocks]}


def home_notice_view(sentence: str) -> dict[str, Any]:
    """A Home tab that only explains why the reviews are not shown."""
    blocks: list[Block] = [
        header(HOME_TITLE),
        SectionBlock(text=PlainTextObject(text=clip(sentence, SECTION_TEXT_LIMIT), emoji=False)),
    ]
    return {"type": "home", "blocks": [b.to_dict() for b in blocks]}
