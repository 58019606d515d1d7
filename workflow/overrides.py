"""Break glass: the `override_review` update approves one round, or the whole review, at once,
with a record of who did it and why.

Who may (an admin) is the bot's check; the workflow requires who and why, and an open round.
The override closes every open request it made moot ("Approved by override by …"), is listed in
`status.overrides` and the history, and the owner and the review channel are told.
"""

from __future__ import annotations

from temporalio import workflow

from workflow import message_facts
from workflow.background import Background
from workflow.models import EMAIL_PATTERN
from workflow.policy_contract import POLICY_STAGES, OverrideRecord, ReviewOverride
from workflow.policy_notices import announce, override_notice
from workflow.policy_round import round_of
from workflow.review_record import ReviewRecord
from workflow.slack_outbox import SlackOutbox


def override_refusal(request: ReviewOverride, record: ReviewRecord) -> str | None:
    """Why the override cannot apply now, or None when it is accepted."""
    if not isinstance(request.requested_by, str) or not EMAIL_PATTERN.match(request.requested_by):
        return (
            f"requested_by must be the email address of whoever asks, not {request.requested_by!r}."
        )
    if not request.reason.strip():
        return "reason is empty: an override needs a reason, which the review keeps on record."
    stage = request.stage
    if stage is not None and stage not in POLICY_STAGES:
        return f"{stage!r} is not a round: use one of {', '.join(POLICY_STAGES)}, or null."
    version = record.version
    if record.state in ("approved", "approved_not_registered"):
        return f"This review is closed: version {version} was approved."
    if record.state == "withdrawn" or record.withdrawal is not None:
        return "This review is closed: it was withdrawn."
    if record.state == "awaiting_revision":
        return (
            f"Version {version} was rejected and the review waits for a revised version:"
            " submit it, then override its review."
        )
    if record.state != "awaiting_review" or record.has_newer_version():
        return (
            f"Nothing to approve yet: version {version} is being uploaded. Try again once its"
            " review requests are out."
        )
    step = record.step()
    if stage is not None and step.round_name != stage:
        return (
            f"{stage} of version {version} is not open: the review is at {step.round_name}."
            f" Override {step.round_name}, or the whole review (stage null)."
        )
    return None


def apply_override(
    record: ReviewRecord, outbox: SlackOutbox, notices: Background, request: ReviewOverride
) -> str:
    """Apply an accepted override; the sentence the caller is answered with."""
    version = record.version
    override = OverrideRecord(
        stage=request.stage,
        version=version,
        requested_by=request.requested_by,
        reason=" ".join(request.reason.split()),
        at=workflow.now().isoformat(),
    )
    record.overrides.append(override)
    record.moved()
    what = f"{request.stage} of version {version}" if request.stage else f"Version {version}"
    text = f"{what} approved by override by {override.requested_by}: {override.reason}."
    record.note(text, "overridden")
    closing = message_facts.overridden(override)
    for asked in outbox.live(version):
        if request.stage is None or round_of(asked.stage) == request.stage:
            outbox.close(
                version,
                asked.stage,
                closing,
                review_continues=request.stage is not None,
                reviewer=asked.reviewer,
            )
    announce(record, notices, override_notice(record, override))
    return f"Approved by override: {text}"
