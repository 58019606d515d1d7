from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app.listeners.context import deps_of, seconds_since_received
from bot.slack_app.listeners.decide import decide_and_reply
from bot.slack_app.listeners.decision_click import DecisionClick
from slack_presentation.reject_modal import (
    EMPTY_REASON,
    REASON_BLOCK,
    RejectTarget,
    submitted_reason,
)
from slack_presentation.review_actions import InvalidButtonValue


async def reject_with_reason(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    view = body["view"]
    reason = submitted_reason(view)
    if not reason:
        # Keeps the modal open with the sentence under the field; nothing is recorded.
        await ack(response_action="errors", errors={REASON_BLOCK: EMPTY_REASON})
        return
    try:
        target = RejectTarget.decode(view.get("private_metadata", ""))
    except InvalidButtonValue as error:
        await ack(
            response_action="errors",
            errors={REASON_BLOCK: f"{error} Close it and click Reject on the message again."},
        )
        return
    # The modal closes once Temporal answers (or a budget passes); a refusal arrives as an
    # ephemeral.
    await decide_and_reply(
        deps_of(context),
        client,
        DecisionClick(
            body["user"]["id"],
            target.channel,
            target.button,
            approved=False,
            reason=reason,
            click_id=str(view.get("id") or body.get("trigger_id") or ""),
        ),
        ack,
        waited=seconds_since_received(context),
    )
