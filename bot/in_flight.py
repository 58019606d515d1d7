"""The work of the requests a process acknowledged, so that a stop can wait for it.

Bolt answers Slack when a listener calls `ack()` and runs the rest of the listener in a task of
its own (a decision's reply, a submission). Those tasks are started from within the request's
handling; `tracking()` marks that handling (a context variable, which tasks inherit), and a task
factory on the loop records every task started under the mark. `wait()` is the drain.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Iterator
from contextvars import Context, ContextVar
from typing import Any

log = logging.getLogger(__name__)

_CURRENT: ContextVar[InFlight | None] = ContextVar("bot_in_flight", default=None)


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Future[Any]] = set()

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

    def _add(self, task: asyncio.Future[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait(self, seconds: float) -> None:
        """Until every tracked task is done, or `seconds`; the current task (the one
        draining) is not waited for."""
        pending = self._tasks - {asyncio.current_task()}
        if not pending:
            return
        log.info("Finishing %d acknowledged request(s) before stopping", len(pending))
        _, late = await asyncio.wait(pending, timeout=seconds)
        if late:
            log.warning("Stopped with %d request(s) unfinished after %.0f s", len(late), seconds)


def _install_factory(loop: asyncio.AbstractEventLoop) -> None:
    previous = loop.get_task_factory()
    if getattr(previous, "_tracks_in_flight", False):
        return

    def factory(
        loop: asyncio.AbstractEventLoop,
        coro: Coroutine[Any, Any, Any],
        context: Context | None = None,
    ) -> asyncio.Future[Any]:
        task: asyncio.Future[Any]
        if previous is not None:
            task = previous(loop, coro, context=context)  # type: ignore[call-arg]
        else:
            task = asyncio.Task(coro, loop=loop, context=context)
        tracker = context.get(_CURRENT) if context is not None else _CURRENT.get()
        if tracker is not None:
            tracker._add(task)
        return task

    factory._tracks_in_flight = True  # type: ignore[attr-defined]
    loop.set_task_factory(factory)  # type: ignore[arg-type]
