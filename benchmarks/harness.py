"""The stack under measurement, as the Procfile runs it: the worker and the bot's web side each
in a process of its own (`benchmarks.processes`), on an embedded Temporal dev server; the
Slack sandbox in this process, with the anchors' worker; the bare Bolt app in a process of its
own, as the bot's; and a watch on the sandbox that timestamps every message as it changes.

The sandbox keeps no state file here (the run command's autosave rewrites it under load, which
is the sandbox's cost, not the bot's). Memory figures are the worker's and the bot's processes'.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from benchmarks.anchors import (
    ANCHOR_QUEUE,
    NoOpReview,
    TrivialWorkflow,
    noop_activity,
)
from benchmarks.processes import StackProcess, stack_process
from bot.processes.devserver import DevServer, free_port, start_dev_server
from bot.processes.sandbox_wiring import sandbox_people, sandbox_settings
from bot.runtime.settings import Settings, connect_temporal
from slack_presentation.review_actions import InvalidButtonValue, ReviewButtonValue
from slack_sandbox.users import SimulatedUser
from tests.fixtures.slack_standin import SlackStandInForTests
from workflow.models import Reviewers

HOST = "127.0.0.1"


@dataclass
class Watch:
    """When each review request was posted and when it lost its buttons (was decided)."""

    # (workflow id, stage) -> the request in the reviewer's DM: channel, ts
    requests: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    posted_at: dict[tuple[str, str], float] = field(default_factory=dict)
    # (channel, ts) -> when the message was updated without buttons
    closed_at: dict[tuple[str, str], float] = field(default_factory=dict)
    ephemeral_at: dict[str, float] = field(default_factory=dict)
    waiters: dict[Any, asyncio.Future[float]] = field(default_factory=dict)

    def wait(self, key: Any, known: dict[Any, float]) -> asyncio.Future[float]:
        future = self.waiters.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self.waiters[key] = future
        if key in known and not future.done():
            future.set_result(known[key])
        return future

    def _arrived(self, key: Any, at: float, known: dict[Any, float]) -> None:
        known.setdefault(key, at)
        future = self.waiters.get(key)
        if future is not None and not future.done():
            future.set_result(at)

    def seen(self, kind: str, data: dict[str, Any], review_channel: str | None) -> None:
        at = time.perf_counter()
        if kind == "ephemeral_posted":
            self._arrived(data["ephemeral"]["user"], at, self.ephemeral_at)
            return
        message = data["message"]
        buttons = _review_buttons(message.get("blocks") or [])
        where = (message["channel"], message["ts"])
        if kind == "message_posted" and buttons and message["channel"] != review_channel:
            for button in buttons:
                key = (button.workflow_id, button.stage)
                self.requests[key] = where
                self._arrived(key, at, self.posted_at)
        elif kind == "message_updated" and not buttons:
            self._arrived(where, at, self.closed_at)


def _review_buttons(blocks: list[dict[str, Any]]) -> list[ReviewButtonValue]:
    found = []
    for block in blocks:
        for element in block.get("elements") or []:
            with contextlib.suppress(InvalidButtonValue):
                found.append(ReviewButtonValue.decode(str(element.get("value", ""))))
    return found[:1]


@dataclass
class BenchStack:
    settings: Settings
    temporal: Client
    sandbox: SlackStandInForTests
    dev_server: DevServer
    worker: StackProcess
    bot: StackProcess
    bare_bolt: StackProcess
    watch: Watch

    def cpu_by_process(self) -> dict[str, float]:
        """CPU seconds used so far by each process of the stack (their sum: all of it)."""
        return {
            "Temporal server": cpu_seconds([self.dev_server.process.pid], own=False),
            "worker": cpu_seconds([self.worker.pid], own=False),
            "bot": cpu_seconds([self.bot.pid], own=False),
            "bare Bolt": cpu_seconds([self.bare_bolt.pid], own=False),
            "sandbox and anchors": cpu_seconds([], own=True),
        }

    @property
    def roster(self) -> Reviewers:
        roster = self.settings.default_roster()
        assert roster is not None
        return roster

    def user_id(self, email: str) -> str:
        return self.sandbox.user_by_email(email).id

    def burst_roster(self, n: int) -> Reviewers:
        """The roster of the n-th review of the bursts: two one-click people, then the usual
        senior and compliance reviewers."""
        roster = self.roster
        return Reviewers(
            f"bench{2 * n}@example.com",
            f"bench{2 * n + 1}@example.com",
            roster.senior_reviewer,
            roster.compliance_reviewer,
        )

    async def until_idle(self, limit: float) -> tuple[float, int]:
        """Wait until the bot has no acknowledged work left (its in-flight count stays 0 for
        a moment), at most `limit` seconds: (seconds waited, work still in flight)."""
        began = time.perf_counter()
        quiet_since: float | None = None
        while (waited := time.perf_counter() - began) < limit:
            if await self.bot.in_flight():
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.perf_counter()
            elif time.perf_counter() - quiet_since >= 0.5:
                return waited, 0
            await asyncio.sleep(0.05)
        return waited, await self.bot.in_flight()

    def use_bot(self, bare: bool) -> None:
        """Send people's clicks and commands to the bot, or to the bare Bolt app."""
        self.sandbox.point_at_bot((self.bare_bolt if bare else self.bot).events_url)


