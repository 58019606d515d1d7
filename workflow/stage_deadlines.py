"""Deadlines that act: a durable timer per round that opens with one, and what it does when the
round is still open as it falls due (escalate, reassign, reject).

The timers are Temporal's (`wait_condition` with a timeout), so a deadline falls due while no
worker runs and acts once one is back. What it did is recorded (`ReviewRecord.deadline_acts`)
and the round's step follows from that record (`workflow.policy_round`); the review loop then
closes the requests it made moot and asks whoever it now asks.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from temporalio import workflow

from workflow.background import Background
from workflow.models import SEAT_STAGES, same_person
from workflow.policy_contract import DeadlineAct, StageDeadline
from workflow.policy_notices import announce, deadline_notice
from workflow.policy_round import is_pool, round_of
from workflow.review_record import ReviewRecord

_NEXT_ROUND = {"Review1": "Review2", "Review2": "Review3"}
_ROUND_SEAT = {stage: seat for seat, stage in SEAT_STAGES.items()}


def duration(seconds: float) -> str:
    """How the history says a wait: `24 hours`, `90 minutes`, `45 seconds`."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} hours"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} seconds"


class StageDeadlines:
    def __init__(self, record: ReviewRecord, notices: Background) -> None:
        self._record = record
        self._notices = notices
        self.background = Background()

    def watch(self, version: int, name: str) -> None:
        """Start round `name`'s deadline, if its policy gives one; it acts only while the round
        stays open."""
        policy = self._record.policy
        entry = policy.for_stage(name) if policy is not None else None
        if entry is None or entry.deadline is None:
            return
        deadline = entry.deadline
        due = workflow.now() + timedelta(seconds=deadline.after_seconds)
        self._record.deadline_due[(version, name)] = due.isoformat()
        self.background.spawn(self._wait(version, name, deadline))

    async def settle(self) -> None:
        await self.background.settle()

    def _open(self, version: int, name: str) -> bool:
        record = self._record
        if record.withdrawal is not None or record.state != "awaiting_review":
            return False
        if not record.version == record.reviewing_version == version:
            return False
        step = record.step()
        return step.kind == "review" and step.round_name == name

    async def _wait(self, version: int, name: str, deadline: StageDeadline) -> None:
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                lambda: not self._open(version, name),
                timeout=deadline.after_seconds,
                timeout_summary=f"Deadline of {name} of version {version}",
            )
        if self._open(version, name):
            self._act(version, name, deadline)

    def _act(self, version: int, name: str, deadline: StageDeadline) -> None:
        record = self._record
        undecided = [p.reviewer for p in record.pending() if round_of(p.stage) == name]
        act = DeadlineAct(
            stage=name,
            version=version,
            then=deadline.then,
            after_seconds=deadline.after_seconds,
            at=workflow.now().isoformat(),
            reassign_to=deadline.reassign_to if deadline.then == "reassign" else None,
            replaced=undecided if deadline.then == "reassign" else [],
        )
        if act.reassign_to is not None:
            self._reassign(name, undecided, act.reassign_to)
        record.deadline_acts.append(act)
        record.moved()
        waited = f"{name} of version {version} had no decision within {duration(act.after_seconds)}"
        if act.then == "escalate":
            record.note(f"{waited}: {_NEXT_ROUND[name]} is asked instead.", "deadline_escalated")
        elif act.then == "reassign":
            record.note(
                f"{waited}: reassigned from {', '.join(undecided)} to {act.reassign_to}.",
                "deadline_reassigned",
            )
        else:
            record.note(f"{waited}: the round ends rejected.", "deadline_rejected")
        announce(record, self._notices, deadline_notice(record, act))

    def _reassign(self, name: str, undecided: list[str], to: str) -> None:
        record = self._record
        policy = record.policy
        if policy is not None and is_pool(policy, name):
            entry = policy.for_stage(name)
            assert entry is not None
            kept = [m for m in entry.reviewers if not any(same_person(m, u) for u in undecided)]
            if not any(same_person(m, to) for m in kept):
                kept.append(to)
            entry.reviewers = kept
            return
        # Review2 and Review3 have one seat each (Review1's seats need a pool: policy_checks).
        record.reviewers = record.reviewers.with_seat(_ROUND_SEAT[name], to)
