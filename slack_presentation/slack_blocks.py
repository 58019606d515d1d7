"""Block Kit pieces shared by every message the activities post (and the bot's views): Slack's
limits, the summary (header and fields) that names a schema version, and how a decision reads.

The messages themselves are built in `review_blocks` (review requests and their closed form)
and `notice_blocks` (revision requests and approvals). Builders are pure: data in, blocks out;
people arrive as emails with the `Mentions` the caller looked up.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from slack_presentation.mentions import Mentions, mention
from slack_presentation.mrkdwn import clip, escape, fit, link, slack_date
from workflow.models import (
    REVIEW_1A,
    REVIEW_1B,
    REVIEW_2,
    REVIEW_3,
    RecordedDecision,
    Submission,
    UploadResult,
)

# Slack's limits (https://api.slack.com/reference/block-kit/blocks).
HEADER_LIMIT = 150
SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
SECTION_FIELDS_LIMIT = 10
# Slack truncates longer top-level `text`; notifications show far less anyway.
FALLBACK_TEXT_LIMIT = 3000

SHORT_DIGEST_LENGTH = 12

STAGE_LABELS = {
    REVIEW_1A: "Review1.a — first-round review",
    REVIEW_1B: "Review1.b — first-round review",
    REVIEW_2: "Review2 — senior review",
    REVIEW_3: "Review3 — compliance review",
}


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def version_name(schema_id: str, version: int) -> str:
    """How every message names a schema version (plain text): `inventory v2`."""
    return f"{schema_id} v{version}"


def short_digest(digest: str) -> str:
    """`sha256:<hex>` -> the first 12 hex characters, enough to tell versions apart."""
    return digest.partition(":")[2][:SHORT_DIGEST_LENGTH] or digest[:SHORT_DIGEST_LENGTH]


def document_link(uri: str) -> str:
    """A mrkdwn link to the document labelled with its file name, or the escaped text when
    it is not an http(s) URL (Slack would not make it clickable anyway)."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return escape(uri)
    return link(uri, parts.path.rstrip("/").rpartition("/")[2] or parts.netloc)


def field(label: str, value_mrkdwn: str) -> MarkdownTextObject:
    prefix = f"*{label}*\n"
    return MarkdownTextObject(text=prefix + fit(value_mrkdwn, FIELD_TEXT_LIMIT - len(prefix)))


def section(text_mrkdwn: str, *, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=fit(text_mrkdwn, SECTION_TEXT_LIMIT)), block_id=block_id
    )


def context(text_mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=fit(text_mrkdwn, SECTION_TEXT_LIMIT))])


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=clip(text, HEADER_LIMIT))


def notification(text_mrkdwn: str) -> str:
    """A message's top-level `text`: what notifications and screen readers show."""
    return fit(text_mrkdwn, FALLBACK_TEXT_LIMIT)


@dataclass(frozen=True)
class VersionSummary:
    """What identifies a version under review; both the live and the closed review message
    show it, so a reader recognises the message after its buttons are gone."""

    schema_id: str
    version: int
    stage: str
    reviewer: str
    submission: Submission | None = None
    upload: UploadResult | None = None


def review_header(schema_id: str, version: int) -> HeaderBlock:
    return header(f"Schema review: {version_name(schema_id, version)}")


def summary_blocks(summary: VersionSummary, people: Mentions) -> list[Block]:
    """The header and the fields block; with only stage and reviewer known, a short form."""
    fields = [field("Stage", escape(stage_label(summary.stage)))]
    if summary.submission is not None:
        sub = summary.submission
        fields += [
            field("Submitted by", mention(sub.submitted_by, people)),
            field("Description", escape(sub.description) or "_none given_"),
        ]
    if summary.upload is not None:
        fields.append(field("Digest", f"`{escape(short_digest(summary.upload.digest))}`"))
    if summary.submission is not None:
        fields.append(field("Document", document_link(summary.submission.content_uri)))
    if summary.upload is not None:
        fields.append(field("Format", escape(summary.upload.format)))
    fields.append(field("Reviewer", mention(summary.reviewer, people)))
    return [
        review_header(summary.schema_id, summary.version),
        SectionBlock(fields=fields[:SECTION_FIELDS_LIMIT], block_id="review_summary"),
    ]


def verdict(decision: RecordedDecision) -> str:
    """The decision as a reader scans for it: an icon and a word."""
    if not decision.approved:
        return ":x: *Rejected*"
    if decision.requires_additional_review:
        return ":arrow_up: *Escalated*"
    return ":white_check_mark: *Approved*"


def decision_line(decision: RecordedDecision, people: Mentions, *, with_reason: bool = True) -> str:
    """Who decided which stage, how and when, in one mrkdwn line, with the reason or comment
    quoted below it (unless `with_reason` is False: the view shows it elsewhere)."""
    escalation = (
        " (approved; compliance review required)"
        if decision.approved and decision.requires_additional_review
        else ""
    )
    line = (
        f"{verdict(decision)} by {mention(decision.reviewer, people)}{escalation}"
        f" · {escape(stage_label(decision.stage))} · {slack_date(decision.at)}"
    )
    if decision.reason and with_reason:
        label = "Reason" if not decision.approved else "Comment"
        line += "\n" + quote(f"{label}: {escape(decision.reason)}")
    return line


def quote(text_mrkdwn: str) -> str:
    """A mrkdwn block quote that keeps every line of a multi-line text inside it."""
    return "\n".join(f">{line}" for line in text_mrkdwn.splitlines() or [""])
