"""`/schema-status [schema_id | mine | waiting | owner email] [page N] | stats`: one review's
status, a page of a list of open reviews, or the last 30 days' review stats."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from bot.reviews.approved_versions import approved_versions
from bot.reviews.filters import ReviewList
from bot.reviews.lookup import TemporalUnavailable, find_review, workflow_ui_url
from bot.reviews.override import overrider_refusal
from bot.reviews.reassign import requester_refusal
from bot.reviews.review_stats import recent_review_stats
from bot.reviews.review_trail import TrailIncomplete
from bot.slack_app.listeners.commands.slash_command import SlashCommand
from bot.slack_app.listeners.list_replies import ListRefused, review_list_reply
from bot.slack_app.services.command_parsing import (
    STATUS_USAGE,
    CommandInputError,
    PolicyAsked,
    StatsAsked,
    parse_status_text,
)
from slack_api.people import IdentityUnavailable
from slack_presentation.mrkdwn import escape
from slack_presentation.rule_explanation import RuleFacts, rule_explanation
from slack_presentation.stats_blocks import stats_blocks, stats_text
from slack_presentation.status_blocks import (
    registry_trouble_line,
    status_blocks,
    status_people,
    status_text,
)

NO_ANSWER = (
    ":warning: The review service (Temporal) did not answer, so no status can be shown. "
    "Please try again in a minute."
)
# The stats read every history of the period: Slack has its acknowledgement already, and the
# reply waits this long at most (a response_url stays usable for 30 minutes).
STATS_WITHIN_SECONDS = 60.0
STATS_TOO_SLOW = (
    ":warning: Reading the last 30 days of reviews took too long, so no stats can be shown."
    " An operator can export them with `python -m bot audit` (docs/operations.md)."
)


async def schema_status(command: SlashCommand) -> None:
    try:
        asked = parse_status_text(command.text)
    except CommandInputError as error:
        await command.refuse(error.reply("No status"))
        return
    if isinstance(asked, PolicyAsked):
        # Read from the policy file this process started with: nothing to wait for.
        await command.ack(text=_policy_rule(command, asked.schema_id), response_type="ephemeral")
        return
    # Temporal may be slow; Slack hears back first.
    await command.ack()
    try:
        if isinstance(asked, StatsAsked):
            reply = await _stats(command)
        elif isinstance(asked, ReviewList):
            reply = await _review_list(command, asked)
        else:
            reply = await _one_review(command, asked)
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
    people = await deps.people.mentions(command.client, status_people(status))
    ui_url = workflow_ui_url(deps.settings, existing.workflow_id)
    try:
        email = await deps.people.email_of(command.client, command.user_id)
    except IdentityUnavailable:
        email = None
    reassign = email is not None and not requester_refusal(
        existing, email, deps.settings.slack_admins
    )
    override = email is not None and not overrider_refusal(
        existing, email, deps.settings.slack_admins
    )
    approvals = await approved_versions(deps.temporal, schema_id) or []
    people = {
        **people,
        **await deps.people.mentions(
            command.client, [email for a in approvals for email in a.approved_by]
        ),
    }
    trouble = await deps.registry.trouble() if deps.registry is not None else None
    registry_line = (
        registry_trouble_line(trouble.shown_url, credentials_refused=trouble.credentials_refused)
        if trouble is not None
        else None
    )
    return {
        "text": status_text(status, people),
        "blocks": status_blocks(
            status,
            ui_url,
            people,
            reassign=reassign,
            override=override,
            approvals=approvals,
            registry_line=registry_line,
        ),
    }


def _policy_rule(command: SlashCommand, schema_id: str) -> str:
    rules = command.deps.settings.review_rules()
    rule = rules.rule_for(schema_id)
    if rule is None:
        return rule_explanation(RuleFacts(schema_id, rules.source))
    return rule_explanation(
        RuleFacts(
            schema_id,
            rules.source,
            rule.number,
            rule.pattern,
            rule.reviewers,
            rule.policy,
            rule.compatibility_mode,
            rule.breaking_change_policy,
        )
    )


async def _stats(command: SlashCommand) -> dict[str, Any]:
    deps = command.deps
    try:
        async with asyncio.timeout(STATS_WITHIN_SECONDS):
            stats = await recent_review_stats(
                deps.temporal, deps.settings.temporal_task_queue, datetime.now(UTC)
            )
    except TimeoutError:
        return {"text": STATS_TOO_SLOW}
    except TrailIncomplete as error:
        return {"text": f":warning: No stats: {escape(str(error))}"}
    return {"text": stats_text(stats), "blocks": stats_blocks(stats)}


async def _review_list(command: SlashCommand, listing: ReviewList) -> dict[str, Any]:
    try:
        return await review_list_reply(command.deps, command.client, command.user_id, listing)
    except ListRefused as error:
        return {"text": escape(str(error))}
