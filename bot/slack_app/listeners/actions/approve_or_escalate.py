"""Approve and Escalate: the click is the decision (Reject asks why first, in a modal)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app.listeners.actions.review_click import ReviewClick
from bot.slack_app.listeners.context import deps_of, seconds_since_received
from bot.slack_app.listeners.decide import decide_and_reply
from bot.slack_app.listeners.decision_click import DecisionClick
from slack_presentation.review_actions import ACTION_ESCALATE


async def approve_or_escalate(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Handles both buttons. Escalate is an approval that also asks for the compliance review
    (Review3); the workflow refuses it at Review3 itself, with its own sentence."""
    click = ReviewClick.from_body(body)
    button = click.decode_button()
    if button is None:
        await ack()
        await click.button(client)  # says why the button is not one of ours
        return
    # Slack gives 3 seconds: the decision goes to Temporal first and `ack` follows its
    # answer, or a budget well inside the 3 seconds, whichever comes first.
    await decide_and_reply(
        deps_of(context),
        client,
        DecisionClick(
            click.user_id,
            click.channel,
            button,
            approved=True,
            escalate=click.action_id == ACTION_ESCALATE,
            click_id=click.action_ts or click.trigger_id,
        ),
        ack,
        waited=seconds_since_received(context),
    )
