"""App Home's "I'm away…" button: opens the form that asks until when, and who decides."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app.listeners.actions.review_click import ReviewClick
from bot.slack_app.listeners.decide import tell
from slack_api.client import SLACK_FAILURES, slack_error_code
from slack_presentation.away_modal import away_modal

log = logging.getLogger(__name__)

NOT_OPENED = (
    "The form could not open: Slack did not answer in time. Nothing changed; click"
    ' "I\'m away…" again, or use `/schema-away until 2026-12-24 delegate @erin`.'
)


async def open_away_form(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
    await ack()
    click = ReviewClick.from_body(body)
    try:
        await client.views_open(trigger_id=click.trigger_id, view=away_modal())
    except SLACK_FAILURES as error:
        log.warning("The away form did not open: %s", slack_error_code(error))
        await tell(client, click.channel, click.user_id, NOT_OPENED)
