"""The audit trail as rows: one per decision that counted, reassignment, withdrawal,
registration and registration retry of a period, with the same fields in CSV and JSON Lines
(docs/operations.md, "Audit")."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from bot.reviews.review_trail import ReviewTrail
from workflow.models import RecordedDecision

AUDIT_FORMATS = ("jsonl", "csv")


@dataclass(frozen=True)
class AuditRow:
    at: str
    # "decision", "reassignment", "withdrawal", "override", "registration" or
    # "registration_retry".
    kind: str
    schema: str
    version: int | None
    digest: str
    stage: str
    # Who decided; for a reassignment, who holds the seat now.
    reviewer: str
    # "approved", "rejected" or "escalated" (approved, asking for the compliance review).
    decision: str
    reason: str
    # From the review request the decision answered to the decision.
    seconds_from_request: float | None
    submitted_by: str
    # Who reassigned, withdrew or asked to register again.
    requested_by: str
    previous_reviewer: str
    workflow_id: str


AUDIT_FIELDS = tuple(AuditRow.__dataclass_fields__)


def shown_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def decision_word(decision: RecordedDecision) -> str:
    if not decision.approved:
        return "rejected"
    return "escalated" if decision.requires_additional_review else "approved"


def audit_rows(
    trails: Iterable[ReviewTrail], since: datetime, until: datetime | None = None
) -> list[AuditRow]:
    """The rows of [since, until), oldest first."""

    def in_period(moment: datetime) -> bool:
        return since <= moment and (until is None or moment < until)

    found: list[tuple[datetime, AuditRow]] = []
    for trail in trails:
        for decision in trail.decisions:
            at = datetime.fromisoformat(decision.at)
            if in_period(at):
                found.append((at, _decision_row(trail, decision, at)))
        for action in trail.actions:
            if not in_period(action.at):
                continue
            version = action.version
            row = AuditRow(
                at=shown_time(action.at),
                kind=action.kind,
                schema=trail.schema_id,
                version=version,
                digest=trail.digests.get(version, "") if version is not None else "",
                stage=action.stage,
                reviewer=action.reviewer,
                decision="",
                reason=action.reason,
                seconds_from_request=None,
                submitted_by=trail.submitters.get(version, "") if version is not None else "",
                requested_by=action.requested_by,
                previous_reviewer=action.previous_reviewer,
                workflow_id=trail.workflow_id,
            )
            found.append((action.at, row))
    found.sort(key=lambda pair: pair[0])
    return [row for _, row in found]


def _decision_row(trail: ReviewTrail, decision: RecordedDecision, at: datetime) -> AuditRow:
    request = trail.request_answered_by(decision)
    waited = None
    if request is not None:
        # Slack's clock and Temporal's may differ by a little; a decision never precedes its
        # request.
        waited = round(max(0.0, (at - request.posted_at).total_seconds()), 3)
    return AuditRow(
        at=shown_time(at),
        kind="decision",
        schema=trail.schema_id,
        version=decision.version,
        digest=trail.digests.get(decision.version, ""),
        stage=decision.stage,
        reviewer=decision.reviewer,
        decision=decision_word(decision),
        reason=decision.reason,
        seconds_from_request=waited,
        submitted_by=trail.submitters.get(decision.version, ""),
        requested_by="",
        previous_reviewer="",
        workflow_id=trail.workflow_id,
    )


def as_jsonl(rows: Iterable[AuditRow]) -> str:
    return "".join(json.dumps(asdict(row), ensure_ascii=False) + "\n" for row in rows)


def as_csv(rows: Iterable[AuditRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=AUDIT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in asdict(row).items()})
    return out.getvalue()
