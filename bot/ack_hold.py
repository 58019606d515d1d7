"""How many clicks a process holds before their ack: the cap on "click durable before ack".

A click is signalled to Temporal before Slack's request is answered (bot.listeners.decide), so
that a crash after Temporal took the signal loses nothing. Holding costs every request of a
burst (the process answers them all from one event loop), so beyond `MAX_HELD_BEFORE_ACK` at
once the ack goes first and the signal follows: a SIGTERM still drains those, a SIGKILL can lose
them (docs/slack.md, "Deploys, crashes and slow answers"). One per app, in `BotDeps`.

Why still 24 now that a signal (no worker involved) is faster than the update was: measured
with 200 concurrent clicks on 2 cores (`python -m benchmarks --size small --clicks 200`), click
ack p99 over bare Bolt's was 1.50× and 1.76× at 24, 1.98× and 1.88× at 48 (load about 2 each):
holding more clicks made every ack later, so the cap stays.
"""

from __future__ import annotations

import asyncio
from typing import Any

MAX_HELD_BEFORE_ACK = 24


class HeldBeforeAck:
    """How many decisions wait before their ack right now (one event loop per process)."""

    def __init__(self, limit: int = MAX_HELD_BEFORE_ACK) -> None:
        self.limit = limit
        self.count = 0

    async def wait_for(self, attempt: asyncio.Future[Any], seconds: float) -> None:
        """Wait up to `seconds` for `attempt`, unless the process already holds its limit."""
        if seconds <= 0 or self.count >= self.limit:
            return
        self.count += 1
        try:
            await asyncio.wait({attempt}, timeout=seconds)
        finally:
            self.count -= 1
