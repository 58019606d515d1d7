"""What a review message's buttons carry: shared by the message builder and the bot.

Slack gives a button value at most 2,000 characters; ours stays near 150. Besides the review
(workflow id, stage, version), a request posted to a known Slack user carries that user's id and
email, so that their own click needs no `users.info` before it is recorded; a value without them
(a message posted before they were carried, or whose reviewer Slack did not know) still reads.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from workflow.models import EMAIL_PATTERN, STAGES, version_problem
from workflow.policy_contract import POLICY_STAGES

ACTION_APPROVE = "review_approve"
ACTION_REJECT = "review_reject"
ACTION_ESCALATE = "review_escalate"

# A Slack user id as Slack writes it (U… or W…); anything else is not read as one.
SLACK_USER_ID = re.compile(r"^[A-Z][A-Z0-9_]{2,40}$")
NOT_OURS = "This button does not belong to a schema review message."


class InvalidButtonValue(ValueError):
    """A button value that no review message of ours could have carried."""


@dataclass(frozen=True)
class ReviewButtonValue:
    workflow_id: str
    stage: str
    version: int
    # The Slack user the request was posted to, and their email: set together or not at all.
    reviewer_user_id: str | None = None
    reviewer_email: str | None = None

    def encode(self) -> str:
        data: dict[str, str | int] = {"w": self.workflow_id, "s": self.stage, "v": self.version}
        if self.reviewer_user_id and self.reviewer_email:
            data |= {"u": self.reviewer_user_id, "e": self.reviewer_email}
        return json.dumps(data, separators=(",", ":"))

    def email_if_posted_to(self, user_id: str) -> str | None:
        """The clicker's email when the request was posted to them (Slack signs who clicked,
        and only this app writes its buttons' values); None for anyone else, or an old value."""
        if self.reviewer_user_id and self.reviewer_user_id == user_id:
            return self.reviewer_email
        return None

    @classmethod
    def decode(cls, raw: str) -> ReviewButtonValue:
        try:
            data = json.loads(raw)
            value = cls(workflow_id=data["w"], stage=data["s"], version=data["v"])
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise InvalidButtonValue(NOT_OURS) from error
        if (
            not isinstance(value.workflow_id, str)
            or not value.workflow_id
            # A pool's requests carry the round's name ("Review1") as their stage.
            or value.stage not in (*STAGES, *POLICY_STAGES)
            or version_problem(value.version) is not None
        ):
            raise InvalidButtonValue(NOT_OURS)
        user_id, email = data.get("u"), data.get("e")
        if _reviewer_reads(user_id, email):
            # Anything else there is left unread: the clicker is then looked up, as before.
            return cls(value.workflow_id, value.stage, value.version, user_id, email)
        return value


def _reviewer_reads(user_id: object, email: object) -> bool:
    return (
        isinstance(user_id, str)
        and isinstance(email, str)
        and SLACK_USER_ID.match(user_id) is not None
        and EMAIL_PATTERN.match(email) is not None
    )