def rss_mib(pid: int | None = None) -> float:
    for line in Path(f"/proc/{pid or os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pids: list[int], *, own: bool = True) -> float:
    """CPU used so far by `pids` (with their children) together, and this process (`own`)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    ticks = os.sysconf("SC_CLK_TCK")
    others = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        # utime, stime, cutime, cstime: the CLI's server runs in its own child process.
        others += sum(int(v) for v in fields[11:15]) / ticks
    return (usage.ru_utime + usage.ru_stime if own else 0.0) + others


def bench_people(count: int) -> list[SimulatedUser]:
    """People who each click once in a burst, so that what the bot told a person is about
    one click (as in a real burst, where many people click at once)."""
    return [
        SimulatedUser(f"U0BENCH{n:05d}", f"bench{n}", f"Bench Person {n}", f"bench{n}@example.com")
        for n in range(count)
    ]


@contextlib.asynccontextmanager
async def bench_stack(
    settings_overrides: dict[str, Any], people: int = 0
) -> AsyncIterator[BenchStack]:
    """`people`: how many one-click people (`bench_people`) the sandbox has besides its own.

    The sandbox sends clicks with no limit on connections at once (aiohttp's default is 100,
    beyond which a burst would queue in the sandbox, not at the bot): Slack sends each
    person's click on its own."""
    with tempfile.TemporaryDirectory() as data_dir:
        async with contextlib.AsyncExitStack() as stack:
            base = Settings(_env_file=None, **settings_overrides)  # type: ignore[call-arg]
            sandbox = SlackStandInForTests(
                sandbox_people(base) + bench_people(people), send_connections=0
            )
            await sandbox.start(HOST, 0)
            stack.push_async_callback(sandbox.stop)
            settings = sandbox_settings(base, sandbox)
            server = await start_dev_server(
                Path(data_dir), host=HOST, port=free_port(), ui_port=None
            )
            stack.push_async_callback(server.stop)
            settings = settings.model_copy(
                update={
                    "temporal_address": server.address,
                    "schema_store_dir": Path(data_dir) / "schemas",
                    "click_journal_dir": Path(data_dir) / "click-journal",
                }
            )
            temporal = await connect_temporal(settings)
            await stack.enter_async_context(
                Worker(
                    temporal,
                    task_queue=ANCHOR_QUEUE,
                    workflows=[TrivialWorkflow, NoOpReview],
                    activities=[noop_activity],
                )
            )
            logs = Path(data_dir)
            worker = await stack.enter_async_context(
                stack_process("worker", settings, logs / "worker.log")
            )
            bot = await stack.enter_async_context(stack_process("bot", settings, logs / "bot.log"))
            bare = await stack.enter_async_context(
                stack_process("bare", settings, logs / "bare-bolt.log")
            )
            watch = Watch()
            _watch_sandbox(sandbox, watch, settings.slack_review_channel)
            running = BenchStack(settings, temporal, sandbox, server, worker, bot, bare, watch)
            running.use_bot(bare=False)
            yield running


def _watch_sandbox(sandbox: SlackStandInForTests, watch: Watch, review_channel: str | None) -> None:
    """Timestamp changes as the sandbox makes them (not when a reader gets round to them)."""
    notify = sandbox.state.notify
    kinds = ("message_posted", "message_updated", "ephemeral_posted")

    def timed(kind: str, data: dict[str, Any]) -> None:
        if kind in kinds:
            watch.seen(kind, data, review_channel)
        notify(kind, data)

    sandbox.state.notify = timed  # type: ignore[method-assign]
