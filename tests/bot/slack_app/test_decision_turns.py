"""The cap on decisions held before their ack: past it, a click's ack is not held back."""

from __future__ import annotations

import asyncio

from bot.slack_app.services.ack_hold import MAX_HELD_BEFORE_ACK, HeldBeforeAck

# Long enough that a click held by mistake would fail the test's own deadline.
FOREVER = 600.0


async def test_past_the_limit_the_ack_goes_first() -> None:
    held = HeldBeforeAck()
    unanswered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    holding = [
        asyncio.ensure_future(held.wait_for(unanswered, FOREVER))
        for _ in range(MAX_HELD_BEFORE_ACK)
    ]
    await asyncio.sleep(0)  # one turn of the loop: each starts and takes its place
    assert held.count == MAX_HELD_BEFORE_ACK

    # One more: Temporal has not answered, yet it does not wait.
    async with asyncio.timeout(5):
        await held.wait_for(unanswered, FOREVER)

    unanswered.set_result(None)
    await asyncio.gather(*holding)
    assert held.count == 0


async def test_a_burst_of_decisions_runs_a_few_at_a_time_and_every_one_is_made() -> None:
    held = HeldBeforeAck(at_once=2)
    running: set[int] = set()
    most = 0
    gates = [asyncio.Event() for _ in range(5)]

    async def decide(n: int) -> int:
        nonlocal most
        running.add(n)
        most = max(most, len(running))
        await gates[n].wait()
        running.discard(n)
        return n

    burst = [asyncio.ensure_future(held.work(decide(n))) for n in range(5)]
    await asyncio.sleep(0)
    # Two decisions started; the other three wait their turn without starting.
    assert running == {0, 1}
    for gate in gates:
        gate.set()
    assert await asyncio.gather(*burst) == [0, 1, 2, 3, 4]
    assert most == 2
