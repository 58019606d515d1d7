"""An activity caught by its worker's shutdown (a deploy, a restart) hands over to another worker.

Once the worker begins to shut down (SIGTERM), an attempt still running gets
`FINISH_AFTER_SHUTDOWN` to finish, which a Slack post or a fetch almost always does. An attempt
that needs longer (a post whose answer is held up, a wait out of Slack's Retry-After, a slow
document host) is then cancelled where it waits and fails as `WorkerShutdown`: retryable, and
retried at once, on whichever worker polls next. Without that it would run on until the grace
period ends or the platform kills the process, and be retried only once its heartbeat timeout
passed. Whatever it had done stays safe to repeat: a post is found in Slack by its idempotency
key before it would be posted again (`activities.slack_posting`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from temporalio import activity
from temporalio.exceptions import ApplicationError

# Well inside the worker's graceful shutdown timeout (`bot.processes.worker`), so that the
# failure is reported and the process has exited before the worker would cancel the attempt
# itself, and well inside a platform's 30 s between SIGTERM and SIGKILL.
FINISH_AFTER_SHUTDOWN = timedelta(seconds=10)
WORKER_SHUTDOWN = "WorkerShutdown"
# Not zero: Temporal would take that for "no delay given" and back off as the policy says.
RETRY_AT_ONCE = timedelta(milliseconds=100)


def worker_shutting_down() -> ApplicationError:
    return ApplicationError(
        "The worker shut down (a deploy or a restart) before this finished; another worker"
        " takes it over.",
        type=WORKER_SHUTDOWN,
        next_retry_delay=RETRY_AT_ONCE,
    )


@contextlib.asynccontextmanager
async def handing_over_on_shutdown(finish_within: timedelta | None = None) -> AsyncIterator[None]:
    """Run the body; once the worker has been shutting down for `finish_within`
    (`FINISH_AFTER_SHUTDOWN` by default), cancel it and raise `worker_shutting_down()`
    (nothing outside an activity)."""
    window = FINISH_AFTER_SHUTDOWN if finish_within is None else finish_within
    task = asyncio.current_task()
    if not activity.in_activity() or task is None:
        yield
        return
    # As asyncio.timeout does: a cancellation that was not ours (Temporal cancelling the
    # activity) stays a cancellation.
    cancelling = task.cancelling()
    cancelled_by_us = False

    async def cancel_after_shutdown() -> None:
        nonlocal cancelled_by_us
        await activity.wait_for_worker_shutdown()
        await asyncio.sleep(window.total_seconds())
        cancelled_by_us = True
        task.cancel(msg=WORKER_SHUTDOWN)

    watch = asyncio.create_task(cancel_after_shutdown())
    try:
        yield
    except asyncio.CancelledError:
        if cancelled_by_us and task.uncancel() <= cancelling:
            activity.logger.warning(
                "Still running %.0f s after the worker began to shut down: handing over",
                window.total_seconds(),
            )
            raise worker_shutting_down() from None
        raise
    finally:
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch
