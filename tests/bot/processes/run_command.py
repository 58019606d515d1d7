"""Running `python -m bot` as a user does, in a subprocess: the helpers of the run-command tests."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from temporalio.client import Client

from bot.processes.devserver import free_port
from workflow.models import QUERY_STATUS

START_SECONDS = 90.0
# Settings a developer's shell may carry; the command must work without any of them.
SETTING_PREFIXES = ("SLACK_", "TEMPORAL_", "DEFAULT_", "SCHEMA_", "SANDBOX_", "REVIEW_")

# The starter's submitter and roster options, as the README's starter command gives them.
STARTER_PEOPLE = (
    *("--submitted-by", "owner@example.com"),
    *("--reviewer-a", "alice@example.com", "--reviewer-b", "bob@example.com"),
    *("--senior-reviewer", "carol@example.com"),
    *("--compliance-reviewer", "dave@example.com"),
)


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES)}
    env.pop("PORT", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


async def spawn_bot(workdir: Path, *args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    """`python -m bot <args>` as a user runs it in `workdir`, output and errors in one stream."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


@dataclass
class RunningCommand:
    process: asyncio.subprocess.Process
    output: list[str]
    temporal_address: str
    sandbox_url: str
    # The sandbox's suggested first command (None when connected to a Slack workspace).
    first_try: str | None
    # --registry-port: where the local schema registry listens, when it runs.
    registry_port: int

    def line_after(self, label: str) -> str:
        found = next((line for line in self.output if line.strip().startswith(label)), None)
        assert found is not None, f"no {label!r} line in:\n" + "".join(self.output)
        return found.strip().removeprefix(label).strip()


async def _read_until_ready(process: asyncio.subprocess.Process, output: list[str]) -> None:
    assert process.stdout is not None
    while True:
        raw = await process.stdout.readline()
        if not raw:
            raise AssertionError("the run command exited before it was ready:\n" + "".join(output))
        output.append(raw.decode())
        if "Press Ctrl-C to stop." in output[-1]:
            return


@asynccontextmanager
async def run_command(
    data_dir: Path,
    workdir: Path,
    settings: dict[str, str] | None = None,
    *,
    sandbox: bool | None = None,
    fresh: bool = False,
) -> AsyncIterator[RunningCommand]:
    """`python -m bot run` on free ports; `settings` are environment variables for it.
    `sandbox`: whether the sandbox is expected (default: when no settings are given).
    `fresh`: with `--fresh`."""
    temporal_port, registry_port = free_port(), free_port()
    process = await spawn_bot(
        workdir,
        "run",
        "--data-dir",
        str(data_dir),
        "--sandbox-port",
        str(free_port()),
        "--temporal-port",
        str(temporal_port),
        "--temporal-ui-port",
        str(free_port()),
        "--registry-port",
        str(registry_port),
        "--port",
        str(free_port()),
        *(["--fresh"] if fresh else []),
        env=clean_env() | (settings or {}),
    )
    output: list[str] = []
    try:
        async with asyncio.timeout(START_SECONDS):
            await _read_until_ready(process, output)
        first_try = re.search(r"^\s+(/submit-schema .+)$", "".join(output), re.MULTILINE)
        running = RunningCommand(
            process,
            output,
            f"127.0.0.1:{temporal_port}",
            "",
            first_try and first_try.group(1),
            registry_port,
        )
        if settings is None if sandbox is None else sandbox:
            running.sandbox_url = running.line_after("Slack sandbox")
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def stop_with_ctrl_c(running: RunningCommand) -> str:
    running.process.send_signal(signal.SIGINT)
    rest, _ = await asyncio.wait_for(running.process.communicate(), timeout=60)
    return "".join(running.output) + rest.decode()


async def status_of(client: Client, workflow_id: str) -> dict[str, Any]:
    status = await client.get_workflow_handle(workflow_id).query(QUERY_STATUS)
    assert isinstance(status, dict)
    return status


async def run_starter(
    running: RunningCommand,
    workdir: Path,
    content_uri: str,
    *,
    expect_code: int = 0,
    schema_id: str = "readme-demo",
) -> str:
    env = clean_env() | {"TEMPORAL_ADDRESS": running.temporal_address}
    starter = await spawn_bot(
        workdir,
        "start",
        schema_id,
        "--version",
        "1",
        "--description",
        "Initial schema",
        "--content-uri",
        content_uri,
        *STARTER_PEOPLE,
        env=env,
    )
    out, _ = await asyncio.wait_for(starter.communicate(), timeout=60)
    assert starter.returncode == expect_code, out.decode()
    return out.decode()


async def alices_open_requests(sandbox_url: str) -> list[dict[str, Any]]:
    """What Alice's sandbox page shows: review requests that still have buttons."""
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{sandbox_url}ui/socket?user=U0ALICE001") as socket,
    ):
        snapshot = await socket.receive_json(timeout=10)
    return [
        m
        for m in snapshot["messages"]
        if "readme-demo" in json.dumps(m) and any(b["type"] == "actions" for b in m["blocks"])
    ]
