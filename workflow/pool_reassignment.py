"""A pool member replaced mid-review: the rule behind `reassign_reviewer` with `seat` naming a
round with a pool and `replaces` the member, and what the accepted update does.

The pool is the record's policy, so the change lasts for the rest of the review (later
versions, and across continue-as-new); the member's open request closes ("Reassigned to …")
and the new member is asked at once when the round is open.
"""

from __future__ import annotations

from workflow.decision_rules import ReviewFacts
from workflow.message_facts import reassigned
from workflow.models import (
    EMAIL_PATTERN,
    REASSIGNMENT_REFUSED,
    REASSIGNMENT_REVIEWER_REFUSED,
    REASSIGNMENT_SEAT_REFUSED,
    Reassignment,
    ReassignmentOutcome,
    same_person,
)
from workflow.review_record import ReviewRecord
from workflow.review_reminders import ReviewReminders
from workflow.slack_outbox import SlackOutbox


def pool_refusal(request: Reassignment, facts: ReviewFacts) -> tuple[str, str] | None:
    """(error type, sentence) when the member must not be replaced, or None."""
    assert facts.policy is not None
    stage, pool = request.seat, facts.policy.pool(request.seat)
    replaces, new = request.replaces, request.reviewer
    if not isinstance(new, str) or not EMAIL_PATTERN.match(new):
        return (
            REASSIGNMENT_REVIEWER_REFUSED,
            f"The new reviewer must be an email address, not {new!r}.",
        )
    asker = request.requested_by
    if not isinstance(asker, str) or not EMAIL_PATTERN.match(asker):
        return (
            REASSIGNMENT_REFUSED,
            f"requested_by must be the email address of whoever asks, not {asker!r}.",
        )
    if replaces is None or not any(same_person(replaces, m) for m in pool):
        return (
            REASSIGNMENT_SEAT_REFUSED,
            f"{stage} is a pool: set replaces to the member replaced, one of {', '.join(pool)}"
            f" (not {replaces!r}).",
        )
    if facts.state in ("approved", "approved_not_registered", "withdrawn"):
        return REASSIGNMENT_REFUSED, "This review is closed, so its reviewers can no longer change."
    if any(same_person(new, m) for m in pool):
        return (
            REASSIGNMENT_REVIEWER_REFUSED,
            f"{new} is already in the {stage} pool: pick someone else.",
        )
    if same_person(new, facts.submitted_by):
        return (
            REASSIGNMENT_REVIEWER_REFUSED,
            f"{new} submitted this schema and may not review it: pick someone else.",
        )
    current = facts.current_version
    if any(
        d.version == current and d.stage == stage and same_person(d.reviewer, replaces)
        for d in facts.decisions
    ):
        return (
            REASSIGNMENT_SEAT_REFUSED,
            f"{replaces} already decided {stage} of version {current}, so replacing them now"
            " would change nothing.",
        )
    return None


def reassign_pool_member(
    record: ReviewRecord, outbox: SlackOutbox, reminders: ReviewReminders, request: Reassignment
) -> ReassignmentOutcome:
    """Apply an accepted replacement of a pool member (see `pool_refusal`)."""
    assert record.policy is not None and request.replaces is not None
    stage, new, replaces = request.seat, request.reviewer, request.replaces
    entry = record.policy.for_stage(stage)
    assert entry is not None
    previous = next(m for m in entry.reviewers if same_person(m, replaces))
    entry.reviewers = [new if m is previous else m for m in entry.reviewers]
    record.moved()
    version = record.version
    why = f" ({' '.join(request.reason.split())})" if request.reason.strip() else ""
    record.note(
        f"{stage} pool: {previous} replaced by {new} by {request.requested_by}{why}.", "reassigned"
    )
    open_now = record.is_waiting_for(version, stage, new)
    if open_now and outbox.is_requested(version, stage, previous):
        sent = outbox.reassign(
            version, stage, new, reassigned(new, request.requested_by), replaces=previous
        )
        reminders.watch(sent)
        record.note(f"{stage} of version {version} requested from {new}.", "review_requested")
    if open_now:
        message = f"{new} replaces {previous} in the {stage} pool and was sent the review request"
        message += f" for version {version}."
    else:
        message = f"{new} replaces {previous} in the {stage} pool and will be asked once {stage}"
        message += " opens."
    return ReassignmentOutcome(
        stage=stage,
        previous_reviewer=previous,
        reviewer=new,
        requested_now=open_now,
        message=message,
    )
