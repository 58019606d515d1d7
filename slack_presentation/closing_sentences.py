"""Why a review message closed and how its round ended, as the sentences readers see.

Newer reviews send the facts (`ReviewMessageUpdate.closing`, `.round_ending`); reviews started
before the patch `review-messages-carry-facts` send the sentences themselves (`.outcome`,
`.ending`), which are shown as sent. Both give the same words: these are the ones the older
workflow wrote, in the third person, since the same text goes to the reviewer's direct message
and to the channel. Plain text with email addresses: `with_mentions` makes them mentions.
"""

from __future__ import annotations

from workflow.activity_payloads import ReviewMessageUpdate
from workflow.message_facts import MessageClosing, RoundEnding
from workflow.models import RecordedDecision


def closing_sentence(closing: MessageClosing, decision: RecordedDecision | None = None) -> str:
    """`Approved by alice@example.com`, `Superseded by version 3`, `No longer needed: …`."""
    if closing.kind == "decided" and decision is not None:
        return decided_sentence(decision)
    if closing.kind == "decided":
        return f"Decided by {closing.by}"
    if closing.kind == "rejected_elsewhere":
        return f"No longer needed: {closing.by} rejected at {closing.stage}"
    if closing.kind == "reassigned":
        by = f" by {closing.by}" if closing.by else ""
        return f"Reassigned to {closing.to}{by}"
    if closing.kind == "superseded":
        return f"Superseded by version {closing.version}"
    if closing.kind == "approved":
        return f"Review completed: version {closing.version} approved"
    if closing.kind == "withdrawn":
        withdrawn = f"Withdrawn by {closing.by}"
        return f"{withdrawn}: {closing.reason}" if closing.reason else withdrawn
    if closing.kind == "enough_approvals":
        return f"Not needed: approved by {' and '.join(closing.approved_by)}"
    if closing.kind == "deadline_passed":
        return _deadline_sentence(closing)
    if closing.kind == "overridden":
        return f"Approved by override by {closing.by}: {closing.reason}"
    return "No longer needed"


def waited(seconds: float | None) -> str:
    """`no decision within 24 hours`: how long a round waited; days only from two whole days."""
    total = round(seconds or 0)
    if total >= 2 * 86400 and total % 86400 == 0:
        count, unit = total // 86400, "day"
    elif total >= 3600 and total % 3600 == 0:
        count, unit = total // 3600, "hour"
    elif total >= 60:
        count, unit = round(total / 60), "minute"
    else:
        count, unit = total, "second"
    return f"no decision within {count} {unit}{'s' if count != 1 else ''}"


def _deadline_sentence(closing: MessageClosing) -> str:
    why = waited(closing.after_seconds)
    if closing.then == "escalate":
        return f"No longer needed: {why}, so {closing.stage} was asked instead"
    if closing.then == "reassign":
        return f"Reassigned to {closing.to}: {why}"
    return f"No longer needed: {why}, so the round ended"


def decided_sentence(decision: RecordedDecision) -> str:
    """`Approved by …`, `Escalated by …`, `Rejected by …: reason`."""
    if not decision.approved:
        rejected = f"Rejected by {decision.reviewer}"
        return f"{rejected}: {decision.reason}" if decision.reason else rejected
    verb = "Escalated" if decision.requires_additional_review else "Approved"
    return f"{verb} by {decision.reviewer}"


def ending_sentence(ending: RoundEnding) -> str:
    """`Version 3 was approved; the review is complete.` and the like."""
    version = ending.version
    if ending.kind == "rejected":
        return (
            f"Version {version} was rejected by {ending.by} at {ending.stage};"
            f" {ending.submitter} was asked for a new version."
        )
    if ending.kind == "superseded":
        newer = ending.newer_version
        return f"Version {version} was superseded by version {newer}; its review ended."
    if ending.kind == "approved":
        return f"Version {version} was approved; the review is complete."
    if ending.kind == "expired":
        return (
            f"Version {version} got {waited(ending.after_seconds)} at {ending.stage};"
            f" {ending.submitter} was asked for a new version (the same document may be"
            " submitted again)."
        )
    return f"The review of version {version} was withdrawn by {ending.by}; nothing is left to do."


def update_outcome(update: ReviewMessageUpdate) -> str:
    """Why the update's messages closed, whichever shape it came in."""
    if update.closing is not None:
        return closing_sentence(update.closing, update.decision)
    return update.outcome or ""


def update_ending(update: ReviewMessageUpdate) -> str | None:
    """How the update's round ended, once it has, whichever shape it came in."""
    if update.round_ending is not None:
        return ending_sentence(update.round_ending)
    return update.ending
