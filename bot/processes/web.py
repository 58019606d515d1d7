"""Running the bot: HTTP mode on aiohttp (`/slack/events`), or Socket Mode with an app token.

`python -m bot web` calls `serve_from_settings`; tests call `start_http` with port 0.

On SIGTERM (every deploy) the process drains: in HTTP mode it stops accepting connections (in
Socket Mode the socket stays open until the drain ends, since acks go back over it), finishes
the requests in flight and the work they acknowledged (a decision's reply, a submission), all
within one deadline, `DRAIN_SECONDS`, then exits. A follow-up still waiting
for Temporal stops asking `FOLLOW_UPS_IN_DRAIN_SECONDS` into the drain and tells its person that
the outcome is not confirmed yet and how to check. See docs/slack.md,
"Deploys, crashes and slow answers".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.processes.log_setup import core_logging
from bot.processes.namespace_check import ensure_search_attributes
from bot.processes.ops_endpoints import HEALTH_PATH, OpsEndpoints, alive, ops_endpoints
from bot.processes.registry_check import check_registry_at_start
from bot.runtime.in_flight import InFlight
from bot.runtime.settings import Settings, SettingsError, connect_temporal
from bot.runtime.temporal_metrics import TemporalMetrics
from bot.slack_app.app import build_app
from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners.click_forwarder import forward_adopted
from bot.slack_app.listeners.context import RECEIVED_AT_KEY
from bot.slack_app.services.click_journal import ClickJournal, JournalEntry, JournalUnusable
from bot.slack_app.services.replay_guard import TIMESTAMP_HEADER, ReplayGuard, request_key
from slack_api.client import close_client
from slack_api.people import SlackPeople

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"
# Set by Slack on an Events API delivery it re-sends because it saw no answer in time.
RETRY_HEADER = "X-Slack-Retry-Num"
# Platforms send SIGKILL some time after SIGTERM (Heroku and Kubernetes: 30 s); the whole drain
# (requests in flight, then the work they acknowledged) ends before that.
DRAIN_SECONDS = 25.0
# A try already under way ends within its own 15 s; past this, follow-ups stop asking and use
# the rest of the drain to tell their person.
FOLLOW_UPS_IN_DRAIN_SECONDS = 15.0
# Of the drain, the part for requests still being answered (Slack's ack comes within 3 s).
REQUESTS_IN_DRAIN_SECONDS = 10.0
# Connections the system queues for the server before it accepts them. aiohttp's default (128)
# is below the clicks of a busy second: a connection beyond it is dropped and the sender's TCP
# tries again a second later, then three, past Slack's 3 s. The kernel caps it (somaxconn).
LISTEN_BACKLOG = 2048


def build_web_app(
    app: AsyncApp | None, in_flight: InFlight | None = None, ops: OpsEndpoints | None = None
) -> web.Application:
    """The aiohttp application: Slack's request URL (when `app` is given), a health check, and
    with `ops` the readiness probe and the metrics (`bot.processes.ops_endpoints`).
    Its shutdown begins the drain's one deadline; its cleanup (the runner's, after the requests
    in flight) waits for the work of acknowledged requests up to that deadline, then closes the
    Slack client's session."""
    web_app = web.Application()
    web_app.router.add_get(HEALTH_PATH, alive)
    if ops is not None:
        ops.add_to(web_app)
    if app is not None:
        # Not `or`: an InFlight with nothing in it is falsy (it has a length).
        in_flight = in_flight if in_flight is not None else InFlight()
        web_app.router.add_post(SLACK_EVENTS_PATH, _slack_events(app, ReplayGuard(), in_flight))

        async def begin_drain(_: web.Application) -> None:
            begin_drain_of(in_flight)

        async def drain(_: web.Application) -> None:
            await in_flight.wait()
            await close_client(app.client)

        web_app.on_shutdown.append(begin_drain)
        web_app.on_cleanup.append(drain)
    return web_app


def begin_drain_of(in_flight: InFlight) -> None:
    in_flight.begin_drain(DRAIN_SECONDS, asking=FOLLOW_UPS_IN_DRAIN_SECONDS)


