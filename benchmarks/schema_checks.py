"""What the schema checks add to a submission, for a 200-field schema of each format.

For each format, version 2 of a 200-field schema (one field retyped, so the verdict has a
problem to explain) is checked the two ways a submission is: the bot's check before the review
starts (validation by the format's library) and the upload's (validation, then the verdict
against approved version 1). Fetching, storing and Temporal are left out: they were there
before the checks. Prints p50 and p95 per format; the goal is under 300 ms added.

    uv run python benchmarks/schema_checks.py [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

from schemas.compatibility import ApprovedVersion, verdict
from schemas.validation import check_protobuf, read_schema

FIELDS = 200
GOAL_MS = 300.0


def avro_pair() -> tuple[str, str, str]:
    def record(retyped: bool) -> str:
        fields = [{"name": f"f{i}", "type": "long" if i % 2 else "string"} for i in range(FIELDS)]
        if retyped:
            fields[7]["type"] = "int"
        return json.dumps(
            {"type": "record", "name": "Wide", "namespace": "bench", "fields": fields}
        )

    return "wide.avsc", record(False), record(True)


def json_schema_pair() -> tuple[str, str, str]:
    def schema(retyped: bool) -> str:
        properties = {
            f"f{i}": {"type": "integer" if i % 2 else "string", "description": f"Field {i}"}
            for i in range(FIELDS)
        }
        if retyped:
            properties["f7"] = {"type": "string"}
        return json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "properties": properties,
                "required": [f"f{i}" for i in range(0, FIELDS, 4)],
            }
        )

    return "wide.json", schema(False), schema(True)


def protobuf_pair() -> tuple[str, str, str]:
    def proto(retyped: bool) -> str:
        def kind(i: int) -> str:
            return "string" if (retyped and i == 7) or i % 2 == 0 else "int64"

        lines = [f"  {kind(i)} f{i} = {i + 1};" for i in range(FIELDS)]
        return 'syntax = "proto3";\npackage bench;\n\nmessage Wide {\n' + "\n".join(lines) + "\n}\n"

    return "wide.proto", proto(False), proto(True)


def cpu_seconds() -> float:
    """CPU time of this process and of the `buf` processes it waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


async def timed(
    work: Callable[[int], Awaitable[object]], runs: int
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per run: on a busy machine the wall clock also counts
    the wait for a core, the CPU time only the checks' own work."""
    await work(-1)  # warm up imports and caches
    wall: list[float] = []
    cpu: list[float] = []
    for run in range(runs):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        await work(run)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((cpu_seconds() - start_cpu) * 1000)
    return wall, cpu


def variant(text: str, name: str, run: int) -> bytes:
    """A document no earlier run checked (checkers may remember what they built)."""
    if name.endswith(".proto"):
        return f"{text}// run {run}\n".encode()
    document = json.loads(text)
    document["doc" if name.endswith(".avsc") else "$comment"] = f"run {run}"
    return json.dumps(document).encode()


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def percentiles(timings: tuple[list[float], list[float]]) -> str:
    wall, cpu = timings
    return (
        f"wall p50 {statistics.median(wall):6.1f} ms  p95 {p95(wall):6.1f} ms"
        f"   cpu p50 {statistics.median(cpu):6.1f} ms  p95 {p95(cpu):6.1f} ms"
    )


async def main(runs: int) -> int:
    print(f"Schema checks for a {FIELDS}-field schema, {runs} runs each ({os.cpu_count()} CPUs)")
    worst = 0.0
    for label, (name, old, new) in (
        ("JSON Schema", json_schema_pair()),
        ("Avro", avro_pair()),
        ("Protobuf", protobuf_pair()),
    ):
        approved_doc = await read_schema(old.encode(), name)
        approved = [ApprovedVersion(1, approved_doc.fmt, approved_doc.parsed)]

        async def precheck(run: int, new: str = new, name: str = name) -> object:
            # What the bot runs before a review starts.
            return await read_schema(variant(new, name, run), name)

        async def upload(
            run: int, new: str = new, name: str = name, approved: list[ApprovedVersion] = approved
        ) -> object:
            # What `upload_schema` runs: a `.proto` is built by `buf breaking` itself.
            content = variant(new, name, run)
            document = await read_schema(content, name, build=False)
            result = await verdict(document.fmt, 2, document.parsed, approved, "BACKWARD")
            if document.fmt == "Protobuf":
                await check_protobuf(content)
            assert result is not None and not result.compatible, result
            return result

        before = await timed(precheck, runs)
        during = await timed(upload, runs)
        worst = max(worst, p95(during[0]))
        print(f"  {label:12} bot check (validate)           {percentiles(before)}")
        print(f"  {label:12} upload (validate + verdict)    {percentiles(during)}")
    load = os.getloadavg()[0]
    print(f"Goal: under {GOAL_MS:.0f} ms added; worst upload wall p95 {worst:.1f} ms.")
    print(f"Load average during the run: {load:.1f} on {os.cpu_count()} CPUs.")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    sys.exit(asyncio.run(main(parser.parse_args().runs)))
