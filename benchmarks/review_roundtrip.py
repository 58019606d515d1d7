"""How fast the whole stack answers people, and what it costs in memory.

Starts the same stack as `python -m bot` (embedded Temporal, worker, bot, Slack sandbox) on free
ports with a throwaway data directory, then runs reviews the way people do in the sandbox:
the owner's `/submit-schema`, two Approve clicks, and the senior's Approve. Prints latencies
(submit → review requests posted, click → message updated, last click → owner told) and memory.

    uv run python benchmarks/review_roundtrip.py [--reviews 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from slack_presentation.review_actions import ACTION_APPROVE
from slack_sandbox.examples import EXAMPLES
from slack_sandbox.records import Message
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.fixtures.throwaway_stack import throwaway_stack

POLL_SECONDS = 0.005


async def until(found: Callable[[], Message | None], within: float = 30.0) -> Message:
    deadline = time.perf_counter() + within
    while (message := found()) is None:
        if time.perf_counter() > deadline:
            raise TimeoutError("the stack did not answer in time")
        await asyncio.sleep(POLL_SECONDS)
    return message


def request_for(
    sandbox: SlackStandInForTests, email: str, schema_id: str
) -> Callable[[], Message | None]:
    """The open review request (with buttons) waiting in this person's DM, if any."""
    user = sandbox.user_by_email(email)

    def find() -> Message | None:
        for message in sandbox.messages_in(user.id):
            if schema_id in message.text and _has_buttons(message):
                return message
        return None

    return find


def _has_buttons(message: Message) -> bool:
    return any(block.get("type") == "actions" for block in message.blocks)


def decided(sandbox: SlackStandInForTests, message: Message) -> Callable[[], Message | None]:
    def find() -> Message | None:
        current = sandbox.state.find_message(message.channel, message.ts)
        return current if current is not None and not _has_buttons(current) else None

    return find


def told_owner(
    sandbox: SlackStandInForTests, schema_id: str, before: int
) -> Callable[[], Message | None]:
    owner = sandbox.user_by_email("owner@example.com")

    def find() -> Message | None:
        messages = sandbox.messages_in(owner.id)
        fresh = [m for m in messages[before:] if schema_id in m.text and "approved" in m.text]
        return fresh[-1] if fresh else None

    return find


async def one_review(
    sandbox: SlackStandInForTests, url: str, n: int, samples: dict[str, list[float]]
) -> None:
    schema_id = f"bench-{n}"
    owner = sandbox.user_by_email("owner@example.com")
    before = len(sandbox.messages_in(owner.id))
    started = time.perf_counter()
    await sandbox.run_slash_command(owner.id, "/submit-schema", f"{schema_id} 1 {url} Benchmark")
    alice_request = await until(request_for(sandbox, "alice@example.com", schema_id))
    bob_request = await until(request_for(sandbox, "bob@example.com", schema_id))
    samples["submit → requests posted"].append(time.perf_counter() - started)
    for email, message in (("alice@example.com", alice_request), ("bob@example.com", bob_request)):
        clicked = time.perf_counter()
        await sandbox.click_button(
            sandbox.user_by_email(email).id, message.channel, message.ts, ACTION_APPROVE
        )
        await until(decided(sandbox, message))
        samples["click → message updated"].append(time.perf_counter() - clicked)
    carol_request = await until(request_for(sandbox, "carol@example.com", schema_id))
    clicked = time.perf_counter()
    await sandbox.click_button(
        sandbox.user_by_email("carol@example.com").id,
        carol_request.channel,
        carol_request.ts,
        ACTION_APPROVE,
    )
    await until(told_owner(sandbox, schema_id, before))
    samples["last click → owner told"].append(time.perf_counter() - clicked)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def report(samples: dict[str, list[float]]) -> None:
    print(f"{'':28} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, values in samples.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"{name:28} {len(values):4d} {statistics.median(values) * 1000:8.1f} "
            f"{p95 * 1000:8.1f} {ordered[-1] * 1000:8.1f}"
        )


async def main(reviews: int) -> None:
    began = time.perf_counter()
    async with throwaway_stack() as (running, sandbox):
        print(f"stack started in {time.perf_counter() - began:.2f} s")
        assert running.dev_server is not None
        url = sandbox.url + EXAMPLES[0].path
        samples: dict[str, list[float]] = {
            "submit → requests posted": [],
            "click → message updated": [],
            "last click → owner told": [],
        }
        for n in range(reviews):
            await one_review(sandbox, url, n, samples)
        report(samples)
        print(f"bot process RSS (worker + bot + sandbox): {rss_mib(os.getpid()):.0f} MiB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak bot process RSS: {peak:.0f} MiB")
        print(f"Temporal dev server RSS: {rss_mib(running.dev_server.process.pid):.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=20, help="how many reviews to run")
    args = parser.parse_args()
    if args.reviews < 1:
        parser.error("--reviews must be at least 1")
    asyncio.run(main(args.reviews))
    sys.stdout.flush()
    # temporalio can abort during interpreter finalization (sdk-python#300); the numbers are out.
    os._exit(0)
