"""What operators count about reviews: opened, approved, withdrawn, rounds rejected, reminders
sent, and how long decisions and approvals took.

Recorded through `workflow.metric_meter()`, which Temporal makes replay-safe (nothing is
recorded while a worker replays a history), so a review evicted from the cache and replayed
is not counted twice, and recording writes no command: no patch is needed. The worker exports
them with Temporal's own metrics (docs/operations.md, "Metrics").

The events are the review's history codes as `ReviewRecord.note` writes them, so every path
that opens, approves or rejects a review is counted without a call at each place. Times are
workflow time: a stage opens when its review request is written to the history, and is
decided when its decision is.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.common import MetricCounter, MetricHistogramFloat, MetricMeter

from workflow.review_record import ReviewRecord
from workflow.review_round import verb

REVIEWS_OPENED = "schema_approval_reviews_opened"
REVIEWS_APPROVED = "schema_approval_reviews_approved"
REVIEWS_WITHDRAWN = "schema_approval_reviews_withdrawn"
ROUNDS_REJECTED = "schema_approval_rounds_rejected"
REMINDERS_SENT = "schema_approval_reminders_sent"
TIME_TO_DECISION = "schema_approval_time_to_decision_seconds"
TIME_TO_APPROVAL = "schema_approval_time_to_approval_seconds"
# Reviews wait for people: from a minute to a couple of weeks.
HOURS = 3600.0
REVIEW_TIME_BUCKETS = (
    60.0,
    300.0,
    900.0,
    HOURS,
    4 * HOURS,
    8 * HOURS,
    24 * HOURS,
    3 * 24 * HOURS,
    7 * 24 * HOURS,
    14 * 24 * HOURS,
)
# The stage a round was rejected at when no reviewer rejected it: the document was refused.
UPLOAD_STAGE = "upload"


class ReviewMetrics:
    """One review's counters and timers; `noted` is `ReviewRecord`'s note listener."""

    def __init__(self) -> None:
        # When each stage of each version was requested, by (version, stage).
        self._opened: dict[tuple[int, str], datetime] = {}
        self._meter: _Instruments | None = None

    def noted(self, record: ReviewRecord, code: str) -> None:
        if code == "review_started":
            self._instruments().opened.add(1)
        elif code == "review_requested":
            now = workflow.now()
            for pending in record.pending():
                self._opened.setdefault((record.version, pending.stage), now)
        elif code == "decision_recorded" and record.decisions:
            decision = record.decisions[-1]
            opened = self._opened.pop((decision.version, decision.stage), None)
            if opened is not None:
                self._instruments().time_to_decision.record(
                    _seconds_since(opened), {"stage": decision.stage, "outcome": verb(decision)}
                )
        elif code == "approved":
            self._instruments().approved.add(1)
            started = _review_start(record)
            if started is not None:
                self._instruments().time_to_approval.record(_seconds_since(started))
        elif code == "withdrawn":
            self._instruments().withdrawn.add(1)
        elif code == "revision_requested":
            rejections = [d for d in record.decisions_of(record.version) if not d.approved]
            stage = rejections[-1].stage if rejections else UPLOAD_STAGE
            self._instruments().rounds_rejected.add(1, {"stage": stage})
        elif code == "reminder_sent":
            self._instruments().reminders_sent.add(1)

    def _instruments(self) -> _Instruments:
        if self._meter is None:
            self._meter = _Instruments(workflow.metric_meter())
        return self._meter


class _Instruments:
    def __init__(self, meter: MetricMeter) -> None:
        self.opened: MetricCounter = meter.create_counter(REVIEWS_OPENED, "Reviews opened")
        self.approved = meter.create_counter(REVIEWS_APPROVED, "Reviews that approved a version")
        self.withdrawn = meter.create_counter(REVIEWS_WITHDRAWN, "Reviews withdrawn")
        self.rounds_rejected = meter.create_counter(
            ROUNDS_REJECTED, "Review rounds that ended in a rejection, by the rejecting stage"
        )
        self.reminders_sent = meter.create_counter(REMINDERS_SENT, "Reminders sent to reviewers")
        self.time_to_decision: MetricHistogramFloat = meter.create_histogram_float(
            TIME_TO_DECISION, "From a stage's review request to its decision, by stage and outcome"
        )
        self.time_to_approval: MetricHistogramFloat = meter.create_histogram_float(
            TIME_TO_APPROVAL, "From a review's start to the approval of a version"
        )


def _seconds_since(then: datetime) -> float:
    return max((workflow.now() - then).total_seconds(), 0.0)


def _review_start(record: ReviewRecord) -> datetime | None:
    """When the review started, from its history (carried across continue-as-new); None when
    a very long review has dropped that entry, rather than a time that is not the start."""
    for entry in record.history:
        if entry.code == "review_started":
            return datetime.fromisoformat(entry.at)
    return None
