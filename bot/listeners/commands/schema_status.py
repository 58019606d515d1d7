"""`/schema-status [schema_id]`: one review's status, or the open reviews and the caller's."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.mrkdwn import escape
from bot.blocks.status import (
    review_list_blocks,
    review_list_text,
    status_blocks,
    status_text,
)
from bot.command_parsing import STATUS_USAGE, CommandInputError, parse_status_text
from bot.deps import BotDeps
from bot.identity import IdentityUnavailable
from bot.listeners.context import deps_of
from bot.review_lookup import (
    ReviewSummary,
    TemporalUnavailable,
    find_review,
    list_reviews,
    open_reviews_query,
    pending_for_query,
    workflow_ui_url,
)

NO_ANSWER = (
    ":warning: The review service (Temporal) did not answer, so no status can be shown. "
    "Please try again in a minute."
)


async def schema_status_command(
    ack: AsyncAck,
    command: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    deps = deps_of(context)
    try:
        schema_id = parse_status_text(str(command.get("text") or ""))
    except CommandInputError as error:
        await ack(text=error.reply("No status"), response_type="ephemeral")
        return
    # Temporal may be slow; Slack hears back first.
    await ack()
    try:
        if schema_id is None:
            reply = await _review_list(client, deps, str(command["user_id"]))
        else:
            reply = await _one_review(deps, schema_id)
    except TemporalUnavailable:
        reply = {"text": NO_ANSWER}
    await respond(response_type="ephemeral", **reply)


async def _one_review(deps: BotDeps, schema_id: str) -> dict[str, Any]:
    existing = await find_review(deps.temporal, schema_id)
    if existing is None:
        return {
            "text": f"No review found for schema '{escape(schema_id)}'. Check the id, or start "
            f"one with `/submit-schema {escape(schema_id)} 1 https://…`.\n{STATUS_USAGE}"
        }
    if existing.status is None:
        return {
            "text": f"The last review of '{escape(schema_id)}' ended without approval "
            f"({existing.ended_as}). Start a new one with `/submit-schema`."
        }
    return {
        "text": status_text(existing.status),
        "blocks": status_blocks(
            existing.status, workflow_ui_url(deps.settings, existing.workflow_id)
        ),
    }


async def _review_list(client: AsyncWebClient, deps: BotDeps, user_id: str) -> dict[str, Any]:
    queue = deps.settings.temporal_task_queue
    open_reviews = await list_reviews(deps.temporal, open_reviews_query(queue))
    waiting: list[ReviewSummary] = []
    try:
        email = await deps.identity.email_of(client, user_id)
    except IdentityUnavailable:
        email = None
    if email is not None:
        waiting = await list_reviews(deps.temporal, pending_for_query(queue, email))
    return {
        "text": review_list_text(open_reviews, waiting),
        "blocks": review_list_blocks(open_reviews, waiting),
    }
