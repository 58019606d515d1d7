"""Heartbeats for activities that may run long: Temporal then learns within the heartbeat
timeout (not the whole start-to-close timeout) that a killed worker's attempt is gone, and a
cancellation (a reminder whose stage was decided) reaches the activity at its next beat."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextvars import ContextVar
from typing import Any

from temporalio import activity

# Well under the workflow's heartbeat timeout (see `workflow.activity_calls`).
HEARTBEAT_EVERY_SECONDS = 1.0

# The details the activity last gave, repeated by every periodic beat: a beat without them
# would erase what the next attempt must know.
_DETAILS: ContextVar[list[Any] | None] = ContextVar("heartbeat_details", default=None)


def beat(*details: Any) -> None:
    """Heartbeat now with `details`, which later beats repeat."""
    holder = _DETAILS.get()
    if holder is not None:
        holder[:] = details
    activity.heartbeat(*details)


@contextlib.asynccontextmanager
async def heartbeating(every: float = HEARTBEAT_EVERY_SECONDS) -> AsyncIterator[None]:
    """Heartbeat every `every` seconds while the body runs (nothing outside an activity)."""
    if not activity.in_activity():
        yield
        return
    # Until this attempt says otherwise, keep what the previous attempt said.
    holder = list(activity.info().heartbeat_details)
    token = _DETAILS.set(holder)
    task = asyncio.create_task(_beat_every(every, holder))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        _DETAILS.reset(token)


async def _beat_every(every: float, holder: list[Any]) -> None:
    while True:
        activity.heartbeat(*holder)
        await asyncio.sleep(every)
