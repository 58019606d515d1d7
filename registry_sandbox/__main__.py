"""`python -m registry_sandbox --port 8081 [--state-file path]`: the local registry on its own,
until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path

from registry_sandbox.server import RegistrySandbox
from registry_sandbox.state_file import RegistryStateFileError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m registry_sandbox",
        description="The project's local Confluent-compatible schema registry (embedded runs"
        " and tests only).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument(
        "--state-file", type=Path, help="keep the subjects in this JSON file between runs"
    )
    arguments = parser.parse_args(argv)
    try:
        asyncio.run(_serve(arguments.host, arguments.port, arguments.state_file))
    except (RegistryStateFileError, OSError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


async def _serve(host: str, port: int, state_file: Path | None) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    async with RegistrySandbox(host=host, port=port, state_file=state_file) as registry:
        print(f"Local schema registry listening on {registry.url}", flush=True)
        await stopping.wait()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The checkers pull in temporalio (through the workflow's data contract), which can abort
    # during interpreter finalization (sdk-python#300); the registry's work is done by then.
    os._exit(code)
