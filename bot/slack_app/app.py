"""The Slack app: Bolt, the Web API client, and every listener."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiohttp
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app import listeners
from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners.context import DEPS_KEY
from bot.slack_app.services.workspace import Workspace, WorkspaceAuthorize
from slack_api.client import PERSON_WAITING, build_slack_client


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

    The Slack client (one shared HTTP session, with retries: `slack_api.client`) is closed with
    `slack_api.client.close_client(app.client)`; `bot.processes.web` does so when its server stops.
    """
    settings = deps.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    signing_secret = settings.slack_signing_secret
    client = client or build_slack_client(
        token, settings.slack_api_url, profile=PERSON_WAITING, session=aiohttp.ClientSession()
    )
    workspace = Workspace(client)
    app = AsyncApp(
        client=client,
        # Empty rather than None, so that Bolt does not fall back to reading the environment.
        signing_secret=signing_secret.get_secret_value() if signing_secret else "",
        process_before_response=process_before_response,
        # auth.test once, retried, and requests from other workspaces refused
        # (bot.slack_app.services.workspace).
        before_authorize=workspace.authorize_request,
        authorize=WorkspaceAuthorize(workspace, token),  # type: ignore[arg-type]
    )
    deps.workspace = workspace

    async def attach_deps(context: AsyncBoltContext, next_: Callable[[], Awaitable[None]]) -> None:
        context[DEPS_KEY] = deps
        await next_()

    app.middleware(attach_deps)
    listeners.register(app)
    return app
