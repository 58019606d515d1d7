"""A seat of the roster changing hands mid-review: what the accepted `reassign_reviewer` update
does to the record, the posted review request and the reminders.

The roster is the record's, so the change lasts for the rest of the review (later rounds, later
versions, and across continue-as-new), and every decision is checked against it: once a seat
has changed hands, its previous holder's clicks are refused as someone else's review.
"""

from __future__ import annotations

from workflow.message_facts import reassigned
from workflow.models import SEAT_STAGES, Reassignment, ReassignmentOutcome
from workflow.review_record import ReviewRecord
from workflow.review_reminders import ReviewReminders
from workflow.slack_outbox import SlackOutbox

# The reason lands in the history and the status; a CLI caller may send any length.
REASON_SHOWN_CHARS = 300


def reassign(
    record: ReviewRecord,
    outbox: SlackOutbox,
    reminders: ReviewReminders,
    request: Reassignment,
) -> ReassignmentOutcome:
    """Apply an accepted reassignment (see `reassignment_rules` for which are)."""
    stage = SEAT_STAGES[request.seat]
    previous = record.reviewers.for_stage(stage)
    new, version = request.reviewer, record.version
    open_now = record.is_waiting_on(version, stage)
    record.reviewers = record.reviewers.with_seat(request.seat, new)
    record.note(
        f"{stage} reassigned from {previous} to {new} by {request.requested_by}{_why(request)}.",
        "reassigned",
    )
    if open_now and outbox.is_requested(version, stage):
        sent = outbox.reassign(version, stage, new, reassigned(new, request.requested_by))
        reminders.watch(sent)
        record.note(f"{stage} of version {version} requested from {new}.", "review_requested")
    # Otherwise the stage has not opened yet (or is opening in this very task): the review
    # pass asks whoever holds the seat when it gets there.
    if open_now:
        message = f"{stage} now goes to {new} instead of {previous}; {new} was sent the review"
        message += f" request for version {version}."
    else:
        message = f"{stage} now goes to {new} instead of {previous}; {new} will be asked once"
        message += f" {stage} opens."
    return ReassignmentOutcome(
        stage=stage,
        previous_reviewer=previous,
        reviewer=new,
        requested_now=open_now,
        message=message,
    )


def _why(request: Reassignment) -> str:
    reason = " ".join(request.reason.split())
    if not reason:
        return ""
    if len(reason) > REASON_SHOWN_CHARS:
        reason = reason[: REASON_SHOWN_CHARS - 1] + "…"
    return f" ({reason})"
