"""A decision Temporal is slow to answer: the reviewer hears "being recorded", then what became
of it, from the same process, or, when a deploy stops the process first, that it is not
confirmed yet and how to check, before the process exits."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

from bot.decisions import DECISION_PENDING, NOT_CONFIRMED_YET
from tests.faults.conftest import FaultRow
from tests.fixtures.web_processes import Click, WebStack
from tests.helpers import eventually

# The first try waits 15 s for the workflow's answer before "being recorded".
PENDING_WITHIN = 30.0


async def _pending_click(stack: WebStack) -> Click:
    """A click while no worker runs: Temporal takes the update and nobody answers it."""
    [click, _] = await stack.review_clicks(1)
    assert stack.worker is not None
    await stack.worker.stop(signal.SIGTERM)
    result = await stack.click(click)
    assert result.acknowledged

    async def told_pending() -> None:
        assert stack.told(click) == [DECISION_PENDING]

    await eventually(told_pending, within=PENDING_WITHIN, interval=0.2)
    return click


async def test_being_recorded_is_followed_by_recorded(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    click = await _pending_click(stack)

    await stack.start_worker()

    async def told_outcome() -> None:
        assert len(stack.told(click)) == 2

    await eventually(told_outcome, within=60, interval=0.2)
    told = stack.told(click)
    recorded = await stack.recorded(click)
    report_fault(
        FaultRow(
            "a click while the worker is down, worker started after 'being recorded'",
            attempted=1,
            recorded=int(recorded),
            lost=int(not recorded),
            duplicated=stack.duplicated_requests(),
            note=f"told: {' / '.join(t.split(':')[0] for t in told)}",
        )
    )
    assert told[0] == DECISION_PENDING
    assert told[1].startswith("Recorded:"), told
    assert recorded


async def test_a_deploy_tells_a_pending_reviewer_the_decision_is_not_confirmed_yet(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    click = await _pending_click(stack)
    assert stack.web is not None
    loop = asyncio.get_running_loop()
    signalled = loop.time()

    # Within the 30 s a platform waits before SIGKILL, or `stop` fails the test.
    exit_code = await stack.web.stop(signal.SIGTERM, within=30.0)

    stopped_after = loop.time() - signalled
    told = stack.told(click)
    # The update may have been taken or dropped with the process; a worker says which.
    await stack.start_worker()
    recorded = await stack.recorded(click)
    report_fault(
        FaultRow(
            "web SIGTERM while a decision waits for Temporal",
            attempted=1,
            recorded=int(recorded),
            lost=int(not recorded and NOT_CONFIRMED_YET not in told),
            duplicated=stack.duplicated_requests(),
            note=f"exit {exit_code} after {stopped_after:.1f} s; {len(told)} replies before it",
        )
    )
    assert exit_code == 0, stack.web.output()
    assert told == [DECISION_PENDING, NOT_CONFIRMED_YET]
