"""Reject: ask why first, in a modal; the rejection is recorded when it is submitted
(views/reject_reason)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app.listeners.actions.review_click import ReviewClick
from bot.slack_app.listeners.decide import tell
from slack_api.client import SLACK_FAILURES, slack_error_code
from slack_presentation.reject_modal import RejectTarget, reject_reason_modal

log = logging.getLogger(__name__)

REASON_FORM_NOT_OPENED = (
    "The form asking for your reason could not open: Slack refused it or it took too long. "
    "Nothing was recorded; please click Reject again."
)


async def reject_review(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
    await ack()
    click = ReviewClick.from_body(body)
    button = await click.button(client)
    if button is None:
        return
    # The trigger_id is valid for 3 seconds, so the modal opens before anything else happens.
    target = RejectTarget(button, click.channel, click.message_ts)
    try:
        await client.views_open(trigger_id=click.trigger_id, view=reject_reason_modal(target))
    except SLACK_FAILURES as error:
        # An expired trigger_id (a slow moment) or a Slack error: without a word the click
        # would look ignored.
        log.warning(
            "Reject form for %s not opened: %s", button.workflow_id, slack_error_code(error)
        )
        await tell(client, click.channel, click.user_id, REASON_FORM_NOT_OPENED)
