"""The cap on decisions held before their ack: past it, a click's ack is not held back."""

from __future__ import annotations

import asyncio

from bot.ack_hold import MAX_HELD_BEFORE_ACK, HeldBeforeAck

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
