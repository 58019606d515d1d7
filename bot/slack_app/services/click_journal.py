"""The click journal: where a click is durable before Slack is answered, whatever Temporal does.

One append-only file per running process under `CLICK_JOURNAL_DIR`
(`clicks-<pid>-<random>.jsonl`), locked (`flock`) for as long as the process lives. A click is a
line, written and fsync'd before its ack; a `done` line follows once the click came to an end
(its signal taken, or the reviewer told why it did not count). The clicks of a burst share their
fsyncs: every line that arrives while one write runs goes out in the next, so 200 clicks cost a
handful of fsyncs, not 200.

At start the `web` process adopts the files whose process is gone (their lock is free): the
clicks without a `done` line are copied into its own file, fsync'd, and the old file is removed;
the process then forwards them as if they had just been clicked
(`bot.slack_app.listeners.click_forwarder`). A line cut short by a crash mid-write was never
acknowledged (its fsync had not returned) and is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FILE_PREFIX = "clicks-"
FILE_SUFFIX = ".jsonl"


class JournalUnusable(OSError):
    """The journal directory cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class JournalEntry:
    """One click in this process's journal: its number there, and the click as written."""

    number: int
    click: dict[str, Any]


class ClickJournal:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path: Path | None = None
        self._fd: int | None = None
        self._next = 1
        self._open_clicks: set[int] = set()
        self._queue: list[tuple[bytes, asyncio.Future[None] | None]] = []
        self._writer: asyncio.Task[None] | None = None

    @property
    def unfinished(self) -> int:
        """Clicks written and not yet done."""
        return len(self._open_clicks)

    def open(self) -> None:
        """Create the directory and this process's file, locked; idempotent."""
        if self._fd is not None:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = (
                self.directory / f"{FILE_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{FILE_SUFFIX}"
            )
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _sync_directory(self.directory)
        except OSError as error:
            raise JournalUnusable(
                f"CLICK_JOURNAL_DIR {self.directory} cannot hold the click journal"
                f" ({error.strerror or error}): point it at a writable directory, on a volume"
                " that outlives the process."
            ) from error
        self.path, self._fd = path, fd

    def adopt(self) -> list[JournalEntry]:
        """The clicks that processes now gone left unfinished, moved into this process's file
        (fsync'd before their old files are removed). Call once, at start, before serving."""
        self.open()
        adopted: list[JournalEntry] = []
        for old in sorted(self.directory.glob(f"{FILE_PREFIX}*{FILE_SUFFIX}")):
            if old == self.path:
                continue
            with _locked_if_free(old) as readable:
                if readable is None:
                    continue  # a running process's journal
                clicks = _unfinished_in(readable, old)
                lines = b""
                for click in clicks:
                    entry = JournalEntry(self._number(), click)
                    adopted.append(entry)
                    lines += _click_line(entry)
                self._append(lines)
                old.unlink()
                log.info("Adopted %d unforwarded click(s) from %s", len(clicks), old.name)
        _sync_directory(self.directory)
        return adopted

    async def record(self, click: dict[str, Any]) -> JournalEntry:
        """Write the click and fsync it; returns once it is durable. Raises OSError when the
        disk refused it. Cancelled before its write began, the click is left out; cancelled
        during it, it is marked done right after, so that no later start forwards a click
        whose request was not acknowledged."""
        self.open()
        entry = JournalEntry(self._number(), click)
        written = asyncio.get_running_loop().create_future()
        self._queue.append((_click_line(entry), written))
        self._write_soon()
        try:
            await written
        except asyncio.CancelledError:
            self.done(entry)
            raise
        return entry

    def done(self, entry: JournalEntry) -> None:
        """The click came to an end: no later start forwards it. Not waited for: a `done`
        lost to a crash only makes the next start send a signal the review already took,
        which it answers without deciding twice."""
        if entry.number not in self._open_clicks:
            return
        self._open_clicks.discard(entry.number)
        self._queue.append((_done_line(entry.number), None))
        self._write_soon()

    async def close(self) -> None:
        """After the drain: the last lines written; the file removed when every click in it
        came to an end, else kept for the next start to adopt."""
        if self._writer is not None:
            await asyncio.shield(self._writer)
        if self._fd is None or self.path is None:
            return
        if not self._open_clicks:
            with contextlib.suppress(OSError):
                self.path.unlink()
        os.close(self._fd)
        self._fd = None

    def _number(self) -> int:
        number, self._next = self._next, self._next + 1
        self._open_clicks.add(number)
        return number

    def _write_soon(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_queued())

    async def _write_queued(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            # A click whose request gave up before its write began stays out of the file.
            batch = [(line, waiter) for line, waiter in batch if not (waiter and waiter.done())]
            try:
                await asyncio.to_thread(self._append, b"".join(line for line, _ in batch))
            except OSError as error:
                log.error("Click journal write failed: %r", error)
                for _, waiter in batch:
                    if waiter is not None and not waiter.done():
                        waiter.set_exception(error)
                continue
            for _, waiter in batch:
                if waiter is not None and not waiter.done():
                    waiter.set_result(None)

    def _append(self, data: bytes) -> None:
        if self._fd is None:
            # A `done` after `close` (work cut at the drain's deadline): the next start will
            # forward that click again, which the review answers without deciding twice.
            raise OSError("the click journal is closed")
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        os.fsync(self._fd)


def _click_line(entry: JournalEntry) -> bytes:
    return (json.dumps({"n": entry.number, "click": entry.click}) + "\n").encode()


def _done_line(number: int) -> bytes:
    return (json.dumps({"done": number}) + "\n").encode()


def _unfinished_in(text: str, path: Path) -> list[dict[str, Any]]:
    clicks: dict[int, dict[str, Any]] = {}
    for line in text.splitlines():
        try:
            record = json.loads(line)
            if "done" in record:
                clicks.pop(int(record["done"]), None)
            else:
                clicks[int(record["n"])] = dict(record["click"])
        except (ValueError, TypeError, KeyError):
            log.warning("Skipped an unreadable line in %s (cut short by a crash?)", path.name)
    return list(clicks.values())


@contextlib.contextmanager
def _locked_if_free(path: Path) -> Any:
    """The file's text while holding its lock; None when a live process holds it (or it went
    away: another starting process adopted it first)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        yield None
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        if not path.exists() or os.stat(path).st_ino != os.fstat(fd).st_ino:
            yield None
            return
        with os.fdopen(os.dup(fd), encoding="utf-8", errors="replace") as file:
            text = file.read()
        yield text
    finally:
        os.close(fd)


def _sync_directory(directory: Path) -> None:
    """A new or removed file survives a crash only once its directory is fsync'd too."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
