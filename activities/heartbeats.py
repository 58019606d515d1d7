"""Heartbeats for activities that may run long: Temporal then learns within the heartbeat
timeout (not the whole start-to-close timeout) that a killed worker's attempt is gone, and a
cancellation (a reminder whose stage was decided) reaches the activity at its next beat.

An attempt that finishes within `HEARTBEAT_AFTER_SECONDS` (nearly all: a Slack post takes tens
of milliseconds) never heartbeats: a beat is a call to the Temporal server, and the attempt's
result says all a beat would have. What `beat` is given meanwhile is kept and goes out with the
first periodic beat; until then a retry on another worker learns what was posted from Slack
itself (see `activities.slack_posting`).

Every activity runs its work inside `heartbeating`, so this is also where an attempt caught by
its worker's shutdown hands over to another worker (`activities.worker_shutdown`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from temporalio import activity

from activities.worker_shutdown import handing_over_on_shutdown

# Well under the workflow's heartbeat timeout (see `workflow.activity_calls`).
HEARTBEAT_EVERY_SECONDS = 1.0
# How long an attempt runs before its first beat.
HEARTBEAT_AFTER_SECONDS = 1.0


@dataclass
class _Beats:
    # The details the activity last gave, repeated by every periodic beat: a beat without
    # them would erase what the next attempt must know.
    details: list[Any] = field(default_factory=list)
    # Whether the periodic beats began (before that, `beat` only keeps its details).
    begun: bool = False


_BEATS: ContextVar[_Beats | None] = ContextVar("heartbeats", default=None)


def beat(*details: Any) -> None:
    """Heartbeat with `details`, which later beats repeat: now once the periodic beats began,
    else with the first of them."""
    beats = _BEATS.get()
    if beats is None:
        activity.heartbeat(*details)
        return
    beats.details[:] = details
    if beats.begun:
        activity.heartbeat(*details)


@contextlib.asynccontextmanager
async def heartbeating(
    every: float = HEARTBEAT_EVERY_SECONDS, after: float | None = None
) -> AsyncIterator[None]:
    """Heartbeat every `every` seconds, from `after` seconds on (`HEARTBEAT_AFTER_SECONDS`
    by default), while the body runs (nothing outside an activity); a body still running
    well after the worker began to shut down fails as `WorkerShutdown`, to be retried at
    once elsewhere."""
    if not activity.in_activity():
        yield
        return
    # Until this attempt says otherwise, keep what the previous attempt said.
    beats = _Beats(list(activity.info().heartbeat_details))
    token = _BEATS.set(beats)
    first = HEARTBEAT_AFTER_SECONDS if after is None else after
    task = asyncio.create_task(_beat_every(every, first, beats))
    try:
        async with handing_over_on_shutdown():
            yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        _BEATS.reset(token)


async def _beat_every(every: float, after: float, beats: _Beats) -> None:
    if after > 0:
        await asyncio.sleep(after)
    beats.begun = True
    while True:
        activity.heartbeat(*beats.details)
        await asyncio.sleep(every)
