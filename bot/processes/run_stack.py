"""Everything on one machine, in one process: the README's "run it" command (`python -m bot`).

- Temporal: an embedded dev server (the `temporal` CLI, database under the data directory, with
  its web UI), unless TEMPORAL_ADDRESS is set, in which case that cluster is used.
- The schema registry: the project's local one (`registry_sandbox`), its subjects in the data
  directory, unless SCHEMA_REGISTRY_URL is set, in which case that registry is used.
- Slack: with no SLACK_BOT_TOKEN, the Slack sandbox (the local stand-in with its web page) and the
  bot wired to it; with credentials, the real workspace over HTTP or Socket Mode.
- The worker and the bot, sharing one Temporal client.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import shutil
import signal
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from temporalio.client import Client

from bot.processes.devserver import DevServer, start_dev_server
from bot.processes.local_registry import start_local_registry
from bot.processes.log_setup import core_logging
from bot.processes.namespace_check import ensure_search_attributes
from bot.processes.ops_endpoints import ops_endpoints
from bot.processes.registry_check import check_registry_at_start
from bot.processes.sandbox_wiring import (
    first_steps,
    next_submission,
    sandbox_people,
    sandbox_settings,
)
from bot.processes.stack_options import StackOptions
from bot.processes.web import HttpServer, serve, start_http
from bot.processes.worker import build_worker
from bot.runtime.settings import Settings, connect_temporal, load_settings
from bot.runtime.temporal_metrics import TemporalMetrics
from bot.slack_app.app import build_app
from bot.slack_app.deps import BotDeps
from bot.slack_app.services.click_journal import ClickJournal
from registry_sandbox import RegistrySandbox
from slack_api.people import SlackPeople
from slack_sandbox import remove_state_file, state_file_in
from slack_sandbox.server import SlackStandIn

log = logging.getLogger(__name__)

LOCAL_HOST = "127.0.0.1"


@dataclass
class RunningStack:
    settings: Settings
    temporal: Client
    sandbox: SlackStandIn | None = None
    dev_server: DevServer | None = None
    # The local schema registry; None when SCHEMA_REGISTRY_URL names the one used.
    local_registry: RegistrySandbox | None = None
    bot_http: HttpServer | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    # The example /submit-schema line the review of its schema would accept now.
    first_submission: str | None = None

    @property
    def temporal_ui_url(self) -> str:
        return self.settings.temporal_ui_url


@contextlib.asynccontextmanager
async def local_stack(
    options: StackOptions,
    settings: Settings | None = None,
    *,
    sandbox_type: type[SlackStandIn] = SlackStandIn,
) -> AsyncIterator[RunningStack]:
    """Start every part, yield them running, and stop them in reverse order on the way out.

    `sandbox_type`: the Slack sandbox run without Slack credentials; a dev tool that drives the
    sandbox's people passes its own kind of stand-in."""
    settings = _local_settings(settings or load_settings(), options)
    # A policy file with problems stops the start, one line each.
    settings.review_rules()
    async with contextlib.AsyncExitStack() as stack:
        local_registry: RegistrySandbox | None = None
        if settings.schema_registry_url is None:
            async with _port_in_use_said(options.registry_port, "--registry-port"):
                local_registry = await start_local_registry(options, LOCAL_HOST)
            stack.push_async_callback(local_registry.stop)
            settings = settings.model_copy(update={"schema_registry_url": local_registry.url})
        # One check for the worker and the bot: refused credentials stop the run here.
        registry = await check_registry_at_start(settings)
        sandbox: SlackStandIn | None = None
        if settings.slack_bot_token is None:
            # The sandbox's conversations live beside Temporal's workflows, so that a restart
            # finds the messages the running reviews will update.
            options.data_dir.mkdir(parents=True, exist_ok=True)
            state_file = state_file_in(options.data_dir)
            if options.fresh:
                remove_state_file(state_file)
            sandbox = sandbox_type(sandbox_people(settings), state_file=state_file)
            async with _port_in_use_said(options.sandbox_port, "--sandbox-port"):
                await sandbox.start(LOCAL_HOST, options.sandbox_port)
            stack.push_async_callback(sandbox.stop)
            settings = sandbox_settings(settings, sandbox)

        dev_server: DevServer | None = None
        if "temporal_address" not in settings.model_fields_set:
            dev_server = await _start_temporal(options)
            stack.push_async_callback(dev_server.stop)
            update = {"temporal_address": dev_server.address}
            if dev_server.ui_url:
                update["temporal_ui_url"] = dev_server.ui_url
            settings = settings.model_copy(update=update)

        # One client for the worker and the bot: its metrics are both's (`/metrics`).
        metrics = TemporalMetrics.start(core_logging(settings.log_level))
        temporal = await connect_temporal(settings, metrics.runtime)
        await ensure_search_attributes(temporal, settings.temporal_address)
        running = RunningStack(settings, temporal, sandbox, dev_server, local_registry)

        worker = build_worker(temporal, settings)
        await stack.enter_async_context(worker)

        deps = BotDeps(
            settings=settings,
            temporal=temporal,
            people=SlackPeople(),
            click_journal=ClickJournal(settings.click_journal_dir),
        )
        deps.registry = registry
        bot_port = settings.port if options.bot_port is None else options.bot_port
        if sandbox is not None:
            app = build_app(deps)
            ops = ops_endpoints(
                temporal, settings.temporal_address, app.client, metrics, deps.registry
            )
            async with _port_in_use_said(bot_port, "--port"):
                running.bot_http = await start_http(app, LOCAL_HOST, bot_port, ops)
            stack.push_async_callback(running.bot_http.stop)
            sandbox.point_at_bot(running.bot_http.events_url)
            running.first_submission = await next_submission(sandbox, temporal)
        else:
            settings = settings.model_copy(update={"port": bot_port})
            deps.settings = settings
            bot = serve(deps, temporal_metrics=metrics)
            running.tasks.append(asyncio.create_task(bot, name="slack-bot"))
            stack.push_async_callback(_cancel, running.tasks)
        yield running


