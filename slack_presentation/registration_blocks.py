"""The schema registry in Slack: the notices that an approved version is not registered (yet),
and the registry's line in `/schema-status` and App Home.

The workflow passes facts (`RegistrationNotice`, `ReviewStatus.registry`); the sentences are
written here, once, for the notices and the status views alike.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ButtonElement, SectionBlock

from slack_presentation.mrkdwn import escape
from slack_presentation.reassign_modal import ReassignTarget
from slack_presentation.slack_blocks import context, notification, section
from workflow.activity_payloads import RegistrationNotice
from workflow.models import ReviewStatus

# The button on a review left `approved_not_registered`: shown to everyone, accepted from the
# owner or an admin (`bot.slack_app.listeners.actions.retry_registration_click`).
RETRY_REGISTRATION_ACTION = "retry_registration"
RETRY_REGISTRATION_LABEL = "Retry registration"


def _hours(hours: float) -> str:
    return f"{hours:g} hour" + ("" if hours == 1 else "s")


def registration_notice_summary(notice: RegistrationNotice) -> str:
    """`Version 3 of *inventory* is approved, but not registered in the schema registry yet
    (subject inventory-value): <why>. …`"""
    head = (
        f"Version {notice.version} of *{escape(notice.schema_id)}* is approved, but not"
        f" registered in the schema registry"
    )
    subject = f"subject `{escape(notice.subject)}`"
    reason = escape(notice.reason.rstrip("."))
    if notice.kind == "pending":
        retrying = f" for up to {_hours(notice.retry_hours)}" if notice.retry_hours else ""
        return (
            f"{head} yet ({subject}): {reason}. The approval stands; the bot keeps trying"
            f"{retrying} and says so once it is registered."
        )
    return (
        f"{head} ({subject}): {reason}. The review stays open until the owner or an admin"
        f" retries the registration (Retry registration in /schema-status"
        f" {escape(notice.schema_id)}) or withdraws it; a new version waits until then."
    )


def registration_notice_blocks(notice: RegistrationNotice) -> list[Block]:
    icon = ":hourglass_flowing_sand:" if notice.kind == "pending" else ":warning:"
    return [
        section(f"{icon} {registration_notice_summary(notice)}", block_id="registration_notice"),
        context("Producers and consumers read the schema registry, not this review."),
    ]


def registration_notice_text(notice: RegistrationNotice) -> str:
    return notification(registration_notice_summary(notice))


def registry_line(status: ReviewStatus) -> str | None:
    """Where the registry holds the approved version, or why it does not; None when the review
    has nothing to say of a registry."""
    held = status.registry
    if held is not None:
        return (
            f"Registered in the schema registry: `{escape(held.subject)}` version {held.version}"
            f" (id {held.id})"
        )
    problem = status.registry_problem
    if problem is None:
        return None
    if status.state == "approved_not_registered":
        return f"Approved, not registered: {escape(problem)}"
    return f"Registration pending: {escape(problem.removeprefix('Registration pending: '))}"


def retry_registration_button(schema_id: str) -> ButtonElement:
    # The value names the review as the reassign and withdraw buttons do.
    return ButtonElement(
        text=RETRY_REGISTRATION_LABEL,
        action_id=RETRY_REGISTRATION_ACTION,
        value=ReassignTarget(schema_id).encode(),
        style="primary",
    )


def registry_block(status: ReviewStatus) -> SectionBlock | None:
    """The registry's line in `/schema-status`, with "Retry registration" when the review waits
    for it; None when the review has nothing to say of a registry."""
    line = registry_line(status)
    if line is None:
        return None
    waiting = status.state == "approved_not_registered"
    return SectionBlock(
        text=f"{':warning: ' if waiting else ''}*Schema registry*\n{line}",
        block_id="review_registry",
        accessory=retry_registration_button(status.schema_id) if waiting else None,
    )
