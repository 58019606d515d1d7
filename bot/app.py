"""The Slack app: Bolt, the Web API client, and every listener."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import listeners
from bot.deps import BotDeps
from bot.listeners.context import DEPS_KEY


def build_app(
    deps: BotDeps,
    *,
    client: AsyncWebClient | None = None,
    process_before_response: bool = False,
) -> AsyncApp:
    """The Bolt app for these dependencies.

    `process_before_response` stays False for a long-running server: Bolt answers Slack as soon
    as a listener calls `ack()` and finishes the listener afterwards, so a slow Temporal never
    makes Slack's 3-second deadline. Set it True only on FaaS, where work after the response dies.
    """
    settings = deps.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    signing_secret = settings.slack_signing_secret
    app = AsyncApp(
        client=client or AsyncWebClient(token=token, base_url=settings.slack_api_url),
        # Empty rather than None, so that Bolt does not fall back to reading the environment.
        signing_secret=signing_secret.get_secret_value() if signing_secret else "",
        process_before_response=process_before_response,
    )

    async def attach_deps(context: AsyncBoltContext, next_: Callable[[], Awaitable[None]]) -> None:
        context[DEPS_KEY] = deps
        await next_()

    app.middleware(attach_deps)
    listeners.register(app)
    return app
