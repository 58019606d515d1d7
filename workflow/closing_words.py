"""The sentences the workflow still writes about closed messages: its own history notes, and
the inputs of reviews started before the patch `review-messages-carry-facts`, which send the
sentence itself (`ReviewMessageUpdate.outcome` and `.ending`) for as long as they run.

Word for word what those reviews sent before; the Slack wording of newer reviews is
`slack_presentation.closing_sentences`'s and may change without touching this.
"""

from __future__ import annotations

from workflow.message_facts import MessageClosing, RoundEnding
from workflow.models import RecordedDecision
from workflow.review_round import message_outcome


def outcome(closing: MessageClosing, decision: RecordedDecision | None) -> str:
    if closing.kind == "decided" and decision is not None:
        return message_outcome(decision)
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
        text = f"Withdrawn by {closing.by}"
        return f"{text}: {closing.reason}" if closing.reason else text
    return "No longer needed"


def ending(round_ending: RoundEnding) -> str:
    version = round_ending.version
    if round_ending.kind == "rejected":
        return (
            f"Version {version} was rejected by {round_ending.by} at {round_ending.stage};"
            f" {round_ending.submitter} was asked for a new version."
        )
    if round_ending.kind == "superseded":
        newer = round_ending.newer_version
        return f"Version {version} was superseded by version {newer}; its review ended."
    if round_ending.kind == "approved":
        return f"Version {version} was approved; the review is complete."
    by = round_ending.by
    return f"The review of version {version} was withdrawn by {by}; nothing is left to do."
