"""How one pass of the review loop ended: the version approved (its upload), rejected,
superseded or withdrawn."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.models import UploadResult
from workflow.policy_contract import DeadlineAct


@dataclass(frozen=True)
class Rejected:
    stage: str  # a review stage, or "upload" when the document itself was refused
    rejected_by: str | None
    reason: str
    # The round's deadline fell due with no decision (a review policy's `reject`).
    deadline: DeadlineAct | None = None


@dataclass(frozen=True)
class Superseded:
    version: int


@dataclass(frozen=True)
class Withdrawn:
    version: int


PassOutcome = UploadResult | Rejected | Superseded | Withdrawn
