"""Acknowledged decisions take turns: a few at a time, and every one is made."""

from __future__ import annotations

import asyncio

from bot.slack_app.services.decision_turns import DecisionTurns


async def test_a_burst_of_decisions_runs_a_few_at_a_time_and_every_one_is_made() -> None:
    turns = DecisionTurns(at_once=2)
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

    burst = [asyncio.ensure_future(turns.work(decide(n))) for n in range(5)]
    await asyncio.sleep(0)
    # Two decisions started; the other three wait their turn without starting.
    assert running == {0, 1}
    for gate in gates:
        gate.set()
    assert await asyncio.gather(*burst) == [0, 1, 2, 3, 4]
    assert most == 2
