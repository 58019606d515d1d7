"""`/schema-status stats`: what the reviews of the last days came to, counted from the same
reading as the audit trail (`bot.reviews.review_trail`)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from datetime import datetime, timedelta

from temporalio.client import Client

from bot.reviews.review_trail import ReviewTrail, read_trails
from workflow.models import STAGES
from workflow.read_models import Durations, ReviewStats

STATS_DAYS = 30


def durations(seconds: Iterable[float]) -> Durations:
    ordered = sorted(seconds)
    if not ordered:
        return Durations(0, None, None)
    # Nearest rank: the p90 is a time that was actually taken.
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
    return Durations(len(ordered), statistics.median(ordered), p90)


def review_stats(
    trails: Iterable[ReviewTrail], since: datetime, until: datetime, days: int = STATS_DAYS
) -> ReviewStats:
    def in_period(moment: datetime | None) -> bool:
        return moment is not None and since <= moment < until

    opened = approved = withdrawn = 0
    rejected_rounds: set[tuple[str, str, int]] = set()
    to_approval: list[float] = []
    per_stage: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for trail in trails:
        opened += in_period(trail.started_at)
        withdrawn += sum(1 for a in trail.actions if a.kind == "withdrawal" and in_period(a.at))
        approved_at = trail.approved_at()
        if approved_at is not None and in_period(approved_at):
            approved += 1
            if trail.started_at is not None:
                to_approval.append((approved_at - trail.started_at).total_seconds())
        for decision in trail.decisions:
            at = datetime.fromisoformat(decision.at)
            if not in_period(at):
                continue
            if not decision.approved:
                # One rejection ends its version's round; a version has one round.
                rejected_rounds.add((trail.workflow_id, trail.first_run_id, decision.version))
            first = trail.first_request(decision.version, decision.stage)
            if first is not None and decision.stage in per_stage:
                per_stage[decision.stage].append(max(0.0, (at - first.posted_at).total_seconds()))
    return ReviewStats(
        days=days,
        opened=opened,
        approved=approved,
        withdrawn=withdrawn,
        rounds_rejected=len(rejected_rounds),
        to_approval=durations(to_approval),
        per_stage=[(stage, durations(taken)) for stage, taken in per_stage.items()],
    )


async def recent_review_stats(
    client: Client, task_queue: str, now: datetime, days: int = STATS_DAYS
) -> ReviewStats:
    """The stats of the `days` before `now`. Raises as `read_trails` does."""
    since = now - timedelta(days=days)
    trails = await read_trails(client, task_queue, since)
    return review_stats(trails, since, now, days)
