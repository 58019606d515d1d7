"""The "Withdraw review" button (on `/schema-status` and App Home): opens the confirmation."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.withdraw import withdrawer_refusal
from bot.slack_app.listeners.actions.review_form import ReviewForm, open_review_form
from slack_presentation.withdraw_modal import withdraw_modal

WITHDRAW_FORM = ReviewForm("withdraw", withdrawer_refusal, withdraw_modal)


async def open_withdraw_form(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await open_review_form(WITHDRAW_FORM, ack, body, client, context)
