"""How a round of the review ended, which every message of that round ends by saying.

A reviewer who decided while the round went on was told "the review continues"; once the round
ends (a rejection, a newer version, the approval) their message is updated again with how it
ended, so that no message keeps saying something that stopped being true. These are the facts;
the sentence, the same for the reviewer's direct message and the channel, is the presentation's.
"""

from __future__ import annotations

from workflow.message_facts import RoundEnding
from workflow.models import RecordedDecision
from workflow.policy_contract import DeadlineAct

# Reviews that ran before closed messages were updated with how their round ended must replay
# without those updates.
PATCH_ROUND_ENDINGS = "closed-review-messages-say-how-the-round-ended"


def rejected(version: int, rejection: RecordedDecision, submitter: str) -> RoundEnding:
    return RoundEnding(
        "rejected", version, by=rejection.reviewer, stage=rejection.stage, submitter=submitter
    )


def superseded(version: int, newer: int) -> RoundEnding:
    return RoundEnding("superseded", version, newer_version=newer)


def approved(version: int) -> RoundEnding:
    return RoundEnding("approved", version)


def withdrawn(version: int, by: str) -> RoundEnding:
    return RoundEnding("withdrawn", version, by=by)


def expired(version: int, act: DeadlineAct, submitter: str) -> RoundEnding:
    return RoundEnding(
        "expired", version, stage=act.stage, submitter=submitter, after_seconds=act.after_seconds
    )