def _slack_events(
    app: AsyncApp, replays: ReplayGuard, in_flight: InFlight
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def slack_events(request: web.Request) -> web.Response:
        if not _timestamp_reads(request.headers.get(TIMESTAMP_HEADER)):
            # Bolt would fail on it (a 500); a timestamp that does not read is not Slack's.
            return web.json_response({"error": "invalid request"}, status=401)
        with in_flight.tracking():
            return await _handle(app, replays, request)

    return slack_events


def _timestamp_reads(timestamp: str | None) -> bool:
    """Slack signs whole seconds since the epoch: digits only."""
    if not timestamp:
        return False
    return timestamp.isascii() and timestamp.isdecimal()


async def _handle(app: AsyncApp, replays: ReplayGuard, request: web.Request) -> web.Response:
    received_at = asyncio.get_running_loop().time()
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
        bolt_request = await to_bolt_request(request)
        bolt_request.context[RECEIVED_AT_KEY] = received_at
        response = await app.async_dispatch(bolt_request)
        verified = response.status != 401
    finally:
        if key is not None:
            replays.settle(key, verified=verified)
    return await to_aiohttp_response(response)


@dataclass
class HttpServer:
    runner: web.AppRunner
    host: str
    port: int
    # The work of the requests this server acknowledged (read-only for callers: a benchmark
    # waits until `in_flight` is 0 instead of sleeping a fixed time).
    tracked: InFlight = field(default_factory=InFlight)

    @property
    def in_flight(self) -> int:
        """Requests being answered, and the work they acknowledged, still running now."""
        return len(self.tracked)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def events_url(self) -> str:
        return self.url + SLACK_EVENTS_PATH

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_http(
    app: AsyncApp | None, host: str = "0.0.0.0", port: int = 0, ops: OpsEndpoints | None = None
) -> HttpServer:
    """Serve until `stop()`; with port 0 the system picks a free port, read it from `.port`.
    `stop()` drains: no new connections, the requests in flight and their work finish."""
    tracked = InFlight()
    runner = web.AppRunner(
        build_web_app(app, tracked, ops),
        access_log=None,
        shutdown_timeout=REQUESTS_IN_DRAIN_SECONDS,
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=LISTEN_BACKLOG)
    await site.start()
    bound_port = int(runner.addresses[0][1])
    return HttpServer(runner, host, bound_port, tracked)


async def serve(
    deps: BotDeps, *, host: str = "0.0.0.0", temporal_metrics: TemporalMetrics | None = None
) -> None:
    """Run the bot until cancelled: Socket Mode when an app token is set, else HTTP mode.

    The HTTP port (`PORT`) is served in both modes, so that a platform's health check, its
    readiness probe and Prometheus work (`temporal_metrics`: the client's, when it has them).
    """
    settings = deps.settings
    socket_mode = settings.slack_app_token is not None
    # In HTTP mode a missing signing secret would let anyone forge a click: refuse to serve.
    settings.require("slack_bot_token", *(() if socket_mode else ("slack_signing_secret",)))
    # Before serving: the clicks a process now gone acknowledged and never forwarded.
    adopted = _adopt_unforwarded_clicks(deps)
    app = build_app(deps)
    await _learn_workspace(deps)
    ops = ops_endpoints(
        deps.temporal, settings.temporal_address, app.client, temporal_metrics, deps.registry
    )
    server = await start_http(None if socket_mode else app, host, settings.port, ops)
    handler: TrackedSocketModeHandler | None = None
    stopping = asyncio.Event()
    signals = _stop_on_signals(stopping)
    try:
        if settings.slack_app_token is not None:
            handler = TrackedSocketModeHandler(
                app, settings.slack_app_token.get_secret_value(), InFlight()
            )
            await handler.connect_async()
            log.info("Slack bot connected in Socket Mode; health check on port %d", server.port)
        else:
            log.info("Slack bot listening on %s", server.events_url)
        if adopted:
            tracked = handler.in_flight if handler is not None else server.tracked
            tracked.start(forward_adopted(deps, app.client, adopted))
        await stopping.wait()
        log.info("Stopping: finishing the requests in flight (at most %.0f s)", DRAIN_SECONDS)
    finally:
        if handler is not None:
            # Acks of requests in flight go back over the socket: it closes after the drain.
            begin_drain_of(handler.in_flight)
            await handler.in_flight.wait()
            await handler.close_async()
        await server.stop()
        await close_client(app.client)
        if deps.click_journal is not None:
            await deps.click_journal.close()
        # Only now: a second SIGTERM (a platform, or `kill` typed twice) must not cut the
        # drain short with the default handler.
        loop = asyncio.get_running_loop()
        for signum in signals:
            loop.remove_signal_handler(signum)


class TrackedSocketModeHandler(AsyncSocketModeHandler):
    """Socket Mode whose requests, and the work they acknowledged, a stop waits for."""

    def __init__(self, app: AsyncApp, app_token: str, in_flight: InFlight) -> None:
        super().__init__(app, app_token)
        self.in_flight = in_flight

    # As narrow as Bolt's own override (its aiohttp client).
    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        with self.in_flight.tracking():
            await super().handle(client, req)


def _stop_on_signals(stopping: asyncio.Event) -> list[signal.Signals]:
    """SIGTERM and SIGINT set `stopping` rather than end the process mid-request."""
    loop = asyncio.get_running_loop()
    installed = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        # Only the main thread may; elsewhere (an embedding program) its own handling stays.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stopping.set)
            installed.append(signum)
    return installed


def _adopt_unforwarded_clicks(deps: BotDeps) -> list[JournalEntry]:
    if deps.click_journal is None:
        return []
    try:
        return deps.click_journal.adopt()
    except JournalUnusable as error:
        raise SettingsError([str(error)]) from None


async def _learn_workspace(deps: BotDeps) -> None:
    """Ask `auth.test` before the first click needs it; a failure here is not fatal, the
    first request asks again."""
    if deps.workspace is None:
        return
    try:
        await deps.workspace.identity()
    except Exception as error:
        log.warning("auth.test failed at start; asked again on the first request: %r", error)


async def serve_from_settings(settings: Settings) -> None:
    """The `web` process: check the schema registry, connect to Temporal (its metrics
    exported), then `serve`. A policy file with problems stops it first, one line each."""
    settings.review_rules()
    registry = await check_registry_at_start(settings)
    metrics = TemporalMetrics.start(core_logging(settings.log_level))
    temporal = await connect_temporal(settings, metrics.runtime)
    # /schema-status lists reviews by these attributes: say at start what is missing.
    await ensure_search_attributes(temporal, settings.temporal_address)
    journal = ClickJournal(settings.click_journal_dir)
    deps = BotDeps(
        settings=settings, temporal=temporal, people=SlackPeople(), click_journal=journal
    )
    deps.registry = registry
    await serve(deps, temporal_metrics=metrics)
