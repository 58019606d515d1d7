"""The benchmark suite: the project and its anchors measured in the same run, interleaved.

    uv run python -m benchmarks                      # small sizes (a minute or two)
    uv run python -m benchmarks --size goal          # the goal's sizes (200 and 1,000 clicks,
                                                     # 500 reviews, 1,000 open)
    uv run python -m benchmarks --open 10000 --clicks 200 --complete 100

Anchors: a Bolt app that only acknowledges (clicks, the listing command), a bare
`execute_update` on a trivial workflow (decisions), and a no-op workflow with a review's shape,
4 activities and 4 updates (opening and completing reviews).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.harness import BenchStack, bench_stack, deep_size_mib, rss_mib
from benchmarks.phases import (
    ACK_DEADLINE,
    Measured,
    bare_bolt_clicks,
    bare_updates,
    complete_noop_reviews,
    complete_reviews,
    end_all,
    listing,
    open_noop_reviews,
    open_reviews,
    project_clicks,
)
from benchmarks.report import Row, cpu, ms, percentile, render, times
from workflow.models import REVIEW_1A, REVIEW_1B


@dataclass
class Sizes:
    open: int
    clicks: list[int]
    complete: int
    repeat: int = 1
    concurrency: int = 50
    listing_repeats: int = 10
    settings: dict[str, Any] = field(default_factory=dict)


PRESETS = {
    "tiny": Sizes(open=6, clicks=[3], complete=3, concurrency=10, listing_repeats=2),
    "small": Sizes(open=100, clicks=[50], complete=30, listing_repeats=10),
    "goal": Sizes(open=1000, clicks=[200, 1000], complete=500, repeat=1, listing_repeats=20),
}


async def run_suite(sizes: Sizes) -> str:
    """Run every measurement and return the table."""
    async with bench_stack(sizes.settings) as stack:
        rows: list[Row] = []
        # The anchor first, then ended (not timed) so that its workflows leave the cache.
        anchor_opened, handles = await open_noop_reviews(
            stack, min(sizes.open, 500), sizes.concurrency
        )
        await end_all(handles)
        before = _worker_and_bot_mib(stack)
        opened, ids = await _open(stack, sizes)
        after = _worker_and_bot_mib(stack)
        rows.append(_open_row(sizes, opened, anchor_opened))
        rows.append(_rss_row(len(ids), before, after, opened.load))
        rows += await _listing_rows(stack, sizes)
        rows += await _click_rows(stack, sizes, ids)
        rows += await _complete_rows(stack, sizes)
        heading = (
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on"
            f" {os.cpu_count()} cores; sizes: {sizes.open} open, clicks {sizes.clicks}"
            f" x{sizes.repeat}, {sizes.complete} complete reviews."
        )
        return render(rows, heading)


async def _open(stack: BenchStack, sizes: Sizes) -> tuple[Measured, list[str]]:
    project, ids = await open_reviews(stack, sizes.open, sizes.concurrency)
    # More open reviews when the bursts need more clicks than these reviews offer.
    needed = math.ceil(sum(sizes.clicks) * sizes.repeat / 2) - len(ids)
    if needed > 0:
        _, more = await open_reviews(stack, needed, sizes.concurrency)
        ids += more
    return project, ids


def _open_row(sizes: Sizes, project: Measured, anchor: Measured) -> Row:
    rate = project.ops / project.values[0]
    floor = anchor.ops / anchor.values[0]
    return Row(
        f"reviews opened per second ({sizes.open})",
        f"{rate:.1f}/s",
        f"{floor:.1f}/s",
        times(rate, floor),
        "≥ 25/s",
        rate >= 25,
        project.load,
        cpu(project.cpu_ms_per_op, anchor.cpu_ms_per_op),
    )


def _worker_and_bot_mib(stack: BenchStack) -> float:
    """The process's RSS less what the Slack sandbox keeps (it is Slack, not the bot)."""
    gc.collect()
    return rss_mib() - deep_size_mib(stack.sandbox.state)


def _rss_row(count: int, before: float, after: float, load: float) -> Row:
    per_review = (after - before) / count
    at_10k = before + per_review * 10_000
    return Row(
        f"worker+bot RSS at {count:,} open reviews",
        f"{after:,.0f} MiB ({per_review * 1024:,.0f} KiB per review)",
        f"{before:,.0f} MiB with none open",
        f"10,000 open ≈ {at_10k:,.0f} MiB",
        "10,000 open < 1 GB",
        at_10k < 1024,
        load,
        "—",
    )


