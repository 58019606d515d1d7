"""What the bot reads about reviews without running one: a review as Temporal's visibility
store lists it, and a version a completed review approved.

Plain data, built by the bot's review client (`bot.reviews`) and shown by the Block Kit
builders (`slack_presentation`), so both speak of the same thing; the workflow never uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from workflow.models import ReviewResult

# Lists of reviews come in pages of this many (`/schema-status`, App Home).
PAGE_SIZE = 20

ListKind = Literal["open", "mine", "waiting", "owner"]


class ListedReviews(Protocol):
    """Which list of reviews a page belongs to, as its page buttons need it (the bot's
    `ReviewList` is one)."""

    @property
    def kind(self) -> ListKind: ...

    @property
    def page(self) -> int: ...

    @property
    def offset(self) -> int: ...

    def at_page(self, page: int, token: bytes | None = None) -> ListedReviews: ...

    def encode(self) -> str: ...


@dataclass(frozen=True)
class ReviewSummary:
    """One review as Temporal's visibility store sees it (no query needed)."""

    schema_id: str
    workflow_id: str
    state: str
    submitted_by: str
    pending_reviewers: list[str]
    running: bool


@dataclass(frozen=True)
class ApprovedVersion:
    version: int
    digest: str
    # When the last decision approved it (ISO 8601), and who approved it, in order.
    approved_at: str
    approved_by: list[str]


def approved_version(result: ReviewResult) -> ApprovedVersion | None:
    """The version a completed run approved; None for a run that ended otherwise (withdrawn)."""
    if result.approved_version is None or not result.digest:
        return None
    decisions = [d for d in result.decisions if d.version == result.approved_version]
    return ApprovedVersion(
        version=result.approved_version,
        digest=result.digest,
        approved_at=max((d.at for d in decisions), default=""),
        approved_by=[d.reviewer for d in decisions],
    )


@dataclass(frozen=True)
class Durations:
    """How long something took, over every time it happened in a period (seconds)."""

    count: int
    median_seconds: float | None
    p90_seconds: float | None


@dataclass(frozen=True)
class ReviewStats:
    """`/schema-status stats`: what the reviews of a period came to (`bot.reviews.review_stats`)."""

    days: int
    opened: int
    approved: int
    withdrawn: int
    rounds_rejected: int
    # From a review's start to the decision that approved it.
    to_approval: Durations
    # Per stage, in stage order: from the stage's first review request to its decision.
    per_stage: list[tuple[str, Durations]]
