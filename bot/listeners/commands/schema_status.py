"""`/schema-status [schema_id]`: one review's status, or the open reviews and the caller's."""

from __future__ import annotations

from typing import Any

from bot.approved_versions import approved_versions
from bot.blocks.status import (
    review_list_blocks,
    review_list_people,
    review_list_text,
    status_blocks,
    status_people,
    status_text,
)
from bot.command_parsing import STATUS_USAGE, CommandInputError, parse_status_text
from bot.identity import IdentityUnavailable
from bot.listeners.commands.slash_command import SlashCommand
from bot.reassignment import requester_refusal
from bot.review_lookup import (
    ReviewSummary,
    TemporalUnavailable,
    find_review,
    list_reviews,
    open_reviews_query,
    pending_for_query,
    workflow_ui_url,
)
from slack_presentation.mrkdwn import escape

NO_ANSWER = (
    ":warning: The review service (Temporal) did not answer, so no status can be shown. "
    "Please try again in a minute."
)


async def schema_status(command: SlashCommand) -> None:
    try:
        schema_id = parse_status_text(command.text)
    except CommandInputError as error:
        await command.refuse(error.reply("No status"))
        return
    # Temporal may be slow; Slack hears back first.
    await command.ack()
    try:
        if schema_id is None:
            reply = await _review_list(command)
        else:
            reply = await _one_review(command, schema_id)
    except TemporalUnavailable:
        reply = {"text": NO_ANSWER}
    await command.reply(**reply)


async def _one_review(command: SlashCommand, schema_id: str) -> dict[str, Any]:
    deps = command.deps
    existing = await find_review(deps.temporal, schema_id)
    if existing is None:
        return {
            "text": f"No review found for schema '{escape(schema_id)}'. Check the id, or start "
            f"one with `/submit-schema {escape(schema_id)} 1 https://…`.\n{STATUS_USAGE}"
        }
    if existing.status is None:
        return {"text": escape(existing.ending_text(schema_id))}
    status = existing.status
    people = await deps.identity.mentions(command.client, status_people(status))
    ui_url = workflow_ui_url(deps.settings, existing.workflow_id)
    try:
        email = await deps.identity.email_of(command.client, command.user_id)
    except IdentityUnavailable:
        email = None
    reassign = email is not None and not requester_refusal(
        existing, email, deps.settings.slack_admins
    )
    approvals = await approved_versions(deps.temporal, schema_id) or []
    people = {
        **people,
        **await deps.identity.mentions(
            command.client, [email for a in approvals for email in a.approved_by]
        ),
    }
    return {
        "text": status_text(status, people),
        "blocks": status_blocks(status, ui_url, people, reassign=reassign, approvals=approvals),
    }


async def _review_list(command: SlashCommand) -> dict[str, Any]:
    deps = command.deps
    queue = deps.settings.temporal_task_queue
    open_reviews = await list_reviews(deps.temporal, open_reviews_query(queue))
    waiting: list[ReviewSummary] = []
    try:
        email = await deps.identity.email_of(command.client, command.user_id)
    except IdentityUnavailable:
        email = None
    if email is not None:
        waiting = await list_reviews(deps.temporal, pending_for_query(queue, email))
    people = await deps.identity.mentions(
        command.client, review_list_people([*waiting, *open_reviews])
    )
    return {
        "text": review_list_text(open_reviews, waiting),
        "blocks": review_list_blocks(open_reviews, waiting, people),
    }