async def _listing_rows(stack: BenchStack, sizes: Sizes) -> list[Row]:
    alice = stack.roster.reviewer_a
    project: list[float] = []
    bare: list[float] = []
    loads, cpus, bare_cpus = [], [], []
    for _ in range(2):
        anchor = await listing(stack, alice, sizes.listing_repeats // 2 or 1, bare=True)
        measured = await listing(stack, alice, sizes.listing_repeats // 2 or 1, bare=False)
        bare += anchor.values
        project += measured.values
        loads.append(measured.load)
        cpus.append(measured.cpu_ms_per_op)
        bare_cpus.append(anchor.cpu_ms_per_op)
    p50, p99 = percentile(project, 0.5), percentile(project, 0.99)
    return [
        Row(
            f"/schema-status listing p50 / p99, {sizes.open:,} open",
            f"{ms(p50)} / {ms(p99)}",
            f"{ms(percentile(bare, 0.5))} / {ms(percentile(bare, 0.99))}",
            times(p99, percentile(bare, 0.99)),
            "≤ 200 ms",
            p99 <= 0.2,
            max(loads),
            cpu(sum(cpus) / 2, sum(bare_cpus) / 2),
        )
    ]


async def _click_rows(stack: BenchStack, sizes: Sizes, ids: list[str]) -> list[Row]:
    pool = [(w, REVIEW_1A, stack.roster.reviewer_a) for w in ids]
    pool += [(w, REVIEW_1B, stack.roster.reviewer_b) for w in ids]
    rows: list[Row] = []
    for size in sizes.clicks:
        acks, bare_acks, updates, accepted, updated, lost = [], [], [], [], [], 0
        loads, cpus = [], {"bolt": 0.0, "update": 0.0, "project": 0.0}
        for _ in range(sizes.repeat):
            targets, pool = pool[:size], pool[size:]
            bolt = await bare_bolt_clicks(stack, targets)
            update = await bare_updates(stack, size)
            project = await project_clicks(stack, targets, settle=max(30.0, size * 0.1))
            bare_acks += bolt.values
            updates += update.values
            acks += project.values
            got = project.extra["accepted"]
            accepted += [a for a in got if a is not None]
            lost += sum(a is None for a in got)
            updated += [u if u is not None else math.nan for u in project.extra["updated"]]
            loads.append(project.load)
            cpus["bolt"] += bolt.cpu_ms_per_op / sizes.repeat
            cpus["update"] += update.cpu_ms_per_op / sizes.repeat
            cpus["project"] += project.cpu_ms_per_op / sizes.repeat
        rows += _burst_rows(size, acks, bare_acks, updates, accepted, updated, lost, loads, cpus)
    return rows


def _burst_rows(
    size: int,
    acks: list[float],
    bare_acks: list[float],
    updates: list[float],
    accepted: list[float],
    updated: list[float],
    lost: int,
    loads: list[float],
    cpus: dict[str, float],
) -> list[Row]:
    load = max(loads)
    ack99, bare99 = percentile(acks, 0.99), percentile(bare_acks, 0.99)
    acc99, upd99 = percentile(accepted, 0.99), percentile(updated, 0.99)
    update99 = percentile(updates, 0.99)
    late = sum(a >= ACK_DEADLINE for a in acks)
    bare_late = sum(a >= ACK_DEADLINE for a in bare_acks)
    clicks = cpu(cpus["project"], cpus["bolt"])
    return [
        Row(f"click ack p99, {size} concurrent", ms(ack99), ms(bare99), times(ack99, bare99),
            "≤ 1.2×", ack99 <= 1.2 * bare99, load, clicks),
        Row(f"clicks acked after 3 s, {size}", str(late), str(bare_late), "—", "0",
            late == 0, load, "—"),
        Row(f"click → decision accepted p99, {size}", ms(acc99), ms(update99),
            times(acc99, update99), "≤ 1.5×", acc99 <= 1.5 * update99, load,
            cpu(cpus["project"], cpus["update"])),
        Row(f"click → message updated p99, {size}", ms(upd99), f"accepted + 1 s = {ms(acc99 + 1)}",
            times(upd99, acc99 + 1), "≤ accepted + 1 s", upd99 <= acc99 + 1, load, "—"),
        Row(f"decisions lost, {size} concurrent", f"{lost} of {len(acks)}", "—", "—", "0",
            lost == 0, load, "—"),
    ]  # fmt: skip


async def _complete_rows(stack: BenchStack, sizes: Sizes) -> list[Row]:
    anchor = await complete_noop_reviews(stack, sizes.complete, sizes.concurrency)
    project = await complete_reviews(stack, sizes.complete, sizes.concurrency)
    wall, floor = project.values[0], anchor.values[0]
    return [
        Row(
            f"{sizes.complete} complete reviews, wall time",
            f"{wall:.1f} s",
            f"{floor:.1f} s",
            times(wall, floor),
            "≤ 1.5×",
            wall <= 1.5 * floor,
            project.load,
            cpu(project.cpu_ms_per_op, anchor.cpu_ms_per_op),
        )
    ]


def parse_sizes(argv: list[str] | None = None) -> Sizes:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(PRESETS), default="small")
    parser.add_argument("--open", type=int, help="open reviews to hold (and list)")
    parser.add_argument("--clicks", type=str, help="burst sizes, comma-separated: 200,1000")
    parser.add_argument("--complete", type=int, help="whole reviews to run")
    parser.add_argument("--repeat", type=int, help="how many bursts of each size")
    parser.add_argument("--concurrency", type=int, help="reviews started at once")
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the stack, e.g. worker_max_cached_workflows=2000 (repeatable)",
    )
    args = parser.parse_args(argv)
    preset = PRESETS[args.size]
    sizes = Sizes(**{**preset.__dict__, "settings": dict(preset.settings)})
    for name in ("open", "complete", "repeat", "concurrency"):
        if (value := getattr(args, name)) is not None:
            if value < 1:
                parser.error(f"--{name} must be at least 1")
            setattr(sizes, name, value)
    if args.clicks:
        try:
            sizes.clicks = [int(c) for c in args.clicks.split(",")]
        except ValueError:
            parser.error("--clicks must be whole numbers separated by commas, e.g. 200,1000")
        if any(c < 1 for c in sizes.clicks):
            parser.error("--clicks must be at least 1 each")
    for setting in args.setting:
        name, _, value = setting.partition("=")
        if not name.strip() or not value.strip():
            parser.error("--setting takes NAME=VALUE, e.g. worker_max_cached_workflows=2000")
        sizes.settings[name.strip().lower()] = value.strip()
    return sizes
