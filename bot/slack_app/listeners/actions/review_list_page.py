""" "Previous 20" / "Next 20" under a `/schema-status` list: the same list, one page along, in
place of the page the person was reading (the list is theirs alone, so `mine` and `waiting`
mean the clicker)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.filters import InvalidListButton, ReviewList
from bot.reviews.lookup import TemporalUnavailable
from bot.slack_app.listeners.context import deps_of
from bot.slack_app.listeners.list_replies import ListRefused, review_list_reply
from slack_presentation.mrkdwn import escape

log = logging.getLogger(__name__)

NO_ANSWER = (
    ":warning: The review service (Temporal) did not answer, so the next page cannot be shown."
    " Please click again in a minute."
)


async def review_list_page(
    ack: AsyncAck,
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    await ack()
    action = (body.get("actions") or [{}])[0]
    try:
        listing = ReviewList.decode(str(action.get("value", "")))
    except InvalidListButton as error:
        await respond(text=str(error), response_type="ephemeral", replace_original=False)
        return
    try:
        reply = await review_list_reply(deps_of(context), client, body["user"]["id"], listing)
    except ListRefused as error:
        reply = {"text": escape(str(error)), "replace_original": False}
    except TemporalUnavailable:
        reply = {"text": NO_ANSWER, "replace_original": False}
    await respond(**{"response_type": "ephemeral", "replace_original": True, **reply})
