"""Small helpers for tests: workers on fresh task queues, polling with a deadline, and the
JSON a dataclass becomes on the wire."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict
from typing import Any, TypeVar

from temporalio.client import Client
from temporalio.worker import Worker

T = TypeVar("T")


def new_worker(
    client: Client,
    *workflows: type,
    activities: Sequence[Callable[..., Any]] = (),
    task_queue: str | None = None,
) -> Worker:
    """A worker on a fresh task queue, so tests never see each other's tasks."""
    return Worker(
        client,
        task_queue=task_queue or f"tq-{uuid.uuid4()}",
        workflows=list(workflows),
        activities=list(activities),
    )


async def eventually(
    check: Callable[[], Awaitable[T]],
    *,
    within: float = 15.0,
    interval: float = 0.05,
) -> T:
    """Poll `check` until it returns without AssertionError, or fail with its last error."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        try:
            return await check()
        except AssertionError:
            if asyncio.get_running_loop().time() > deadline:
                raise
        await asyncio.sleep(interval)


def as_payload(obj: Any) -> dict[str, Any]:
    """The JSON object a dataclass becomes on the wire: what a raw signal or update carries."""
    return asdict(obj)
