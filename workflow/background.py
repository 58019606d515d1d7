"""Work a review runs beside its main loop (Slack side effects, reminder timers), and what
happens when that work hits a bug.

An exception escaping such a task would only be logged by the SDK, and the review would wait
forever for a message that is never sent. Instead the main run re-raises it as an error that
fails the workflow task, not the workflow: Temporal retries the task, the review stays where
it was, and once the code is fixed and deployed the review replays and resumes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from temporalio import workflow

from workflow import patches

T = TypeVar("T")

PATCH_FAILURE_BEFORE_RESULT = "background-failure-before-result"


class BackgroundTaskFailed(RuntimeError):
    """Not a Temporal failure type: raised from the run, it fails the workflow task."""


class Background:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        # The first exception a task raised, if any.
        self.failure: BaseException | None = None

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def settled(self) -> bool:
        return not self._tasks

    async def settle(self) -> None:
        await workflow.wait_condition(self.settled)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None and self.failure is None:
            self.failure = error


async def watching(main: Coroutine[Any, Any, T], failure: Callable[[], BaseException | None]) -> T:
    """The result of `main`, unless a background task fails first: then BackgroundTaskFailed."""
    task = asyncio.create_task(main)
    try:
        await workflow.wait_condition(lambda: task.done() or failure() is not None)
    except asyncio.CancelledError:
        task.cancel()
        raise
    error = failure()
    # A background task may fail in the same activation as the main one finishes: the failure
    # still counts (a message left unsent is not a finished review). Runs that completed so
    # before replay as they ran: no marker in their history.
    if error is None or (task.done() and not patches.patched(PATCH_FAILURE_BEFORE_RESULT)):
        return task.result()
    raise BackgroundTaskFailed(
        f"A background task of the review failed: {error!r}. The workflow task is retried;"
        " deploy a fix and the review resumes where it was."
    ) from error
