"""What a review message's buttons carry: shared by the message builder and the bot.

Slack gives a button value at most 2,000 characters; ours stays near 100.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from workflow.models import STAGES, version_problem
from workflow.policy_contract import POLICY_STAGES

ACTION_APPROVE = "review_approve"
ACTION_REJECT = "review_reject"
ACTION_ESCALATE = "review_escalate"


class InvalidButtonValue(ValueError):
    """A button value that no review message of ours could have carried."""


@dataclass(frozen=True)
class ReviewButtonValue:
    workflow_id: str
    stage: str
    version: int

    def encode(self) -> str:
        return json.dumps(
            {"w": self.workflow_id, "s": self.stage, "v": self.version}, separators=(",", ":")
        )

    @classmethod
    def decode(cls, raw: str) -> ReviewButtonValue:
        try:
            data = json.loads(raw)
            value = cls(workflow_id=data["w"], stage=data["s"], version=data["v"])
        except (ValueError, TypeError, KeyError) as error:
            raise InvalidButtonValue(
                "This button does not belong to a schema review message."
            ) from error
        if (
            not isinstance(value.workflow_id, str)
            or not value.workflow_id
            # A pool's requests carry the round's name ("Review1") as their stage.
            or value.stage not in (*STAGES, *POLICY_STAGES)
            or version_problem(value.version) is not None
        ):
            raise InvalidButtonValue("This button does not belong to a schema review message.")
        return value
