"""The click journal: what a process acknowledged and did not finish, the next start finds."""

from __future__ import annotations

import asyncio
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.slack_app.services.click_journal import ClickJournal, JournalUnusable


def click(n: int) -> dict[str, object]:
    return {"user": f"U0R{n:07d}", "click": f"1700000000.{n:06d}"}


async def crash(journal: ClickJournal) -> None:
    """As a process killed once its queued lines are on disk: its lock goes, its file stays."""
    if journal._writer is not None:
        await journal._writer
    assert journal._fd is not None
    os.close(journal._fd)


async def test_a_burst_is_durable_and_only_unfinished_clicks_are_adopted(tmp_path: Path) -> None:
    journal = ClickJournal(tmp_path)
    entries = await asyncio.gather(*(journal.record(click(n)) for n in range(200)))
    for entry in entries[:150]:
        journal.done(entry)
    await crash(journal)

    adopted = ClickJournal(tmp_path).adopt()

    assert [e.click for e in adopted] == [click(n) for n in range(150, 200)]


async def test_adopted_clicks_survive_another_crash_and_are_not_adopted_twice(
    tmp_path: Path,
) -> None:
    first = ClickJournal(tmp_path)
    await first.record(click(1))
    await crash(first)

    second = ClickJournal(tmp_path)
    assert [e.click for e in second.adopt()] == [click(1)]
    await crash(second)  # before forwarding it

    third = ClickJournal(tmp_path)
    assert [e.click for e in third.adopt()] == [click(1)]
    # Adopting moved it: one file is left, the third process's own.
    assert third.path is not None
    assert os.listdir(tmp_path) == [third.path.name]


async def test_a_running_process_journal_is_left_to_it(tmp_path: Path) -> None:
    running = ClickJournal(tmp_path)
    await running.record(click(1))

    assert ClickJournal(tmp_path).adopt() == []
    await running.close()


async def test_a_line_cut_short_by_a_crash_is_skipped(tmp_path: Path) -> None:
    journal = ClickJournal(tmp_path)
    await journal.record(click(1))
    assert journal.path is not None
    with journal.path.open("a") as file:
        file.write('{"n": 2, "click": {"user": "U0')
    await crash(journal)

    assert [e.click for e in ClickJournal(tmp_path).adopt()] == [click(1)]


async def test_a_clean_stop_with_every_click_done_leaves_no_file(tmp_path: Path) -> None:
    journal = ClickJournal(tmp_path)
    journal.done(await journal.record(click(1)))
    await journal.close()
    assert os.listdir(tmp_path) == []


async def test_a_directory_that_cannot_hold_the_journal_is_named_with_what_to_do(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    with pytest.raises(JournalUnusable) as refused:
        ClickJournal(blocked / "journal").adopt()
    assert str(refused.value).startswith(f"CLICK_JOURNAL_DIR {blocked / 'journal'} cannot hold")
    assert "point it at a writable directory" in str(refused.value)


def test_a_killed_process_leaves_its_lock_free(tmp_path: Path) -> None:
    """The lock is the kernel's: SIGKILL releases it, so the next start adopts the file."""
    script = (
        "import asyncio, os, signal, sys\n"
        "from pathlib import Path\n"
        "from bot.slack_app.services.click_journal import ClickJournal\n"
        "async def main():\n"
        "    await ClickJournal(Path(sys.argv[1])).record({'user': 'U0R0000001'})\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=False)
    assert done.returncode == -9
    (left,) = tmp_path.iterdir()
    with left.open() as file:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: does not raise
    assert [e.click for e in ClickJournal(tmp_path).adopt()] == [{"user": "U0R0000001"}]
