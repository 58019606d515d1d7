"""A click on a review button, as Slack describes it in the `block_actions` payload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app.listeners.decide import tell
from slack_presentation.review_actions import InvalidButtonValue, ReviewButtonValue


@dataclass(frozen=True)
class ReviewClick:
    # The Slack-verified clicker: the only thing in the payload that says who decides.
    user_id: str
    # None for a click in App Home: a view, not a message, so there is no channel to answer in.
    channel: str | None
    message_ts: str
    action_id: str
    value: str
    trigger_id: str
    # When Slack saw the click: with the user, what names this click and no other.
    action_ts: str = ""

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> ReviewClick:
        container = body.get("container") or {}
        action = (body.get("actions") or [{}])[0]
        channel = None
        if container.get("type") != "view":
            channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        return cls(
            user_id=body["user"]["id"],
            channel=channel or None,
            message_ts=container.get("message_ts") or (body.get("message") or {}).get("ts", ""),
            action_id=str(action.get("action_id", "")),
            value=str(action.get("value", "")),
            trigger_id=str(body.get("trigger_id", "")),
            action_ts=str(action.get("action_ts", "")),
        )

    def decode_button(self) -> ReviewButtonValue | None:
        """The review the button belongs to; None when it is not one of ours."""
        try:
            return ReviewButtonValue.decode(self.value)
        except InvalidButtonValue:
            return None

    async def button(self, client: AsyncWebClient) -> ReviewButtonValue | None:
        """The review the button belongs to; None (after telling the clicker) when it is not
        one of ours."""
        try:
            return ReviewButtonValue.decode(self.value)
        except InvalidButtonValue as error:
            await tell(client, self.channel, self.user_id, str(error))
            return None
