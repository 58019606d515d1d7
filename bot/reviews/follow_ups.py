"""Asking Temporal again about an update whose answer was slow: decisions and submissions.

Every update the bot sends carries an id derived from the Slack request (`update_id`), so
sending it again, or asking for its outcome, is safe: Temporal answers a repeat with the first
one's outcome. A person told "being recorded" / "being submitted" is owed the outcome, so the
bot keeps asking within a `FollowUpWindow`: `FOLLOW_UP_SECONDS`, cut short when the process
drains on SIGTERM (`bot.runtime.in_flight`), so that the person hears "not
confirmed yet" before the process exits rather than nothing.
"""

from __future__ import annotations

import asyncio
import hashlib

from bot.runtime.in_flight import asking_until

# How long the bot keeps asking, with the same update id, before it admits it does not know.
FOLLOW_UP_SECONDS = 180.0
# The pause between follow-up tries.
FOLLOW_UP_PAUSE_SECONDS = 2.0


def request_update_id(kind: str, user_id: str, *request: str) -> str:
    """The update id of one Slack request: the same for a retry of the request, a different
    one for the next click or submission. `request` is what Slack sends that names it
    (action_ts, view id, trigger_id)."""
    digest = hashlib.sha256("\x1f".join((user_id, *request)).encode()).hexdigest()[:24]
    return f"{kind}-{digest}"


class FollowUpWindow:
    """Until when a follow-up keeps asking: `FOLLOW_UP_SECONDS` from now, or less once the
    process drains."""

    def __init__(self, seconds: float | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._end = self._loop.time() + (FOLLOW_UP_SECONDS if seconds is None else seconds)

    def left(self) -> float:
        return min(self._end, asking_until()) - self._loop.time()

    @property
    def cut_by_drain(self) -> bool:
        """The window closed early because the process is stopping."""
        return asking_until() < self._end and self.left() <= 0

    async def pause(self) -> None:
        await asyncio.sleep(min(FOLLOW_UP_PAUSE_SECONDS, max(self.left(), 0)))
