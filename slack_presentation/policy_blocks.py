"""What the owner and the review channel read when a review policy acted: a round's deadline
fell due (escalated, reassigned, rejected) or an admin approved by override."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from slack_presentation.closing_sentences import waited
from slack_presentation.mrkdwn import escape
from slack_presentation.slack_blocks import context, notification, section, version_name
from workflow.activity_payloads import PolicyNotice

_NEXT_ROUND = {"Review1": "Review2", "Review2": "Review3"}


def policy_notice_summary(notice: PolicyNotice) -> str:
    """`inventory v2: Review1 got no decision within 24 hours, so Review2 was asked instead.`"""
    name = version_name(notice.schema_id, notice.version)
    if notice.kind == "override":
        what = f"{notice.stage} of {name}" if notice.stage else name
        return f"{what} was approved by override by {notice.by}: {notice.reason}"
    why = f"{notice.stage} of {name} got {waited(notice.after_seconds)}"
    if notice.then == "escalate":
        return (
            f"{why}, so {_NEXT_ROUND.get(notice.stage or '', 'the next round')} was asked instead."
        )
    if notice.then == "reassign":
        return f"{why}, so it was reassigned to {notice.reassign_to}."
    return f"{why}, so the round ended rejected; the same document may be submitted again."


def policy_notice_blocks(notice: PolicyNotice) -> list[Block]:
    icon = ":rotating_light:" if notice.kind == "override" else ":alarm_clock:"
    note = (
        "An admin broke glass: the override is recorded in the review's status and history."
        if notice.kind == "override"
        else "The review's policy set this deadline when the round opened."
    )
    return [
        section(f"{icon} {escape(policy_notice_summary(notice))}", block_id="policy_notice"),
        context(note),
    ]


def policy_notice_text(notice: PolicyNotice) -> str:
    return notification(policy_notice_summary(notice))
