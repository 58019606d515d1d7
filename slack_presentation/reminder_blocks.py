"""The reminder a reviewer gets when their review request has waited: a nudge with a link back
to the request, and no buttons, so the original message stays the one place to decide."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from slack_presentation.closing_sentences import update_outcome
from slack_presentation.mentions import Mentions, mention, with_mentions
from slack_presentation.mrkdwn import escape, link
from slack_presentation.slack_blocks import (
    context,
    decision_line,
    document_link,
    notification,
    section,
    stage_label,
)
from workflow.activity_payloads import ReviewMessageUpdate, ReviewReminder

REMINDER_ICON = "⏰"


def waited(seconds: float) -> str:
    """A wait as people say it: `45 minutes`, `24 hours`, `1.5 hours`, `3 days`."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return _count(max(minutes, 1), "minute")
    hours = seconds / 3600
    if hours < 72:
        return _count(round(hours, 1), "hour")
    return _count(round(hours / 24, 1), "day")


def _count(amount: float, unit: str) -> str:
    shown = f"{amount:g}"
    return f"{shown} {unit}" if shown == "1" else f"{shown} {unit}s"


def reminder_people(reminder: ReviewReminder) -> list[str]:
    return [reminder.request.submission.submitted_by]


def reminder_summary(reminder: ReviewReminder) -> str:
    """`⏰ Reminder: *inventory* v2 has waited 24 hours for your review (Review1.a — …).`"""
    request = reminder.request
    return (
        f"{REMINDER_ICON} Reminder: *{escape(request.submission.schema_id)}*"
        f" v{request.submission.version} has waited {waited(reminder.waited_seconds)} for your"
        f" review ({escape(stage_label(request.stage))})."
    )


def reminder_blocks(
    reminder: ReviewReminder, people: Mentions, permalink: str | None
) -> list[Block]:
    submission = reminder.request.submission
    where = (
        f"*{link(permalink, 'Open the review request')}* and decide there."
        if permalink
        else "The review request, with its buttons, is in your direct messages with this app."
    )
    return [
        section(reminder_summary(reminder), block_id="reminder_summary"),
        section(where, block_id="reminder_link"),
        context(
            f"Submitted by {mention(submission.submitted_by, people)}"
            f" · {document_link(submission.content_uri)}"
            f" · Reminder {reminder.number} of {reminder.max_reminders}"
        ),
    ]


def reminder_text(reminder: ReviewReminder) -> str:
    return notification(reminder_summary(reminder))


def closed_reminder_summary(reminder: ReviewReminder) -> str:
    """`⏰ Reminder: *inventory* v2 waited 24 hours for your review (Review1.a — …); it no
    longer waits.`"""
    request = reminder.request
    return (
        f"{REMINDER_ICON} Reminder: *{escape(request.submission.schema_id)}*"
        f" v{request.submission.version} waited {waited(reminder.waited_seconds)} for your"
        f" review ({escape(stage_label(request.stage))}); it no longer waits."
    )


def closed_reminder_blocks(update: ReviewMessageUpdate, people: Mentions) -> list[Block]:
    """A reminder once its stage closed: why, and that nothing is left to do."""
    assert update.reminder is not None
    why = (
        decision_line(update.decision, people)
        if update.decision is not None
        else f"*{with_mentions(update_outcome(update), people)}*"
    )
    return [
        section(closed_reminder_summary(update.reminder), block_id="reminder_summary"),
        section(why, block_id="reminder_outcome"),
        context("Nothing is left for you to do here."),
    ]


def closed_reminder_text(update: ReviewMessageUpdate, people: Mentions) -> str:
    assert update.reminder is not None
    return notification(
        f"{closed_reminder_summary(update.reminder)}"
        f" {with_mentions(update_outcome(update), people)}."
    )
