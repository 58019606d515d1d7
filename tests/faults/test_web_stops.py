"""The `web` process stopped during a burst of clicks by different reviewers: SIGTERM (every
deploy) and SIGKILL (a crash, or a platform out of patience). A click Slack saw answered 200 must
be recorded, or the reviewer told it was not."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

from bot.reviews.decisions import SERVICE_UNREACHABLE
from tests.faults.conftest import FaultRow
from tests.fixtures.web_processes import Click, ClickResult, WebStack, still_has_buttons
from tests.fixtures.worker_processes import DurableTemporal
from tests.helpers import eventually

REVIEWS = 20  # 40 clicks, each by a different reviewer


async def _burst_and_stop(
    stack: WebStack, signum: int
) -> tuple[list[ClickResult], int | None, float]:
    """Half the clicks at once; the signal once 8 are answered; the other half right after the
    signal, while the process stops. Returns the results, the exit code, and the seconds from
    the signal to the exit."""
    clicks = await stack.review_clicks(REVIEWS)
    first, second = clicks[: len(clicks) // 2], clicks[len(clicks) // 2 :]
    answered: list[ClickResult] = []

    async def click(c: Click) -> ClickResult:
        result = await stack.click(c)
        answered.append(result)
        return result

    tasks = [asyncio.ensure_future(click(c)) for c in first]

    async def enough() -> None:
        assert len(answered) >= 8

    await eventually(enough, within=30, interval=0.005)
    assert stack.web is not None
    loop = asyncio.get_running_loop()
    signalled = loop.time()
    stack.web.proc.send_signal(signum)
    tasks += [asyncio.ensure_future(click(c)) for c in second]
    exit_code = await stack.web.stop(signum)
    stopped_after = loop.time() - signalled
    return list(await asyncio.gather(*tasks)), exit_code, stopped_after


async def _outcomes(stack: WebStack, results: list[ClickResult]) -> tuple[int, int]:
    """(recorded, lost): lost is a click answered 200 that was not recorded and whose reviewer
    was not told so."""
    recorded = lost = 0
    for result in results:
        if await stack.recorded(result.click):
            recorded += 1
        elif result.acknowledged and SERVICE_UNREACHABLE not in stack.told(result.click):
            lost += 1
    return recorded, lost


async def test_sigterm_mid_burst_loses_no_acknowledged_click(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    results, exit_code, stopped_after = await _burst_and_stop(web_stack, signal.SIGTERM)

    acknowledged = [r for r in results if r.acknowledged]
    recorded, lost = await _outcomes(web_stack, results)
    report_fault(
        FaultRow(
            "web SIGTERM during a 40-click burst",
            attempted=len(results),
            recorded=recorded,
            lost=lost,
            duplicated=web_stack.duplicated_requests(),
            note=(
                f"{len(acknowledged)} answered 200, {len(results) - len(acknowledged)} refused"
                f" (Slack shows those as failed); exit 0 after {stopped_after:.1f} s"
            ),
        )
    )
    assert exit_code == 0, web_stack.web.output() if web_stack.web else ""
    assert acknowledged, "the burst was stopped before any click was answered"
    assert lost == 0
    # Every acknowledged click was recorded: the drain finished them.
    assert all([await web_stack.recorded(r.click) for r in acknowledged])
    assert web_stack.duplicated_requests() == 0


async def test_sigkill_mid_burst_loses_no_click_answered_200(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    results, _, _ = await _burst_and_stop(web_stack, signal.SIGKILL)
    acknowledged = [r for r in results if r.acknowledged]
    # Started again on the same click journal: it forwards what the killed process had not.
    await web_stack.start_web()

    async def every_acknowledged_click_recorded() -> None:
        assert all([await web_stack.recorded(r.click) for r in acknowledged])

    # A click still missing at the deadline is counted as lost below.
    with contextlib.suppress(AssertionError):
        await eventually(every_acknowledged_click_recorded, within=60, interval=0.5)
    recorded, lost = await _outcomes(web_stack, results)
    acknowledged_recorded = sum([await web_stack.recorded(r.click) for r in acknowledged])
    report_fault(
        FaultRow(
            "web SIGKILL during a 40-click burst, then restarted on the same journal",
            attempted=len(results),
            recorded=recorded,
            lost=lost,
            duplicated=web_stack.duplicated_requests(),
            note=(
                f"{len(acknowledged)} answered 200, {acknowledged_recorded} of them recorded;"
                f" {recorded - acknowledged_recorded} unanswered clicks recorded too (the review"
                " message shows it)"
            ),
        )
    )
    assert acknowledged, "the burst was stopped before any click was answered"
    # Every answer came after the click was in the journal (or its review's history).
    assert lost == 0


async def test_a_click_answered_while_the_worker_is_down_survives_a_sigkill(
    durable_web_stack: WebStack,
    durable_temporal: DurableTemporal,
    report_fault: Callable[[FaultRow], None],
) -> None:
    """With no worker, no workflow task runs, so nothing is decided before Slack's ack: the
    click's signal is in the review's history by then, and survives the web process's SIGKILL
    and a restart of Temporal (which forgets an update it had not yet handed to a worker)."""
    stack = durable_web_stack
    click, _ = await stack.review_clicks(1)
    assert stack.worker is not None and stack.web is not None
    await stack.worker.stop(signal.SIGTERM)

    result = await stack.click(click)
    await stack.web.stop(signal.SIGKILL)
    await durable_temporal.restart()
    await stack.start_worker()

    async def review_message_closed() -> None:
        assert not still_has_buttons(click.message)

    await eventually(review_message_closed, within=60)
    recorded = await stack.recorded(click)
    report_fault(
        FaultRow(
            "web SIGKILL, then a Temporal restart, after a click answered 200 with no worker",
            attempted=1,
            recorded=int(recorded),
            lost=int(result.acknowledged and not recorded),
            duplicated=stack.duplicated_requests(),
            note="the click's signal was in the history before the ack; the restarted worker"
            " decided it and closed the review message",
        )
    )
    assert result.acknowledged
    assert recorded
