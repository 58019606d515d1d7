"""The "Approve now (override)" button (on `/schema-status`, shown to admins): opens the
confirmation, which asks for this stage or the whole review, and a reason."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.override import overrider_refusal
from bot.slack_app.listeners.actions.review_form import ReviewForm, open_review_form
from slack_presentation.override_modal import override_modal

OVERRIDE_FORM = ReviewForm("override", overrider_refusal, override_modal)


async def open_override_form(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await open_review_form(OVERRIDE_FORM, ack, body, client, context)
