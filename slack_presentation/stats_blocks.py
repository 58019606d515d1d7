"""`/schema-status stats`: what the reviews of the last days came to, as Block Kit."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, SectionBlock

from slack_presentation.slack_blocks import context, field, header, section
from workflow.read_models import Durations, ReviewStats


def duration_text(seconds: float | None) -> str:
    """A duration as people say it: "45 s", "12 min", "3.5 h", "2.1 days"."""
    if seconds is None:
        return "—"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def durations_text(taken: Durations) -> str:
    if taken.count == 0:
        return "none yet"
    return (
        f"median {duration_text(taken.median_seconds)} · p90 {duration_text(taken.p90_seconds)}"
        f" ({taken.count})"
    )


def counts_line(stats: ReviewStats) -> str:
    rounds = "round" if stats.rounds_rejected == 1 else "rounds"
    return (
        f"{stats.opened} opened · {stats.approved} approved · {stats.withdrawn} withdrawn ·"
        f" {stats.rounds_rejected} {rounds} rejected"
    )


def stats_text(stats: ReviewStats) -> str:
    """The reply's top-level text (notifications, screen readers)."""
    return f"Reviews of the last {stats.days} days: {counts_line(stats)}."


def stats_blocks(stats: ReviewStats) -> list[dict[str, Any]]:
    blocks: list[Block] = [
        header(f"Reviews of the last {stats.days} days"),
        SectionBlock(
            fields=[
                field("Opened", str(stats.opened)),
                field("Approved", str(stats.approved)),
                field("Withdrawn", str(stats.withdrawn)),
                field("Rounds rejected", str(stats.rounds_rejected)),
            ]
        ),
        section(f"*Time to approval*: {durations_text(stats.to_approval)}"),
        section(
            "*Time per stage* (first request → decision):\n"
            + "\n".join(f"• {stage}: {durations_text(taken)}" for stage, taken in stats.per_stage)
        ),
        context(
            "From each review's start to its approval, and from a stage's first review request"
            " to its decision; only what Temporal still holds (docs/operations.md, Audit)."
        ),
    ]
    return [block.to_dict() for block in blocks]
