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
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.harness import BenchStack, bench_stack, rss_mib
from benchmarks.phases import (
    ACK_DEADLINE,
    ClickFate,
    Measured,
    bare_bolt_clicks,
    bare_updates,
    complete_noop_reviews,
    complete_reviews,
    decision_seconds,
    end_all,
    listing,
    open_noop_reviews,
    open_reviews,
    project_clicks,
)
from benchmarks.report import Row, cpu, ms, percentile, render, times
from bot.reviews.filters import PAGE_SIZE
from bot.reviews.follow_ups import FOLLOW_UP_SECONDS
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
    # A cache smaller than the open reviews: the RSS beyond the cache and replays are measured.
    "tiny": Sizes(
        open=6,
        clicks=[3],
        complete=3,
        concurrency=10,
        listing_repeats=2,
        settings={"worker_max_cached_workflows": 4},
    ),
    "small": Sizes(open=100, clicks=[50], complete=30, listing_repeats=10),
    "goal": Sizes(open=1000, clicks=[200, 1000], complete=500, repeat=1, listing_repeats=20),
}


async def run_suite(sizes: Sizes) -> str:
    """Run every measurement and return the table."""
    people = 2 * math.ceil(sum(sizes.clicks) * sizes.repeat / 2)
    load_at_start = _load()
    async with bench_stack(sizes.settings, people=people) as stack:
        rows: list[Row] = []
        # The anchor first, then ended (not timed) so that its workflows leave the cache.
        anchor_opened, handles = await open_noop_reviews(
            stack, min(sizes.open, 500), sizes.concurrency
        )
        await end_all(handles)
        cache = stack.settings.worker_max_cached_workflows
        opened, ids, memory = await _open(stack, sizes, cache)
        rows.append(_open_row(sizes, opened, anchor_opened))
        rows.append(_cpu_row(f"reviews opened ({sizes.open})", opened, anchor_opened))
        rows += _rss_rows(memory, cache, opened.load)
        rows += await _replay_rows(stack, ids, cache)
        _say("decisions on cached and evicted reviews timed")
        rows += await _listing_rows(stack, sizes, len(ids))
        rows += await _click_rows(stack, sizes)
        rows += await _complete_rows(stack, sizes)
        heading = (
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on"
            f" {os.cpu_count()} cores (load averages at the start: {load_at_start},"
            f" at the end: {_load()});"
            f" sizes: {sizes.open} open, clicks {sizes.clicks} x{sizes.repeat},"
            f" {sizes.complete} complete reviews; worker cache: {cache} reviews."
            " Clicks are sent with no limit on connections at once, each by its own person."
        )
        return render(rows, heading)


def _say(what: str) -> None:
    """Progress on stderr (a 10,000-review run takes a while); the table goes to stdout."""
    print(f"{time.strftime('%H:%M:%S')} load {_load()}: {what}", file=sys.stderr, flush=True)


def _load() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


