"""`uv run python -m benchmarks [--size tiny|small|goal] [--open N] [--clicks 200,1000] …`"""

from __future__ import annotations

import asyncio
import os
import sys

from benchmarks.suite import parse_sizes, run_suite


def main() -> None:
    sizes = parse_sizes()
    print(asyncio.run(run_suite(sizes)))
    sys.stdout.flush()
    # temporalio can abort during interpreter finalization (sdk-python#300); the numbers are out.
    os._exit(0)


if __name__ == "__main__":
    main()
