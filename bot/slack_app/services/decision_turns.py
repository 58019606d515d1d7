"""How many clicks a process holds before their ack: the cap on "click durable before ack".

A click is signalled to Temporal before Slack's request is answered
(bot.slack_app.listeners.decide), so that a crash after Temporal took the signal loses
nothing. Holding costs every request of a
burst (the process answers them all from one event loop), so beyond `MAX_HELD_BEFORE_ACK` at
once the ack goes first and the signal follows: a SIGTERM still drains those, a SIGKILL can lose
them (docs/slack.md, "Deploys, crashes and slow answers"). One per app, in `BotDeps`.

Why still 24 now that a signal (no worker involved) is faster than the update was: measured
with 200 concurrent clicks on 2 cores (`python -m benchmarks --size small --clicks 200`), click
ack p99 over bare Bolt's was 1.50× and 1.76× at 24, 1.98× and 1.88× at 48 (load about 2 each):
holding more clicks made every ack later, so the cap stays.

Past the hold, at most `MAX_DECISIONS_AT_ONCE` decisions look their person up and signal at
once; the rest of a burst queues for its turn (already acknowledged: a SIGTERM drains them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_HELD_BEFORE_ACK = 24
# Decisions whose Slack lookup and signal run at once in a process; the others wait their turn
# without costing the event loop anything, so that a burst's acks are not queued behind its own
# lookups and signals. Measured (`--clicks 200,1000 --open 100 --complete 5`, 2 cores, worker
# and bot in their own processes), unbounded / 32 / 64: ack p99 at 200 clicks 1,612 / 774 /
# 930 ms; signal in the history (accepted) p99 at 200 1,296 / 2,343 / 1,653 ms; at 1,000 clicks
# 15 / 0 / 0 not acked within 3 s and accepted p99 47 / 18 / 15 s: fewer at once is faster for
# all, and 64 keeps a 200-click burst's signals as early as unbounded.
MAX_DECISIONS_AT_ONCE = 64


class HeldBeforeAck:
    """How many decisions wait before their ack right now (one event loop per process)."""

    def __init__(
        self, limit: int = MAX_HELD_BEFORE_ACK, at_once: int = MAX_DECISIONS_AT_ONCE
    ) -> None:
        self.limit = limit
        self.count = 0
        self._working = asyncio.Semaphore(at_once)

    async def work(self, decision: Awaitable[T]) -> T:
        """Run a decision's lookup and Temporal calls when fewer than `at_once` run."""
        async with self._working:
            return await decision

    async def wait_for(self, attempt: asyncio.Future[Any], seconds: float) -> None:
        """Wait up to `seconds` for `attempt`, unless the process already holds its limit."""
        if seconds <= 0 or self.count >= self.limit:
            return
        self.count += 1
        try:
            await asyncio.wait({attempt}, timeout=seconds)
        finally:
            self.count -= 1
