"""The "Withdraw review" button (on `/schema-status` and App Home): opens the confirmation."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.reassign_modal import InvalidReassignTarget
from bot.blocks.withdraw_modal import WithdrawTarget, withdraw_modal
from bot.identity import IdentityUnavailable
from bot.listeners.actions.review_click import ReviewClick
from bot.listeners.context import deps_of
from bot.listeners.decide import tell
from bot.review_lookup import TemporalUnavailable, find_review
from bot.withdrawal import withdrawer_refusal
from slack_presentation.mentions import emails_in

log = logging.getLogger(__name__)

LOOKUP_BUDGET_SECONDS = 2.0

NOT_OPENED = (
    "The withdraw form could not open: Slack or the review service (Temporal) did not answer"
    " in time. Nothing changed; please click the button again in a moment."
)


async def open_withdraw_form(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    deps = deps_of(context)
    click = ReviewClick.from_body(body)
    try:
        schema_id = WithdrawTarget.decode(click.value).schema_id
    except InvalidReassignTarget as error:
        await tell(client, click.channel, click.user_id, str(error))
        return
    try:
        async with asyncio.timeout(LOOKUP_BUDGET_SECONDS):
            email = await deps.identity.email_of(client, click.user_id)
            existing = await find_review(deps.temporal, schema_id)
    except IdentityUnavailable as error:
        await tell(client, click.channel, click.user_id, str(error))
        return
    except (TimeoutError, TemporalUnavailable, SlackApiError) as error:
        log.warning("Withdraw form for %s not opened: %r", schema_id, error)
        await tell(client, click.channel, click.user_id, NOT_OPENED)
        return
    if refusal := withdrawer_refusal(existing, email, deps.settings.slack_admins):
        people = await deps.identity.mentions(client, emails_in(refusal))
        await tell(client, click.channel, click.user_id, refusal, people)
        return
    assert existing is not None and existing.status is not None
    target = WithdrawTarget(schema_id, click.channel)
    try:
        await client.views_open(
            trigger_id=click.trigger_id, view=withdraw_modal(existing.status, target)
        )
    except SlackApiError as error:
        log.warning("Withdraw form not opened: %s", error.response.get("error"))
        await tell(client, click.channel, click.user_id, NOT_OPENED)
