"""The first clicks after the worker restarts: Temporal hands the review's next workflow task
to the new worker only once the old one's sticky queue times out (about 5 s), so the answer is
slow. The reviewer must be told what happened: recorded, not "may not have been recorded"."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

from bot.reviews.decisions import DECISION_PENDING, NOT_CONFIRMED, SERVICE_UNREACHABLE
from tests.faults.conftest import FaultRow
from tests.fixtures.web_processes import WebStack, still_has_buttons
from tests.helpers import eventually


async def test_first_clicks_after_a_worker_restart_are_recorded_and_said_so(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    clicks = await stack.review_clicks(3)
    assert stack.worker is not None
    await stack.worker.stop(signal.SIGTERM)
    await stack.start_worker()
    loop = asyncio.get_running_loop()
    clicked = loop.time()

    results = await stack.burst(clicks)

    async def review_messages_closed() -> None:
        assert not any(still_has_buttons(c.message) for c in clicks)

    await eventually(review_messages_closed, within=40)
    closed_after = loop.time() - clicked
    recorded = [await stack.recorded(r.click) for r in results]
    told = {r.click.email: stack.told(r.click) for r in results}
    wrong = [
        t for texts in told.values() for t in texts if t in (NOT_CONFIRMED, SERVICE_UNREACHABLE)
    ]
    pending = sum(DECISION_PENDING in texts for texts in told.values())
    report_fault(
        FaultRow(
            "first clicks after a worker restart",
            attempted=len(results),
            recorded=sum(recorded),
            lost=sum(
                1 for r, ok in zip(results, recorded, strict=True) if r.acknowledged and not ok
            ),
            duplicated=stack.duplicated_requests(),
            note=(
                f"review messages closed {closed_after:.1f} s after the clicks;"
                f" {len(wrong)} told 'not recorded' or 'not known', {pending} told 'being recorded'"
            ),
        )
    )
    assert all(r.acknowledged for r in results)
    assert all(recorded)
    assert wrong == []
    # Whoever heard "being recorded" heard the outcome after it.
    for texts in told.values():
        if DECISION_PENDING in texts:
            assert texts[-1].startswith("Recorded:"), texts
