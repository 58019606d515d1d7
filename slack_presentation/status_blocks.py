"""`/schema-status schema_id`: one review's status as Block Kit, and the line that sums up a
review in lists (`slack_presentation.review_list_blocks`, App Home)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    MarkdownTextObject,
    SectionBlock,
)

from slack_presentation.compatibility_blocks import compatibility_section_text
from slack_presentation.mentions import (
    Mentions,
    emails_in,
    mention,
    unique_people,
    with_mentions,
)
from slack_presentation.mrkdwn import clip, escape, link, slack_date
from slack_presentation.override_modal import override_button
from slack_presentation.reassign_modal import reassign_button
from slack_presentation.registration_blocks import registry_block
from slack_presentation.slack_blocks import (
    context,
    decision_line,
    header,
    section,
    short_digest,
)
from slack_presentation.stage_blocks import stages_people, stages_text
from slack_presentation.withdraw_modal import withdraw_button
from workflow.models import REVIEWER_SEATS, SEAT_STAGES, HistoryEntry, ReviewStatus, same_person
from workflow.read_models import ApprovedVersion, ReviewSummary

RECENT_HISTORY = 8

STATE_LABELS = {
    "uploading": "Checking the document",
    "awaiting_review": "Awaiting review",
    "awaiting_revision": "Awaiting a new version",
    "approved": "Approved",
    "approved_not_registered": "Approved, not registered",
    "withdrawn": "Withdrawn",
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
    named = [status.owner or status.submitted_by, status.submitted_by]
    named += [p.reviewer for p in status.pending_reviewers]
    named += [d.reviewer for d in status.decisions]
    named += emails_in(status.revision_reason or "")
    for entry in reversed(status.history[-RECENT_HISTORY:]):
        named += emails_in(entry.text)
    return unique_people(named + status.reviewers.all() + stages_people(status))


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


def owner_fields(status: ReviewStatus, people: Mentions) -> list[MarkdownTextObject]:
    """The schema's owner; and who submitted this version, when someone else (an admin) did."""
    owner = status.owner or status.submitted_by
    fields = [MarkdownTextObject(text=f"*Owner*\n{mention(owner, people)}")]
    if not same_person(owner, status.submitted_by):
        fields.append(
            MarkdownTextObject(
                text=f"*Version {status.version} submitted by*\n"
                f"{mention(status.submitted_by, people)}"
            )
        )
    return fields


FULL_DIGEST = re.compile(r"sha256:([0-9a-f]{12})[0-9a-f]{52}")


def short_digests(text: str) -> str:
    """History lines name digests in full; the view shows the 12 characters every message
    shows (the full one is in the approval notice and the Temporal UI)."""
    return FULL_DIGEST.sub(r"\1", text)


def shown_history(status: ReviewStatus) -> list[HistoryEntry]:
    """The recent history without the lines the view already shows above it: the decisions
    on this version and the revision request."""
    repeated = [f"{d.stage} of version {d.version} " for d in status.decisions]
    revision = status.revision_reason if status.state == "awaiting_revision" else None
    return [
        entry
        for entry in status.history
        if not entry.text.startswith(tuple(repeated))
        and not (revision and entry.text.startswith(revision))
    ][-RECENT_HISTORY:]


def approvals_block(approvals: Sequence[ApprovedVersion], people: Mentions) -> SectionBlock:
    lines = "\n".join(
        f"• v{a.version} · `{escape(short_digest(a.digest))}` · approved"
        f" {slack_date(a.approved_at) if a.approved_at else ''} by"
        f" {waiting_for(a.approved_by, people) or 'its reviewers'}"
        for a in approvals
    )
    return SectionBlock(
        text=MarkdownTextObject(text=f"*Approved versions*\n{lines}"), block_id="approved_versions"
    )


def registry_trouble_line(shown_url: str, *, credentials_refused: bool) -> str:
    """Why approvals wait for the schema registry (the web process's last check)."""
    if credentials_refused:
        return (
            f":warning: The schema registry at {escape(shown_url)} refuses the bot's credentials"
            " (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO): approvals wait to be registered."
        )
    return (
        f":warning: The schema registry at {escape(shown_url)} is not answering: approvals"
        " wait to be registered."
    )


def status_blocks(
    status: ReviewStatus,
    ui_url: str,
    people: Mentions,
    *,
    reassign: bool = False,
    override: bool = False,
    approvals: Sequence[ApprovedVersion] = (),
    registry_line: str | None = None,
) -> list[dict[str, Any]]:
    """`reassign`: offer the "Reassign a reviewer" button (to the submitter or an admin, while
    the review runs). `override`: offer "Approve now (override)" (to an admin, while the
    review waits for reviewers). `approvals`: the schema's approved versions, newest first.
    `registry_line`: the schema registry's trouble (`registry_trouble_line`), if any."""
    document = link(status.content_uri, clip(status.content_uri, 200))
    digest = f"`{escape(short_digest(status.digest))}`" if status.digest else "not uploaded yet"
    blocks: list[Block] = [
        header(f"{status.schema_id} · version {status.version}"),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*State*\n{state_label(status.state)}"),
                MarkdownTextObject(text=f"*Round*\n{status.round}"),
                MarkdownTextObject(text=f"*Stage*\n{_stage(status)}"),
                *owner_fields(status, people),
                MarkdownTextObject(text=f"*Digest*\n{digest}"),
                MarkdownTextObject(text=f"*Document*\n{document}"),
            ]
        ),
    ]
    blocks.append(roster_block(status, people, reassign=reassign))
    if reassign and status.state not in ("approved", "withdrawn"):
        # Whoever may reassign (the owner or an admin) may also withdraw.
        blocks.append(
            ActionsBlock(block_id="review_withdraw", elements=[withdraw_button(status.schema_id)])
        )
    if status.description:
        blocks.append(section(f"*Description*\n{escape(status.description)}"))
    if (verdict := compatibility_section_text(status.compatibility)) is not None:
        blocks.append(section(verdict, block_id="review_compatibility"))
    if (registry := registry_block(status)) is not None:
        blocks.append(registry)
    revision = status.revision_reason if status.state == "awaiting_revision" else None
    if revision:
        reason = with_mentions(revision, people)
        blocks.append(section(f":warning: *Revision requested*\n{reason}"))
    if override:
        blocks.append(
            ActionsBlock(block_id="review_override", elements=[override_button(status.schema_id)])
        )
    if (stages := stages_text(status, people)) is not None:
        blocks.append(section(f"*Stages*\n{stages}", block_id="review_stages"))
    if status.pending_reviewers:
        waiting = "\n".join(
            f"• {p.stage}: {mention(p.reviewer, people)}" for p in status.pending_reviewers
        )
        blocks.append(section(f"*Waiting for*\n{waiting}"))
    if status.decisions:
        lines = "\n".join(
            # A rejection's reason is already the revision request's.
            f"• {decision_line(d, people, with_reason=not (revision and d.reason in revision))}"
            for d in status.decisions
        )
        blocks.append(section(f"*Decisions on version {status.version}*\n{lines}"))
    if approvals:
        blocks.append(approvals_block(approvals, people))
    if recent := shown_history(status):
        lines = "\n".join(
            f"• {slack_date(h.at)} {with_mentions(clip(short_digests(h.text), 300), people)}"
            for h in recent
        )
        blocks.append(section(f"*Recent history*\n{lines}"))
    if registry_line:
        blocks.append(section(registry_line, block_id="registry_trouble"))
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
        # The search attribute holds the owner, whoever submitted the latest version.
        line += f" (owner {mention(review.submitted_by, people)})"
    return line