@contextlib.asynccontextmanager
async def _port_in_use_said(port: int, option: str) -> AsyncIterator[None]:
    try:
        yield
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise RuntimeError(
            f"Port {port} on {LOCAL_HOST} is already in use: stop what runs there, or pick "
            f"another port with {option}."
        ) from None


def _local_settings(settings: Settings, options: StackOptions) -> Settings:
    """Everything this run keeps lives in the data directory, unless a setting says otherwise;
    with Slack credentials, what the chosen mode needs must be set before anything starts."""
    if settings.slack_bot_token is not None:
        settings.require(*(() if settings.slack_app_token else ("slack_signing_secret",)))
    if "schema_store_dir" in settings.model_fields_set:
        return settings
    store = options.data_dir / "schemas"
    if options.fresh and store.exists():
        shutil.rmtree(store)
    return settings.model_copy(update={"schema_store_dir": store})


async def _start_temporal(options: StackOptions) -> DevServer:
    data_dir = options.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    if options.fresh:
        for name in ("temporal.db", "temporal.db-wal", "temporal.db-shm"):
            (data_dir / name).unlink(missing_ok=True)
    return await start_dev_server(
        data_dir, host=LOCAL_HOST, port=options.temporal_port, ui_port=options.temporal_ui_port
    )


async def _cancel(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task


def banner(running: RunningStack) -> str:
    """What the person who ran the command needs: where to look, and what to do first."""
    settings = running.settings
    lines = ["", "Schema approval bot is running."]
    if running.dev_server is not None:
        lines.append(f"  Temporal        {running.dev_server.address} (embedded dev server)")
    else:
        where = f"{settings.temporal_address}, namespace {settings.temporal_namespace}"
        lines.append(f"  Temporal        {where}")
    lines.append(f"  Temporal UI     {settings.temporal_ui_url}")
    if running.local_registry is not None:
        lines.append(f"  Schema registry {running.local_registry.url} (local)")
    elif settings.schema_registry_url is not None:
        lines.append(f"  Schema registry {settings.schema_registry_url}")
    if running.sandbox is not None and running.bot_http is not None:
        page = running.sandbox.url + "/"
        lines += [
            f"  Slack sandbox   {page}",
            f"  Bot endpoint    {running.bot_http.events_url}",
            "",
            "No Slack credentials are set, so the bot talks to the local Slack sandbox.",
            *first_steps(running.sandbox, settings, running.first_submission),
        ]
    else:
        mode = "Socket Mode" if settings.slack_app_token else f"HTTP on port {settings.port}"
        lines += [
            "",
            f"Connected to your Slack workspace ({mode}).",
            "First thing to try: in Slack, run /submit-schema to open the submission form.",
        ]
    lines += ["", "Press Ctrl-C to stop.", ""]
    return "\n".join(lines)


async def run_stack(
    options: StackOptions, *, on_ready: Callable[[RunningStack], None] | None = None
) -> int:
    """Run until Ctrl-C or SIGTERM, then stop every part; the process exit code."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with local_stack(options) as running:
            print(banner(running), flush=True)
            if on_ready is not None:
                on_ready(running)
            waiter = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait(
                [waiter, *running.tasks], return_when=asyncio.FIRST_COMPLETED
            )
            waiter.cancel()
            for task in done:
                if task is not waiter and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
            print("Stopping…", flush=True)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    print("Stopped.", flush=True)
    return 0
