"""Withdrawing a review: the owner (or an admin) ends it before a version is approved.

Who may withdraw is the bot's check, as for submissions: the workflow does not know the admins.
The workflow refuses what cannot be withdrawn, then closes every live request ("Withdrawn by
…"), stops the reminders (they wait only while a stage waits) and completes as `withdrawn`.
"""

from __future__ import annotations

from workflow import closing_words
from workflow.message_facts import withdrawn
from workflow.models import EMAIL_PATTERN, Withdrawal
from workflow.review_record import ReviewRecord

WITHDRAWAL_REFUSED = "WithdrawalRefused"
MAX_REASON_LENGTH = 2000


def withdrawal_refusal(request: Withdrawal, record: ReviewRecord) -> str | None:
    """Why the review cannot be withdrawn, or None when it can."""
    if not isinstance(request.requested_by, str) or not EMAIL_PATTERN.match(request.requested_by):
        return f"requested_by must be an email address, not {request.requested_by!r}."
    if not isinstance(request.reason, str) or len(request.reason) > MAX_REASON_LENGTH:
        return f"the reason must be text of at most {MAX_REASON_LENGTH} characters."
    if record.withdrawal is not None:
        return f"this review was already withdrawn by {record.withdrawal.requested_by}."
    if record.state == "approved":
        return f"this review is closed: version {record.version} was approved."
    return None


def withdrawn_outcome(request: Withdrawal) -> str:
    """How the history says it, as each closed review request does: "Withdrawn by …: reason"."""
    return closing_words.outcome(withdrawn(request), None)
