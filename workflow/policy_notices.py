"""The owner and the review channel told that a review policy acted (a deadline, an override),
in the background like every Slack call, so that a slow Slack never holds the review up."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflow.activity_calls import SLACK_OPTIONS, failure_reason
from workflow.activity_contract import notify_policy_action
from workflow.activity_payloads import PolicyNotice
from workflow.background import Background
from workflow.policy_contract import DeadlineAct, OverrideRecord
from workflow.review_record import ReviewRecord


def deadline_notice(record: ReviewRecord, act: DeadlineAct) -> PolicyNotice:
    return PolicyNotice(
        workflow_id=workflow.info().workflow_id,
        kind="deadline",
        schema_id=record.submission.schema_id,
        version=act.version,
        owner=record.owner,
        stage=act.stage,
        then=act.then,
        after_seconds=act.after_seconds,
        reassign_to=act.reassign_to,
        review_channel=record.review_channel,
    )


def override_notice(record: ReviewRecord, override: OverrideRecord) -> PolicyNotice:
    return PolicyNotice(
        workflow_id=workflow.info().workflow_id,
        kind="override",
        schema_id=record.submission.schema_id,
        version=override.version,
        owner=record.owner,
        stage=override.stage,
        by=override.requested_by,
        reason=override.reason,
        review_channel=record.review_channel,
    )


def announce(record: ReviewRecord, background: Background, notice: PolicyNotice) -> None:
    background.spawn(_send(record, notice))


async def _send(record: ReviewRecord, notice: PolicyNotice) -> None:
    try:
        await workflow.execute_activity(notify_policy_action, notice, **SLACK_OPTIONS)
    except ActivityError as error:
        record.note(
            f"Could not tell {notice.owner} that the {notice.kind} acted on version"
            f" {notice.version}: {failure_reason(error)}.",
            "policy_notice_failed",
        )
