"""How many decisions a process holds before their ack: the cap on "decision before ack".

A decision is sent to Temporal before Slack's request is answered (bot.listeners.decide), so
that a crash after Temporal's answer loses nothing. Holding costs every request of a burst (the
process answers them all from one event loop), so beyond `MAX_HELD_BEFORE_ACK` at once the ack
goes first and the decision follows: a SIGTERM still drains those, a SIGKILL can lose them
(docs/slack.md, "Deploys, crashes and slow answers"). One per app, in `BotDeps`.
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
