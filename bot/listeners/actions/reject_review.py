from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.reject_modal import RejectTarget, reject_reason_modal
from bot.listeners.actions.review_click import ReviewClick


async def reject_review(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
    """Ask why; the rejection is recorded when the modal is submitted (views/reject_reason)."""
    await ack()
    click = ReviewClick.from_body(body)
    button = await click.button(client)
    if button is None:
        return
    # The trigger_id is valid for 3 seconds, so the modal opens before anything else happens.
    target = RejectTarget(button, click.channel, click.message_ts)
    await client.views_open(trigger_id=click.trigger_id, view=reject_reason_modal(target))
