"""What every slash command gets from Bolt, in one object, with the two ways it answers.

Every answer is ephemeral: commands run in channels, and what they say concerns only the
person who ran them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners.context import deps_of

BoltCommandListener = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class SlashCommand:
    ack: AsyncAck
    respond: AsyncRespond
    client: AsyncWebClient
    deps: BotDeps
    # The Slack-verified person who ran the command.
    user_id: str
    text: str
    trigger_id: str

    async def refuse(self, text: str) -> None:
        """Answer with the acknowledgement itself: for input that is wrong before any work."""
        await self.ack(text=text, response_type="ephemeral")

    async def reply(self, **message: Any) -> None:
        """Answer after the acknowledgement, once the slow work (Slack, Temporal) is done."""
        await self.respond(response_type="ephemeral", **message)


def slash_command(handler: Callable[[SlashCommand], Awaitable[None]]) -> BoltCommandListener:
    """A Bolt listener running `handler` (Bolt passes arguments by their names)."""

    async def listener(
        ack: AsyncAck,
        command: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        respond: AsyncRespond,
    ) -> None:
        await handler(
            SlashCommand(
                ack=ack,
                respond=respond,
                client=client,
                deps=deps_of(context),
                user_id=str(command["user_id"]),
                text=str(command.get("text") or "").strip(),
                trigger_id=str(command.get("trigger_id") or ""),
            )
        )

    return listener
