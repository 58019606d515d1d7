"""`/schema-status schema_id`: one review's status as Block Kit, and the line that sums up a
review in lists (`bot.blocks.review_list`, App Home)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.blocks.reassign_modal import reassign_button
from bot.review_lookup import ReviewSummary
from slack_presentation.mentions import Mentions, emails_in, mention, with_mentions
from slack_presentation.mrkdwn import clip, escape, link, slack_date
from slack_presentation.slack_blocks import context, decision_line, header, section
from workflow.models import REVIEWER_SEATS, SEAT_STAGES, ReviewStatus

RECENT_HISTORY = 8

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


def _stage(status: ReviewStatus) -> str:
    if not status.active_round:
        return "—"
    stages = ", ".join(status.active_stages)
    return (
        status.active_round
        if stages in ("", status.active_round)
        else f"{status.active_round} ({stages})"
    )


def status_people(status: ReviewStatus) -> list[str]:
    """Everyone the status names, to be looked up for mentions; history first-come."""
    named = [status.submitted_by, *(p.reviewer for p in status.pending_reviewers)]
    named += [d.reviewer for d in status.decisions]
    named += emails_in(status.revision_reason or "")
    for entry in reversed(status.history[-RECENT_HISTORY:]):
        named += emails_in(entry.text)
    return named + status.reviewers.all()


def roster_block(status: ReviewStatus, people: Mentions, *, reassign: bool) -> SectionBlock:
    """Who holds each seat now; with the button that changes it, for whoever may."""
    seats = " · ".join(
        f"{SEAT_STAGES[seat]}: {mention(getattr(status.reviewers, seat), people)}"
        for seat in REVIEWER_SEATS
    )
    return SectionBlock(
        text=MarkdownTextObject(text=f"*Reviewers*\n{seats}"),
        block_id="review_roster",
        accessory=reassign_button(status.schema_id) if reassign else None,
    )


def waiting_for(emails: Iterable[str], people: Mentions) -> str:
    return ", ".join(mention(email, people) for email in emails)


def status_text(status: ReviewStatus, people: Mentions) -> str:
    """The notification text beside the blocks (also what screen readers announce)."""
    text = (
        f"{escape(status.schema_id)} version {status.version}: {state_label(status.state).lower()}"
    )
    if status.pending_reviewers:
        text += ", waiting for " + waiting_for(
            (p.reviewer for p in status.pending_reviewers), people
        )
    return text


def status_blocks(
    status: ReviewStatus, ui_url: str, people: Mentions, *, reassign: bool = False
) -> list[dict[str, Any]]:
    """`reassign`: offer the "Reassign a reviewer" button (to the submitter or an admin, while
    the review runs)."""
    document = link(status.content_uri, clip(status.content_uri, 200))
    digest = f"`{escape(status.digest)}`" if status.digest else "not uploaded yet"
    blocks: list[Block] = [
        header(f"{status.schema_id} · version {status.version}"),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*State*\n{state_label(status.state)}"),
                MarkdownTextObject(text=f"*Round*\n{status.round}"),
                MarkdownTextObject(text=f"*Stage*\n{_stage(status)}"),
                MarkdownTextObject(text=f"*Submitted by*\n{mention(status.submitted_by, people)}"),
                MarkdownTextObject(text=f"*Digest*\n{digest}"),
                MarkdownTextObject(text=f"*Document*\n{document}"),
            ]
        ),
    ]
    blocks.append(roster_block(status, people, reassign=reassign))
    if status.description:
        blocks.append(section(f"*Description*\n{escape(status.description)}"))
    if status.state == "awaiting_revision" and status.revision_reason:
        reason = with_mentions(status.revision_reason, people)
        blocks.append(section(f":warning: *Revision requested*\n{reason}"))
    if status.pending_reviewers:
        waiting = "\n".join(
            f"• {p.stage}: {mention(p.reviewer, people)}" for p in status.pending_reviewers
        )
        blocks.append(section(f"*Waiting for*\n{waiting}"))
    if status.decisions:
        lines = "\n".join(f"• {decision_line(d, people)}" for d in status.decisions)
        blocks.append(section(f"*Decisions on version {status.version}*\n{lines}"))
    if status.history:
        recent = status.history[-RECENT_HISTORY:]
        lines = "\n".join(
            f"• {slack_date(h.at)} {with_mentions(clip(h.text, 300), people)}" for h in recent
        )
        blocks.append(section(f"*Recent history*\n{lines}"))
    blocks.append(context(link(ui_url, "Open the workflow in Temporal")))
    return [b.to_dict() for b in blocks]


def review_list_people(reviews: Iterable[ReviewSummary]) -> list[str]:
    return [email for r in reviews for email in (r.submitted_by, *r.pending_reviewers)]


def summary_line(review: ReviewSummary, people: Mentions, *, submitter: bool = True) -> str:
    """One review in a list: its state, whom it waits for, and (unless it is the reader's
    own) who submitted it."""
    line = f"• *{escape(review.schema_id)}*: {state_label(review.state)}"
    if review.running and review.pending_reviewers:
        line += ", waiting for " + waiting_for(review.pending_reviewers, people)
    if submitter and review.submitted_by:
        line += f" (submitted by {mention(review.submitted_by, people)})"
    return line
