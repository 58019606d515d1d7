"""`python -m registry_sandbox`: the local registry as its own process, as an embedded run or
a person starts it."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import aiohttp

from tests.registry_sandbox.examples import avro_v1

START_DEADLINE = 30.0


async def test_the_module_serves_until_stopped_and_keeps_its_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "registry_sandbox",
        "--port",
        "0",
        "--state-file",
        str(path),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), START_DEADLINE)
        assert line.startswith(b"Local schema registry listening on http://127.0.0.1:")
        url = line.decode().rsplit(" ", 1)[-1].strip()
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{url}/subjects/orders/versions", json={"schema": avro_v1().schema_str}
            ) as response,
        ):
            assert (response.status, await response.json(content_type=None)) == (
                200,
                {"id": 1},
            )
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), START_DEADLINE) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert '"orders"' in path.read_text()


async def test_a_damaged_state_file_stops_the_module_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{not json")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "registry_sandbox",
        "--port",
        "0",
        "--state-file",
        str(path),
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), START_DEADLINE)
    assert process.returncode == 1
    assert f"cannot use its state file {path}: it is not valid JSON" in stderr.decode()
