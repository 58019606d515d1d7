"""The parts of the stack under measurement in processes of their own, as the Procfile runs
`web` and `worker`: the bot's web side, the worker, and the bare Bolt app (the anchor of the
bot). Each competes for its own event loop only: the bot's clicks not with the worker's
workflow tasks, the worker not with the Slack sandbox that the benchmark drives.

The parent writes the settings as one JSON line on stdin; the child answers with one line,
`answer: {"port": …}` (0 for the worker), once it serves. Then each line `in_flight` on stdin
is answered with `answer: N`, the number of requests (and the work they acknowledged) still
running (0 for the worker); other lines on stdout are not answers (Temporal's core logs
there). End of input stops it (the worker finishes its activities in flight).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import SecretStr

from bot.runtime.settings import Settings

HOST = "127.0.0.1"
REPOSITORY = Path(__file__).resolve().parents[1]
Kind = Literal["bot", "bare", "worker"]


def settings_line(settings: Settings) -> str:
    """The settings as the child reads them (secrets revealed: they only cross a pipe)."""
    data: dict[str, Any] = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, Path):
            value = str(value)
        data[name] = value
    return json.dumps(data)


@dataclass
class StackProcess:
    """The parent's handle on the child: its URL (web sides), its in-flight count, its pid."""

    proc: asyncio.subprocess.Process
    port: int

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def events_url(self) -> str:
        from bot.processes.web import SLACK_EVENTS_PATH

        return self.url + SLACK_EVENTS_PATH

    async def in_flight(self) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(b"in_flight\n")
        await self.proc.stdin.drain()
        return int(await answer_line(self.proc.stdout))


ANSWER = b"answer: "


async def answer_line(stdout: asyncio.StreamReader) -> bytes:
    """The child's next answer; other lines on its stdout (Temporal's core logs warnings
    there) are skipped. Empty when the child ended."""
    while line := await stdout.readline():
        if line.startswith(ANSWER):
            return line.removeprefix(ANSWER)
    return b""


@contextlib.asynccontextmanager
async def stack_process(kind: Kind, settings: Settings, log: Path) -> AsyncIterator[StackProcess]:
    with log.open("wb") as errors:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.processes",
            kind,
            cwd=REPOSITORY,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=errors,
        )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(settings_line(settings).encode() + b"\n")
        await proc.stdin.drain()
        line = await asyncio.wait_for(answer_line(proc.stdout), 60)
        if not line:
            raise RuntimeError(f"The {kind} process did not start: see {log}")
        yield StackProcess(proc, int(json.loads(line)["port"]))
    finally:
        proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def _answer(reader: asyncio.StreamReader, port: int, in_flight: Callable[[], int]) -> None:
    """Say where it serves, then answer `in_flight` until the parent closes stdin."""
    print(ANSWER.decode() + json.dumps({"port": port}), flush=True)
    while line := await reader.readline():
        if line.strip() == b"in_flight":
            print(ANSWER.decode() + str(in_flight()), flush=True)


async def _serve(kind: Kind) -> None:
    # Imported here: the parent imports this module only for its handle.
    from benchmarks.bare_bolt import bare_bolt_app
    from bot.processes.web import start_http
    from bot.processes.worker import build_worker
    from bot.runtime.settings import connect_temporal
    from bot.slack_app.app import build_app
    from bot.slack_app.deps import BotDeps
    from bot.slack_app.services.click_journal import ClickJournal
    from slack_api.people import SlackPeople

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    settings = Settings(_env_file=None, **json.loads(await reader.readline()))  # type: ignore[call-arg]
    if kind == "worker":
        worker = build_worker(await connect_temporal(settings), settings)
        running = asyncio.create_task(worker.run())
        try:
            await _answer(reader, 0, lambda: 0)
        finally:
            await worker.shutdown()
            await running
        return
    if kind == "bot":
        temporal = await connect_temporal(settings)
        deps = BotDeps(
            settings=settings,
            temporal=temporal,
            people=SlackPeople(),
            click_journal=ClickJournal(settings.click_journal_dir),
        )
        server = await start_http(build_app(deps), HOST, 0)
    else:
        assert settings.slack_signing_secret and settings.slack_bot_token
        app = bare_bolt_app(
            settings.slack_signing_secret.get_secret_value(),
            settings.slack_bot_token.get_secret_value(),
            settings.slack_api_url,
        )
        server = await start_http(app, HOST, 0)
    try:
        await _answer(reader, server.port, lambda: server.in_flight)
    finally:
        await server.stop()


def main() -> None:
    kind: Kind = {"bare": "bare", "worker": "worker"}.get(sys.argv[1], "bot")  # type: ignore[assignment]
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    asyncio.run(_serve(kind))
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip the interpreter's teardown: temporalio can abort there (sdk-python#300), and the
    # parent has read everything it needs.
    os._exit(0)


if __name__ == "__main__":
    main()