async def _open(
    stack: BenchStack, sizes: Sizes, cache: int
) -> tuple[Measured, list[str], list[tuple[int, float]]]:
    """Open `sizes.open` reviews in steps, reading the RSS after each: (open count, MiB),
    starting with none open. The steps include the worker's cache size when more reviews
    are opened than it holds, so that the growth below and beyond it can be told apart."""
    steps = {sizes.open // 2, sizes.open}
    if 0 < cache < sizes.open:
        steps |= {cache, (cache + sizes.open) // 2}
    memory = [(0, _worker_and_bot_mib(stack))]
    ids: list[str] = []
    wall = load = 0.0
    by_process: dict[str, float] = {}
    for step in sorted(n for n in steps if n > 0):
        part, more = await open_reviews(stack, step - len(ids), sizes.concurrency)
        ids += more
        wall += part.values[0]
        for name, ms_per_op in part.extra["cpu_ms_by_process"].items():
            by_process[name] = by_process.get(name, 0.0) + ms_per_op * part.ops
        load = max(load, part.load)
        memory.append((len(ids), _worker_and_bot_mib(stack)))
        _say(f"{len(ids):,} reviews open, worker+bot {memory[-1][1]:,.0f} MiB")
    per_op = {name: total / max(len(ids), 1) for name, total in by_process.items()}
    opened = Measured([wall], len(ids), sum(per_op.values()), load)
    opened.extra["cpu_ms_by_process"] = per_op
    return opened, ids, memory


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


def _cpu_row(path: str, project: Measured, anchor: Measured | None) -> Row:
    """Where the CPU of one path goes: ms per operation in each process."""
    return Row(
        f"CPU ms per op by process: {path}",
        _by_process(project),
        _by_process(anchor) if anchor else "—",
        "—",
        "—",
        None,
        project.load,
        "—",
    )


def _by_process(measured: Measured) -> str:
    spent = measured.extra.get("cpu_ms_by_process", {})
    return ", ".join(f"{name} {ms:.1f}" for name, ms in spent.items() if ms >= 0.05) or "—"


def _worker_and_bot_mib(stack: BenchStack) -> float:
    """The worker's and the bot's processes' RSS."""
    return rss_mib(stack.worker.pid) + rss_mib(stack.bot.pid)


def _rss_rows(memory: list[tuple[int, float]], cache: int, load: float) -> list[Row]:
    """Per review while the worker caches every open review; the 10,000 projection bounded by
    the cache (the worker keeps at most `cache` reviews in memory, the rest wait in Temporal)
    plus, when more were opened than the cache holds, the growth measured beyond it; and that
    growth beside the growth below the cache."""
    before = memory[0][1]
    count, after = memory[-1]
    cached_count, cached_mib = max((m for m in memory if m[0] <= max(cache, 1)), default=memory[0])
    per_review = (cached_mib - before) / cached_count if cached_count else math.nan
    beyond = (after - cached_mib) / (count - cached_count) if count > cache else math.nan
    at_10k = before + per_review * min(10_000, cache)
    if count > cache:
        at_10k += beyond * max(10_000 - cache, 0)
        how = f"≤ {cache:,} cached, + growth beyond"
    else:
        how = f"≤ {cache:,} cached; growth beyond not measured"
    rows = [
        Row(
            f"worker+bot RSS at {count:,} open reviews",
            f"{after:,.0f} MiB ({per_review * 1024:,.0f} KiB per cached review)",
            f"{before:,.0f} MiB with none open",
            f"10,000 open ≈ {at_10k:,.0f} MiB ({how})",
            "10,000 open < 1 GB",
            at_10k < 1024,
            load,
            "—",
        )
    ]
    if count > cache:
        steps = " → ".join(f"{n:,}: {mib:,.0f}" for n, mib in memory)
        rows.append(
            Row(
                f"RSS beyond the cache ({cache:,} cached), {cached_count:,} → {count:,} open",
                f"{beyond * 1024:,.0f} KiB per review beyond (MiB at {steps})",
                f"{per_review * 1024:,.0f} KiB per review below",
                times(beyond, per_review),
                "≤ 0.25× (flat)",
                beyond <= 0.25 * per_review,
                load,
                "—",
            )
        )
    else:
        rows.append(
            Row(
                f"RSS beyond the cache ({cache:,} cached)",
                f"— ({count:,} open fit in the cache)",
                "—",
                "—",
                "≤ 0.25× (flat)",
                None,
                load,
                "—",
            )
        )
    return rows


REPLAY_SAMPLES = 10


async def _replay_rows(stack: BenchStack, ids: list[str], cache: int) -> list[Row]:
    """A decision on a review the worker still caches (the latest opened) beside one on a
    review it evicted (the first opened, when more were opened than it holds): the evicted
    one is replayed from its history first."""
    n = min(REPLAY_SAMPLES, max(len(ids) // 2, 1))
    load0 = os.getloadavg()[0]
    cached = await decision_seconds(stack, ids[-n:])
    evicted = await decision_seconds(stack, ids[:n]) if len(ids) > cache else []
    c50, c99 = percentile(cached, 0.5), percentile(cached, 0.99)
    if evicted:
        e50, e99 = percentile(evicted, 0.5), percentile(evicted, 0.99)
        project = f"{ms(e50)} / {ms(e99)} ({n} evicted)"
        ratio = times(e50, c50)
    else:
        project, ratio = f"— (all {len(ids):,} open are cached)", "—"
    return [
        Row(
            "decision on an evicted review (replay) p50 / p99",
            project,
            f"{ms(c50)} / {ms(c99)} cached ({n})",
            ratio,
            "—",
            None,
            max(load0, os.getloadavg()[0]),
            "—",
        )
    ]


COUNT_LINE = re.compile(r"([0-9][0-9,]*) open; showing ([0-9]+)[–-]([0-9]+)")


async def _listing_rows(stack: BenchStack, sizes: Sizes, open_count: int) -> list[Row]:
    alice = stack.roster.reviewer_a
    project: list[float] = []
    bare: list[float] = []
    loads, cpus, bare_cpus = [], [], []
    shown: dict[str, Any] = {}
    for _ in range(2):
        anchor = await listing(stack, alice, sizes.listing_repeats // 2 or 1, bare=True)
        measured = await listing(stack, alice, sizes.listing_repeats // 2 or 1, bare=False)
        bare += anchor.values
        project += measured.values
        loads.append(measured.load)
        cpus.append(measured.cpu_ms_per_op)
        bare_cpus.append(anchor.cpu_ms_per_op)
        shown = measured.extra
    p50, p99 = percentile(project, 0.5), percentile(project, 0.99)
    found = COUNT_LINE.search(str(shown.get("text", "")))
    total = int(found.group(1).replace(",", "")) if found else -1
    page = f"{found.group(2)}–{found.group(3)}" if found else "?"
    has_next = _has_next_button(shown.get("blocks") or [])
    pages_right = found is not None and (has_next or total <= PAGE_SIZE)
    return [
        Row(
            f"/schema-status listing p50 / p99, {open_count:,} open",
            f"{ms(p50)} / {ms(p99)}",
            f"{ms(percentile(bare, 0.5))} / {ms(percentile(bare, 0.99))}",
            times(p99, percentile(bare, 0.99)),
            "≤ 200 ms",
            p99 <= 0.2,
            max(loads),
            cpu(sum(cpus) / 2, sum(bare_cpus) / 2),
        ),
        Row(
            f"/schema-status count and pages, {open_count:,} open",
            f"says {total:,} open, shows {page}" + (", Next button" if has_next else ""),
            f"{open_count:,} open",
            "—",
            f"true count, pages of {PAGE_SIZE}",
            total == open_count and pages_right,
            max(loads),
            "—",
        ),
    ]


def _has_next_button(blocks: list[dict[str, Any]]) -> bool:
    for block in blocks:
        for element in block.get("elements") or [] if block.get("type") == "actions" else []:
            text = element.get("text") if isinstance(element, dict) else None
            if isinstance(text, dict) and str(text.get("text", "")).startswith("Next"):
                return True
    return False


async def _click_rows(stack: BenchStack, sizes: Sizes) -> list[Row]:
    # Reviews of their own for the bursts, each reviewer clicking once, so that what the bot
    # told a person is about one click.
    needed = math.ceil(sum(sizes.clicks) * sizes.repeat / 2)
    _, ids = await open_reviews(stack, needed, sizes.concurrency, rosters=stack.burst_roster)
    pool = []
    for n, workflow_id in enumerate(ids):
        roster = stack.burst_roster(n)
        pool += [(workflow_id, REVIEW_1A, roster.reviewer_a)]
        pool += [(workflow_id, REVIEW_1B, roster.reviewer_b)]
    rows: list[Row] = []
    for size in sizes.clicks:
        burst = Burst(size)
        for _ in range(sizes.repeat):
            targets, pool = pool[:size], pool[size:]
            bolt = await bare_bolt_clicks(stack, targets)
            update = await bare_updates(stack, size)
            project = await project_clicks(stack, targets, idle_limit=IDLE_LIMIT_SECONDS)
            _say(f"burst of {size} clicks followed to its end")
            burst.add(bolt, update, project, sizes.repeat)
        rows += burst.rows()
        rows.append(_cpu_row(f"a click, {size} concurrent", project, None))
    return rows


# How long a burst's follow-ups may take at most (they ask Temporal for FOLLOW_UP_SECONDS).
IDLE_LIMIT_SECONDS = FOLLOW_UP_SECONDS + 60


@dataclass
class Burst:
    """Every click of the bursts of one size, followed to its end."""

    size: int
    fates: list[ClickFate] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    bare_acks: list[float] = field(default_factory=list)
    updates: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    idle_after: list[float] = field(default_factory=list)
    in_flight_tasks: int = 0
    cpus: dict[str, float] = field(
        default_factory=lambda: {"bolt": 0.0, "update": 0.0, "project": 0.0}
    )

    def add(self, bolt: Measured, update: Measured, project: Measured, repeat: int) -> None:
        fates: list[ClickFate] = project.extra["fates"]
        left: int = project.extra["in_flight"]
        self.fates += fates
        self.kinds += [f.fate(still_working=left > 0) for f in fates]
        self.bare_acks += bolt.values
        self.updates += update.values
        self.loads.append(project.load)
        self.idle_after.append(project.extra["idle_after"])
        self.in_flight_tasks += left
        self.cpus["bolt"] += bolt.cpu_ms_per_op / repeat
        self.cpus["update"] += update.cpu_ms_per_op / repeat
        self.cpus["project"] += project.cpu_ms_per_op / repeat

    def count(self, kind: str) -> int:
        return sum(k == kind for k in self.kinds)

    def rows(self) -> list[Row]:
        size, fates, load = self.size, self.fates, max(self.loads)
        total = len(fates)
        acks = [f.ack_seconds if f.acked else max(f.ack_seconds, ACK_DEADLINE) for f in fates]
        acked = [f for f in fates if f.acked]
        accepted = [f.accepted_seconds for f in acked if f.accepted_seconds is not None]
        updated = [f.updated_seconds for f in acked if f.updated_seconds is not None]
        ack99, bare99 = percentile(acks, 0.99), percentile(self.bare_acks, 0.99)
        acc99, upd99 = percentile(accepted, 0.99), percentile(updated, 0.99)
        update99 = percentile(self.updates, 0.99)
        late = [f for f in fates if not f.acked]
        late_recorded = sum(f.recorded for f in late)
        bare_late = sum(a >= ACK_DEADLINE for a in self.bare_acks)
        in_flight = self.count("in flight")
        lost, told_false = self.count("lost"), self.count("told false")
        of = f"of {total:,}"
        clicks = cpu(self.cpus["project"], self.cpus["bolt"])
        return [
            Row(f"click ack p99, {size} concurrent", ms(ack99), ms(bare99), times(ack99, bare99),
                "≤ 1.2×", ack99 <= 1.2 * bare99, load, clicks),
            Row(f"clicks not acked within 3 s, {size}",
                f"{len(late)} {of} ({late_recorded} recorded anyway)", str(bare_late), "—", "0",
                not late, load, "—"),
            Row(f"click → decision accepted p99, {size}", ms(acc99), ms(update99),
                times(acc99, update99), "≤ 1.5×", acc99 <= 1.5 * update99, load,
                cpu(self.cpus["project"], self.cpus["update"])),
            Row(f"click → message updated p99, {size}", ms(upd99),
                f"accepted + 1 s = {ms(acc99 + 1)}", times(upd99, acc99 + 1),
                "≤ accepted + 1 s", upd99 <= acc99 + 1, load, "—"),
            Row(f"message path p50 / p99 from the click, {size}", _message_path(fates), "—", "—",
                "—", None, load, "—"),
            Row(f"clicks acked and recorded, {size}", f"{self.count('recorded')} {of}", "—", "—",
                "—", None, load, "—"),
            Row(f"clicks acked, told not recorded / not confirmed, {size}",
                f"{self.count('told not recorded')} / {self.count('told unknown')} {of}",
                "—", "—", "—", None, load, "—"),
            Row(f"clicks in flight at the end, {size}",
                f"{in_flight} {of} (bot idle after {max(self.idle_after):.1f} s,"
                f" {self.in_flight_tasks} tasks left)", "—", "—", "0",
                in_flight == 0 and self.in_flight_tasks == 0, load, "—"),
            Row(f"decisions LOST, {size} concurrent", f"{lost} {of}", "—", "—", "0",
                lost == 0, load, "—"),
            Row(f"reviewers TOLD FALSE, {size} concurrent", f"{told_false} {of}", "—", "—", "0",
                told_false == 0, load, "—"),
        ]  # fmt: skip


STEP_NAMES = {
    "recorded": "decision in the history",
    "task_started": "worker took it",
    "task_completed": "workflow task done",
    "activity_started": "message activity started",
    "activity_completed": "activity done",
    "shown": "message shown updated",
}


def _message_path(fates: list[ClickFate]) -> str:
    """Where the time goes between the click and the message shown updated: for each step of
    the path (MessagePath), p50 / p99 seconds after the click."""
    parts = []
    for step, name in STEP_NAMES.items():
        values = [f.steps[step] for f in fates if f.acked and step in f.steps]
        if values:
            p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
            parts.append(f"{name} {p50:.1f} / {p99:.1f} s")
    return "; ".join(parts) or "—"


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
        ),
        _cpu_row(f"a complete review ({sizes.complete})", project, anchor),
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
