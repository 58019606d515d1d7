"""How many acknowledged decisions look their person up and signal at once in a process.

A click is acknowledged once it is durable (bot.slack_app.listeners.decide): its line in the
click journal, or its signal in the review's history. Then its decision runs here: at most
`MAX_DECISIONS_AT_ONCE` at once, the rest of a burst waiting its turn without costing the event
loop anything, so that a burst's acks are not queued behind its own lookups and signals. One per
app, in `BotDeps`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")

# Measured (`--clicks 200,1000 --open 100 --complete 5`, 2 cores, worker and bot in their own
# processes), unbounded / 32 / 64: ack p99 at 200 clicks 1,612 / 774 / 930 ms; signal in the
# history (accepted) p99 at 200 1,296 / 2,343 / 1,653 ms; at 1,000 clicks 15 / 0 / 0 not acked
# within 3 s and accepted p99 47 / 18 / 15 s: fewer at once is faster for all, and 64 keeps a
# 200-click burst's signals as early as unbounded.
MAX_DECISIONS_AT_ONCE = 64


class DecisionTurns:
    """The decisions running now (one event loop per process)."""

    def __init__(self, at_once: int = MAX_DECISIONS_AT_ONCE) -> None:
        self._working = asyncio.Semaphore(at_once)

    async def work(self, decision: Awaitable[T]) -> T:
        """Run a decision's lookup and Temporal calls when fewer than `at_once` run."""
        async with self._working:
            return await decision
