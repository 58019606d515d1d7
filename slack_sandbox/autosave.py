"""Keeping the state file in step with the workspace while the stand-in runs.

A review posts and edits several messages in quick succession; the first change of a burst
starts a short wait, and one write then covers everything that happened meanwhile. Waiting from
the first change rather than the last bounds how stale the file can get under steady traffic.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from slack_sandbox.records import SandboxChange
from slack_sandbox.state import SandboxState
from slack_sandbox.state_file import (
    SandboxStateFileError,
    state_text,
    write_state_file,
    write_state_text,
)

log = logging.getLogger(__name__)

SAVE_DELAY_SECONDS = 0.25


def changes_saved_state(change: SandboxChange) -> bool:
    """Whether the change touches what the file keeps (not ephemerals, modals or API calls)."""
    if change.kind.startswith("message_") or change.kind == "channel_opened":
        return True
    if change.kind.startswith("view_"):
        return bool(change.data["view"]["definition"].get("type") == "home")
    return False


class StateAutosave:
    def __init__(
        self, state: SandboxState, path: Path, *, delay: float = SAVE_DELAY_SECONDS
    ) -> None:
        self.path = path
        self.delay = delay
        # How many times the file was written; a burst of changes should cost one.
        self.writes = 0
        self._state = state
        self._changes: asyncio.Queue[SandboxChange] | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Write once now, so that a file that cannot be written is said at start-up, not lost
        silently later; then follow the changes."""
        try:
            self.save()
        except OSError as error:
            raise SandboxStateFileError(
                self.path,
                f"it cannot be written ({error})",
                "Give the sandbox a directory it may write to.",
            ) from None
        self._changes = self._state.subscribe()
        self._task = asyncio.create_task(self._follow(self._changes), name="sandbox-autosave")

    async def stop(self) -> None:
        """Stop following and write what the last wait had not written yet."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._changes is not None:
            self._state.unsubscribe(self._changes)
            self._changes = None
        self._save_or_warn()

    def save(self) -> None:
        write_state_file(self._state, self.path)
        self.writes += 1

    async def _follow(self, changes: asyncio.Queue[SandboxChange]) -> None:
        while True:
            if not changes_saved_state(await changes.get()):
                continue
            await asyncio.sleep(self.delay)
            # The text is taken at once, so everything taken from the queue here is in it; the
            # disk write (with its fsync) runs off the loop that the worker and the bot share.
            while not changes.empty():
                changes.get_nowait()
            text = state_text(self._state)
            try:
                await asyncio.to_thread(write_state_text, text, self.path)
                self.writes += 1
            except OSError as error:
                self._warn(error)

    def _save_or_warn(self) -> None:
        try:
            self.save()
        except OSError as error:
            self._warn(error)

    def _warn(self, error: OSError) -> None:
        # A failed save must not take the sandbox down mid-review; the next change retries.
        log.warning(
            "The Slack sandbox could not save its conversations to %s: %s", self.path, error
        )
