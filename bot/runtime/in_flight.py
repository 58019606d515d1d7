"""The work of the requests a process acknowledged, so that a stop can wait for it.

Bolt answers Slack when a listener calls `ack()` and runs the rest of the listener in a task of
its own (a decision's reply, a submission). Those tasks are started from within the request's
handling; `tracking()` marks that handling (a context variable, which tasks inherit), and a task
factory on the loop records every task started under the mark. `begin_drain()` then `wait()` is
the drain: one deadline for all of it, and follow-ups (`bot.reviews.follow_ups`) stop asking early
enough to tell their person "not confirmed yet" before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Coroutine, Iterator
from contextvars import Context, ContextVar
from typing import Any

log = logging.getLogger(__name__)

_CURRENT: ContextVar[InFlight | None] = ContextVar("bot_in_flight", default=None)


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Future[Any]] = set()
        # Loop times: when the drain gives up, and when follow-ups stop asking Temporal.
        self._drain_deadline: float | None = None
        self.asking_until = math.inf

    def __len__(self) -> int:
        return len(self._tasks)

    @contextlib.contextmanager
    def tracking(self) -> Iterator[None]:
        """Tasks started inside this block (and the ones they start) are waited for."""
        _install_factory(asyncio.get_running_loop())
        if (task := asyncio.current_task()) is not None:
            self._add(task)
        token = _CURRENT.set(self)
        try:
            yield
        finally:
            _CURRENT.reset(token)

    def start(self, work: Coroutine[Any, Any, Any]) -> asyncio.Future[Any]:
        """Run `work` as a task waited for as a request's work is (clicks a process adopts at
        start are forwarded so): tracked, and its follow-ups stop asking with the drain."""
        _install_factory(asyncio.get_running_loop())
        token = _CURRENT.set(self)
        try:
            return asyncio.ensure_future(work)
        finally:
            _CURRENT.reset(token)

    def _add(self, task: asyncio.Future[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def begin_drain(self, seconds: float, *, asking: float) -> None:
        """The process is stopping: everything ends within `seconds` from now, and follow-ups
        stop asking Temporal after `asking` (then tell their person the outcome is not
        confirmed). Only the first call counts."""
        if self._drain_deadline is not None:
            return
        now = asyncio.get_running_loop().time()
        self._drain_deadline = now + seconds
        self.asking_until = now + min(asking, seconds)

    def seconds_left(self) -> float:
        """Of the drain begun with `begin_drain` (0 before it)."""
        if self._drain_deadline is None:
            return 0.0
        return max(self._drain_deadline - asyncio.get_running_loop().time(), 0.0)

    async def wait(self) -> None:
        """Until every tracked task is done, or the drain's deadline; the current task (the
        one draining) is not waited for."""
        pending = self._tasks - {asyncio.current_task()}
        if not pending:
            return
        log.info("Finishing %d acknowledged request(s) before stopping", len(pending))
        _, late = await asyncio.wait(pending, timeout=self.seconds_left())
        if late:
            log.warning("Stopped with %d request(s) unfinished at the drain deadline", len(late))


def asking_until() -> float:
    """When the current request's follow-ups stop asking (loop time; inf unless draining)."""
    tracker = _CURRENT.get()
    return tracker.asking_until if tracker is not None else math.inf


def _install_factory(loop: asyncio.AbstractEventLoop) -> None:
    previous = loop.get_task_factory()
    if getattr(previous, "_tracks_in_flight", False):
        return

    def factory(
        loop: asyncio.AbstractEventLoop,
        coro: Coroutine[Any, Any, Any],
        context: Context | None = None,
        **kwargs: Any,
    ) -> asyncio.Future[Any]:
        # Newer Pythons pass more (name=, eager_start=): handed on as given.
        task: asyncio.Future[Any]
        if previous is not None:
            task = previous(loop, coro, context=context, **kwargs)  # type: ignore[call-arg]
        else:
            task = asyncio.Task(coro, loop=loop, context=context, **kwargs)
        tracker = context.get(_CURRENT) if context is not None else _CURRENT.get()
        if tracker is not None:
            tracker._add(task)
        return task

    factory._tracks_in_flight = True  # type: ignore[attr-defined]
    loop.set_task_factory(factory)  # type: ignore[arg-type]
