"""Notices to people who do not need to click anything: the submitter's revision request and
approval, and the reviewers' note that a schema they reviewed is approved."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from activities.slack_blocks import (
    FALLBACK_TEXT_LIMIT,
    SECTION_FIELDS_LIMIT,
    decision_line,
    document_link,
    escape,
    field,
    fit,
    header,
    quote,
    section,
    short_digest,
    stage_label,
)
from workflow.models import FinalizeRequest, RecordedDecision, RevisionRequest, Submission

UPLOAD_STAGE = "upload"


def resubmit_command(submission: Submission) -> str:
    """The slash command that submits the next version, ready to paste."""
    return (
        f"/submit-schema {submission.schema_id} {submission.version + 1} {submission.content_uri}"
    )


def revision_problem(request: RevisionRequest) -> str:
    """Who stopped this version, in one mrkdwn sentence."""
    sub = request.submission
    what = f"Version {sub.version} of *{escape(sub.schema_id)}*"
    if request.stage == UPLOAD_STAGE:
        return f"{what}: the document could not be accepted."
    who = escape(request.rejected_by or "a reviewer")
    return f"{what} was rejected by *{who}* at {escape(stage_label(request.stage))}."


def revision_request_blocks(request: RevisionRequest) -> list[Block]:
    sub = request.submission
    next_version = sub.version + 1
    reason = escape(request.reason) or "_No reason was given._"
    return [
        header(f"Changes requested: {sub.schema_id} v{sub.version}"),
        section(revision_problem(request), block_id="revision_problem"),
        section(quote(f"*Reason:* {reason}"), block_id="revision_reason"),
        section(
            f"*What to do next:* fix the schema ({document_link(sub.content_uri)}), then submit"
            f" it as version {next_version} with this command (change the URL if the new"
            " version lives elsewhere; a description of the change may follow the URL):\n"
            f"```{escape(resubmit_command(sub))}```",
            block_id="revision_next_step",
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"The review waits for version {next_version}; nothing else is needed."
                )
            ]
        ),
    ]


def revision_request_text(request: RevisionRequest) -> str:
    sub = request.submission
    who = (
        "the document could not be accepted"
        if request.stage == UPLOAD_STAGE
        else f"rejected by {request.rejected_by or 'a reviewer'} at {request.stage}"
    )
    return fit(
        escape(
            f"{sub.schema_id} v{sub.version} needs changes ({who}): {request.reason}."
            f" Resubmit with: {resubmit_command(sub)}"
        ),
        FALLBACK_TEXT_LIMIT,
    )


def approved_decisions(request: FinalizeRequest) -> list[RecordedDecision]:
    """The decisions that approved this version (earlier versions' are history)."""
    return [d for d in request.decisions if d.version == request.upload.version]


def approval_blocks(request: FinalizeRequest) -> list[Block]:
    """The submitter's notice: which version is approved, its digest, and who approved what."""
    sub = request.submission
    upload = request.upload
    rounds = "1 round" if request.rounds == 1 else f"{request.rounds} rounds"
    fields = [
        field("Version", str(upload.version)),
        field("Digest", f"`{escape(short_digest(upload.digest))}`"),
        field("Review", rounds),
        field("Format", escape(upload.format)),
        field("Document", document_link(sub.content_uri)),
    ]
    decisions = "\n".join(f"• {decision_line(d)}" for d in approved_decisions(request))
    return [
        header(f"Approved: {sub.schema_id} v{upload.version}"),
        section(
            f"*{escape(sub.schema_id)}* version {upload.version} is approved and marked as"
            " such in the schema store.",
            block_id="approval_summary",
        ),
        SectionBlock(fields=fields[:SECTION_FIELDS_LIMIT], block_id="approval_fields"),
        section(f"*Decisions*\n{decisions or '_none recorded_'}", block_id="approval_decisions"),
        ContextBlock(elements=[MarkdownTextObject(text=f"Full digest `{escape(upload.digest)}`")]),
    ]


def approval_text(request: FinalizeRequest) -> str:
    upload = request.upload
    return fit(
        escape(
            f"{request.submission.schema_id} v{upload.version} is approved"
            f" (digest {short_digest(upload.digest)}, {request.rounds} round(s))."
        ),
        FALLBACK_TEXT_LIMIT,
    )


def reviewer_approval_blocks(request: FinalizeRequest) -> list[Block]:
    """The short notice to a reviewer that the schema they reviewed is approved."""
    return [section(reviewer_approval_text(request), block_id="approval_notice")]


def reviewer_approval_text(request: FinalizeRequest) -> str:
    return escape(
        f"Schema {request.submission.schema_id} v{request.upload.version} is approved"
        f" (digest {short_digest(request.upload.digest)}). Thank you for your review;"
        " nothing is left to do."
    )
