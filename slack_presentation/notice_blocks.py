"""Notices to people who do not need to click anything: the submitter's revision request,
approval (or an approval the schema store could not record) and undelivered review requests,
and the reviewers' note that a schema they reviewed is approved."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, SectionBlock

from slack_presentation.closing_sentences import waited
from slack_presentation.mentions import Mentions, mention
from slack_presentation.mrkdwn import escape
from slack_presentation.slack_blocks import (
    SECTION_FIELDS_LIMIT,
    context,
    decision_line,
    document_link,
    field,
    header,
    notification,
    quote,
    section,
    short_digest,
    stage_label,
    version_name,
)
from workflow.activity_payloads import FinalizeRequest, RevisionRequest, UndeliveredReviewRequest
from workflow.models import RecordedDecision, Submission

UPLOAD_STAGE = "upload"


NEW_ADDRESS = "<address of the new document>"


def resubmit_command(submission: Submission, *, same_address: bool = True) -> str:
    """The slash command that submits the next version, ready to paste; with a placeholder
    for the address when the one submitted could not be used."""
    address = submission.content_uri if same_address else NEW_ADDRESS
    return f"/submit-schema {submission.schema_id} {submission.version + 1} {address}"


def revision_request_people(request: RevisionRequest) -> list[str]:
    return [request.rejected_by] if request.rejected_by else []


def rejection(request: RevisionRequest, people: Mentions) -> str:
    """What stopped this version, as mrkdwn completing "Version 2 of X …"."""
    if request.stage == UPLOAD_STAGE:
        return "the document could not be accepted"
    if request.deadline_seconds is not None:
        why = waited(request.deadline_seconds)
        return f"not decided at {escape(stage_label(request.stage))}: {why}"
    who = mention(request.rejected_by, people) if request.rejected_by else "a reviewer"
    return f"rejected by {who} at {escape(stage_label(request.stage))}"


def next_step(request: RevisionRequest) -> str:
    """What the submitter changes, and the command that sends it, as mrkdwn."""
    sub = request.submission
    next_version = sub.version + 1
    if request.stage == UPLOAD_STAGE:
        # The document at that address could not be used: sending the same address again
        # would fail the same way, so the command asks for a new one.
        return (
            f"*What to do next:* the reason above says what is wrong with the document at"
            f" `{escape(sub.content_uri)}`. Publish a corrected document (JSON: a JSON Schema,"
            " Avro, OpenAPI or AsyncAPI document) where the bot can fetch it, then submit it"
            f" as version {next_version}, replacing the placeholder with its address:\n"
            f"```{escape(resubmit_command(sub, same_address=False))}```"
        )
    return (
        f"*What to do next:* change the schema as the reason asks, publish it (the rejected"
        f" document is {document_link(sub.content_uri)}), then submit it as version"
        f" {next_version} with this command; change the URL if the new document lives"
        " elsewhere, and a description of the change may follow it:\n"
        f"```{escape(resubmit_command(sub))}```"
    )


def revision_request_blocks(request: RevisionRequest, people: Mentions) -> list[Block]:
    sub = request.submission
    reason = escape(request.reason) or "_No reason was given._"
    return [
        header(f"Changes requested: {version_name(sub.schema_id, sub.version)}"),
        section(
            f"Version {sub.version} of *{escape(sub.schema_id)}*: {rejection(request, people)}.",
            block_id="revision_problem",
        ),
        section(quote(f"*Reason:* {reason}"), block_id="revision_reason"),
        section(next_step(request), block_id="revision_next_step"),
        context(f"The review waits for version {sub.version + 1}; nothing else is needed."),
    ]


def revision_request_text(request: RevisionRequest, people: Mentions) -> str:
    sub = request.submission
    what = escape(version_name(sub.schema_id, sub.version))
    command = resubmit_command(sub, same_address=request.stage != UPLOAD_STAGE)
    return notification(
        f"{what} needs changes ({rejection(request, people)}): {escape(request.reason)}."
        f" Resubmit with: {escape(command)}"
    )


def approved_decisions(request: FinalizeRequest) -> list[RecordedDecision]:
    """The decisions that approved this version (earlier versions' are history)."""
    return [d for d in request.decisions if d.version == request.upload.version]


def approval_people(request: FinalizeRequest) -> list[str]:
    return [d.reviewer for d in approved_decisions(request)]


def approval_blocks(request: FinalizeRequest, people: Mentions) -> list[Block]:
    """The submitter's notice: which version is approved, its digest, and who approved what."""
    sub = request.submission
    upload = request.upload
    rounds = rounds_text(request.rounds)
    fields = [
        field("Version", str(upload.version)),
        field("Digest", f"`{escape(short_digest(upload.digest))}`"),
        field("Review", rounds),
        field("Format", escape(upload.format)),
        field("Document", document_link(sub.content_uri)),
    ]
    decisions = "\n".join(f"• {decision_line(d, people)}" for d in approved_decisions(request))
    return [
        header(f"Approved: {version_name(sub.schema_id, upload.version)}"),
        section(approval_summary(request), block_id="approval_summary"),
        SectionBlock(fields=fields[:SECTION_FIELDS_LIMIT], block_id="approval_fields"),
        section(f"*Decisions*\n{decisions or '_none recorded_'}", block_id="approval_decisions"),
        context(f"Full digest `{escape(upload.digest)}`"),
    ]


def registered_as(request: FinalizeRequest) -> str | None:
    """`Registered as `order-placed-value` version 1 (id 1).`, or None without a registry."""
    registration = request.registration
    if registration is None:
        return None
    return (
        f"Registered as `{escape(registration.subject)}` version {registration.version}"
        f" (id {registration.id})."
    )


def approval_summary(request: FinalizeRequest) -> str:
    schema, version = escape(request.submission.schema_id), request.upload.version
    if (registered := registered_as(request)) is not None:
        return f"*{schema}* version {version} is approved. {registered}"
    return f"*{schema}* version {version} is approved and marked as such in the schema store."


def rounds_text(rounds: int) -> str:
    return "1 round" if rounds == 1 else f"{rounds} rounds"


def approved_version(request: FinalizeRequest) -> str:
    """`inventory v2 is approved (digest 0123456789ab`, as mrkdwn; the caller ends it."""
    upload = request.upload
    name = escape(version_name(request.submission.schema_id, upload.version))
    return f"{name} is approved (digest {short_digest(upload.digest)}"


def approval_text(request: FinalizeRequest) -> str:
    registered = registered_as(request)
    return notification(
        f"{approved_version(request)}, {rounds_text(request.rounds)})."
        + (f" {registered}" if registered else "")
    )


def reviewer_approval_blocks(request: FinalizeRequest) -> list[Block]:
    """The short notice to a reviewer that the schema they reviewed is approved."""
    return [section(reviewer_approval_text(request), block_id="approval_notice")]


def reviewer_approval_text(request: FinalizeRequest) -> str:
    return notification(
        f"Schema {approved_version(request)}). Thank you for your review; nothing is left to do."
    )


def unrecorded_approval_summary(request: FinalizeRequest, problem: str) -> str:
    """`*inventory* version 2 was approved by its reviewers, but the schema store …`; the
    problem is the `finalize_review` failure, which completes that sentence."""
    return (
        f"*{escape(request.submission.schema_id)}* version {request.upload.version} was"
        f" approved by its reviewers, but {escape(problem)}"
    )


def unrecorded_approval_blocks(request: FinalizeRequest, problem: str) -> list[Block]:
    """The submitter's notice that the approval could not be recorded in the schema store."""
    sub = request.submission
    return [
        header(f"Approved, not recorded: {version_name(sub.schema_id, request.upload.version)}"),
        section(
            f":warning: {unrecorded_approval_summary(request, problem)}",
            block_id="unrecorded_approval",
        ),
        context(
            "The reviewers were not told. Ask an operator to check the schema store;"
            f" /schema-status {escape(sub.schema_id)} keeps this in the review's history."
        ),
    ]


def unrecorded_approval_text(request: FinalizeRequest, problem: str) -> str:
    return notification(unrecorded_approval_summary(request, problem))


# Failure types the submitter is told about in their own words; others keep the error's sentence.
UNDELIVERED_REASONS = {
    "SlackUserNotFound": "no Slack user has this email",
    "Timeout": "Slack did not answer in time",
}


def undelivered_reason(notice: UndeliveredReviewRequest) -> str:
    return UNDELIVERED_REASONS.get(notice.failure_type) or notice.failure.rstrip(". ")


def undelivered_summary(notice: UndeliveredReviewRequest) -> str:
    """`Your review of *inventory* v2 is waiting: the Review1.a request could not be delivered
    to alice@example.com (no Slack user has this email). Reassign the reviewer from …`"""
    request = notice.request
    schema = request.submission.schema_id
    return (
        f"Your review of *{escape(schema)}* v{request.submission.version} is waiting: the"
        f" {escape(request.stage)} request could not be delivered to {escape(request.reviewer)}"
        f" ({escape(undelivered_reason(notice))}). Reassign the reviewer from"
        f" /schema-status {escape(schema)}."
    )


def undelivered_blocks(notice: UndeliveredReviewRequest) -> list[Block]:
    return [
        section(f":warning: {undelivered_summary(notice)}", block_id="undelivered_request"),
        context(
            "The new reviewer gets the review request at once; decisions already made stay."
            " Only you or an admin can reassign."
        ),
    ]


def undelivered_text(notice: UndeliveredReviewRequest) -> str:
    return notification(undelivered_summary(notice))
