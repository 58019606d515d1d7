"""The "Reassign a reviewer" button (on `/schema-status` and App Home): opens the modal, which
lists the seats with their current holders."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.reassign import requester_refusal
from bot.slack_app.listeners.actions.review_form import ReviewForm, open_review_form
from slack_presentation.reassign_modal import reassign_modal

REASSIGN_FORM = ReviewForm("reassign", requester_refusal, reassign_modal)


async def open_reassign_form(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await open_review_form(REASSIGN_FORM, ack, body, client, context)
