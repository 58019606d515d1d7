from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.actions.review_click import ReviewClick
from bot.listeners.context import deps_of
from bot.listeners.decide import decide_and_reply


async def approve_review(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    # Slack gives 3 seconds; the decision's round trip to Temporal comes after.
    await ack()
    click = ReviewClick.from_body(body)
    if button := await click.button(client):
        await decide_and_reply(
            deps_of(context),
            client,
            user_id=click.user_id,
            channel=click.channel,
            button=button,
            approved=True,
        )
