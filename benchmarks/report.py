"""The table: each path of the project beside its anchor measured in the same run, as a ratio,
with the goal, the load average when it was measured and the CPU per operation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    ordered = sorted(v for v in values if not math.isnan(v))
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Row:
    path: str
    project: str
    anchor: str
    ratio: str
    goal: str
    met: bool | None
    load: float
    cpu: str


def ms(seconds: float) -> str:
    return "—" if math.isnan(seconds) else f"{seconds * 1000:,.0f} ms"


def times(project: float, anchor: float) -> str:
    if math.isnan(project) or math.isnan(anchor) or anchor <= 0:
        return "—"
    return f"{project / anchor:.2f}×"


def cpu(project: float, anchor: float | None = None) -> str:
    return f"{project:.1f}" if anchor is None else f"{project:.1f} / {anchor:.1f}"


def render(rows: Sequence[Row], heading: str) -> str:
    header = ("path", "project", "anchor", "ratio", "goal", "met", "load", "CPU ms/op")
    lines = [heading, "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        met = "—" if r.met is None else ("yes" if r.met else "NO")
        cells = (r.path, r.project, r.anchor, r.ratio, r.goal, met, f"{r.load:.2f}", r.cpu)
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "ratio: project ÷ anchor. load: 1-minute load average at the end of the project's run.",
        "CPU ms/op: the worker's, the bot's and the bare Bolt app's processes, this one (the",
        "Slack sandbox, the anchors' worker) and the Temporal server, per operation,",
        "project / anchor.",
    ]
    return "\n".join(lines)
