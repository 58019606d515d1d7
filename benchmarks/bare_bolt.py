"""The Slack-side floor: a Bolt app that only acknowledges, served like the bot."""

from __future__ import annotations

import re

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

BARE_COMMAND = "/bench-status"


def bare_bolt_app(signing_secret: str, token: str, api_url: str) -> AsyncApp:
    """Built like the bot's app (same client, signature check), but it only acknowledges (and
    answers the command through its response_url, as `/schema-status` does)."""
    app = AsyncApp(
        client=AsyncWebClient(token=token, base_url=api_url), signing_secret=signing_secret
    )

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    async def answer(ack: AsyncAck, respond: AsyncRespond) -> None:
        await ack()
        await respond(text="0 open", response_type="ephemeral")

    app.action(re.compile(".*"))(ack_only)
    app.command(BARE_COMMAND)(answer)
    return app
