"""Block Kit pieces shared by every message the activities post: Slack's text rules and limits,
and the summary (header and fields) that names a schema version.

The messages themselves are built in `review_blocks` (review requests and their closed form)
and `notice_blocks` (revision requests and approvals). Builders are pure: data in, blocks out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock

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

ELLIPSIS = "…"
SHORT_DIGEST_LENGTH = 12

STAGE_LABELS = {
    REVIEW_1A: "Review1.a — first-round review",
    REVIEW_1B: "Review1.b — first-round review",
    REVIEW_2: "Review2 — senior review",
    REVIEW_3: "Review3 — compliance review",
}


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def escape(text: str) -> str:
    """Slack's mrkdwn escaping: only &, < and > are control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """Cut `text` (already escaped) to `limit` characters, never inside an `&amp;`-style entity,
    marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ELLIPSIS


def fit_plain(text: str, limit: int) -> str:
    """Cut plain text (headers, button labels) to `limit` characters."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def short_digest(digest: str) -> str:
    """`sha256:<hex>` -> the first 12 hex characters, enough to tell versions apart."""
    return digest.partition(":")[2][:SHORT_DIGEST_LENGTH] or digest[:SHORT_DIGEST_LENGTH]


def document_link(uri: str) -> str:
    """A mrkdwn link to the document labelled with its file name, or the escaped text when
    it is not an http(s) URL (Slack would not make it clickable anyway)."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return escape(uri)
    label = parts.path.rstrip("/").rpartition("/")[2] or parts.netloc
    # The first `|` ends a link's URL part, so one inside the URL must be percent-encoded.
    target = escape(uri).replace("|", "%7C")
    return f"<{target}|{escape(label)}>"


def slack_date(iso: str) -> str:
    """A timestamp every reader sees in their own time zone, with a UTC fallback."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return escape(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def field(label: str, value_mrkdwn: str) -> MarkdownTextObject:
    prefix = f"*{label}*\n"
    return MarkdownTextObject(text=prefix + fit(value_mrkdwn, FIELD_TEXT_LIMIT - len(prefix)))


def section(text_mrkdwn: str, *, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=fit(text_mrkdwn, SECTION_TEXT_LIMIT)), block_id=block_id
    )


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=fit_plain(text, HEADER_LIMIT))


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
    return header(f"Schema review: {schema_id} v{version}")


def summary_blocks(summary: VersionSummary) -> list[Block]:
    """The header and the fields block; with only stage and reviewer known, a short form."""
    fields = [field("Stage", escape(stage_label(summary.stage)))]
    if summary.submission is not None:
        sub = summary.submission
        fields += [
            field("Submitted by", escape(sub.submitted_by)),
            field("Description", escape(sub.description) or "_none given_"),
        ]
    if summary.upload is not None:
        fields.append(field("Digest", f"`{escape(short_digest(summary.upload.digest))}`"))
    if summary.submission is not None:
        fields.append(field("Document", document_link(summary.submission.content_uri)))
    if summary.upload is not None:
        fields.append(field("Format", escape(summary.upload.format)))
    fields.append(field("Reviewer", escape(summary.reviewer)))
    return [
        review_header(summary.schema_id, summary.version),
        SectionBlock(fields=fields[:SECTION_FIELDS_LIMIT], block_id="review_summary"),
    ]


def verb(decision: RecordedDecision) -> str:
    if not decision.approved:
        return "rejected"
    if decision.requires_additional_review:
        return "escalated (approved, compliance review required)"
    return "approved"


def decision_line(decision: RecordedDecision) -> str:
    """One mrkdwn line: who decided which stage, how, and when; with the reason or comment."""
    line = (
        f"*{escape(decision.reviewer)}* {verb(decision)} "
        f"{escape(stage_label(decision.stage))} on {slack_date(decision.at)}"
    )
    if decision.reason:
        label = "Reason" if not decision.approved else "Comment"
        line += "\n" + quote(f"{label}: {escape(decision.reason)}")
    return line


def quote(text_mrkdwn: str) -> str:
    """A mrkdwn block quote that keeps every line of a multi-line text inside it."""
    return "\n".join(f">{line}" for line in text_mrkdwn.splitlines() or [""])
