"""Running the bot: HTTP mode on aiohttp (`/slack/events`), or Socket Mode with an app token.

`python -m bot web` calls `serve_from_settings`; tests call `start_http` with port 0.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.app import build_app
from bot.deps import BotDeps
from bot.identity import SlackIdentity
from bot.namespace_check import ensure_search_attributes
from bot.replay_guard import ReplayGuard, request_key
from bot.settings import Settings, connect_temporal

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Set by Slack on an Events API delivery it re-sends because it saw no answer in time.
RETRY_HEADER = "X-Slack-Retry-Num"


def build_web_app(app: AsyncApp | None) -> web.Application:
    """The aiohttp application: Slack's request URL (when `app` is given) and a health check."""

    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    web_app = web.Application()
    web_app.router.add_get(HEALTH_PATH, health)
    if app is not None:
        web_app.router.add_post(SLACK_EVENTS_PATH, _slack_events(app, ReplayGuard()))
    return web_app


def _slack_events(
    app: AsyncApp, replays: ReplayGuard
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def slack_events(request: web.Request) -> web.Response:
        key = request_key(request.headers)
        if key is not None and not replays.claim(key):
            if request.headers.get(RETRY_HEADER):
                # Slack re-sends an event it thinks was lost; this one arrived, so it is done.
                return web.Response(status=200)
            log.warning("Refused a repeat of a Slack request signed at %s", key[0])
            return web.json_response({"error": "invalid request"}, status=401)
        verified = False
        try:
            # Bolt verifies the signature and timestamp before any listener runs.
            response = await app.async_dispatch(await to_bolt_request(request))
            verified = response.status != 401
        finally:
            if key is not None:
                replays.settle(key, verified=verified)
        return await to_aiohttp_response(response)

    return slack_events


@dataclass
class HttpServer:
    runner: web.AppRunner
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def events_url(self) -> str:
        return self.url + SLACK_EVENTS_PATH

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_http(app: AsyncApp | None, host: str = "0.0.0.0", port: int = 0) -> HttpServer:
    """Serve until `stop()`; with port 0 the system picks a free port, read it from `.port`."""
    runner = web.AppRunner(build_web_app(app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_port = int(runner.addresses[0][1])
    return HttpServer(runner, host, bound_port)


async def serve(deps: BotDeps, *, host: str = "0.0.0.0") -> None:
    """Run the bot until cancelled: Socket Mode when an app token is set, else HTTP mode.

    The HTTP port (`PORT`) is served in both modes, so that a platform's health check works.
    """
    settings = deps.settings
    socket_mode = settings.slack_app_token is not None
    # In HTTP mode a missing signing secret would let anyone forge a click: refuse to serve.
    settings.require("slack_bot_token", *(() if socket_mode else ("slack_signing_secret",)))
    app = build_app(deps)
    server = await start_http(None if socket_mode else app, host, settings.port)
    handler: AsyncSocketModeHandler | None = None
    try:
        if settings.slack_app_token is not None:
            handler = AsyncSocketModeHandler(app, settings.slack_app_token.get_secret_value())
            await handler.connect_async()
            log.info("Slack bot connected in Socket Mode; health check on port %d", server.port)
        else:
            log.info("Slack bot listening on %s", server.events_url)
        await asyncio.Event().wait()
    finally:
        if handler is not None:
            await handler.close_async()
        await server.stop()


async def serve_from_settings(settings: Settings) -> None:
    """The `web` process: connect to Temporal, then `serve`."""
    temporal = await connect_temporal(settings)
    # /schema-status lists reviews by these attributes: say at start what is missing.
    await ensure_search_attributes(temporal, settings.temporal_address)
    await serve(BotDeps(settings=settings, temporal=temporal, identity=SlackIdentity()))
