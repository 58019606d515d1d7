"""How a round of the review ended, as one sentence every message of that round ends with.

A reviewer who decided while the round went on was told "the review continues"; once the round
ends (a rejection, a newer version, the approval) their message is updated again with one of
these, so that no message keeps saying something that stopped being true. The sentences are in
the third person: the same text is shown in the reviewer's direct message and in the channel.
"""

from __future__ import annotations

from workflow.models import RecordedDecision

# Reviews that ran before closed messages were updated with how their round ended must replay
# without those updates.
PATCH_ROUND_ENDINGS = "closed-review-messages-say-how-the-round-ended"


def rejected(version: int, rejection: RecordedDecision, submitter: str) -> str:
    return (
        f"Version {version} was rejected by {rejection.reviewer} at {rejection.stage};"
        f" {submitter} was asked for a new version."
    )


def superseded(version: int, newer: int) -> str:
    return f"Version {version} was superseded by version {newer}; its review ended."


def approved(version: int) -> str:
    return f"Version {version} was approved; the review is complete."


def withdrawn(version: int, by: str) -> str:
    return f"The review of version {version} was withdrawn by {by}; nothing is left to do."
