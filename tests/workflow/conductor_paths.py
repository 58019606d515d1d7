"""Walks the Conductor definition and yields every path through one DO_WHILE iteration.

The workflow tests are parametrized over these paths, so the tests fail when the definition and
the Temporal workflow drift apart.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFINITION = Path(__file__).parents[2] / "conductor-definitions" / "review_approval.json"


@dataclass(frozen=True)
class Step:
    """A SIMPLE task (case None) or the branch a SWITCH took (case "YES", "NO", "default")."""

    ref: str
    name: str
    case: str | None = None

    def __str__(self) -> str:
        return self.ref if self.case is None else f"{self.ref}={self.case}"


@dataclass(frozen=True)
class ConductorPath:
    steps: tuple[Step, ...]

    @property
    def completes(self) -> bool:
        """Reaching CompleteReview sets `approved`, which ends the DO_WHILE loop."""
        return any(step.name == "CompleteReview" for step in self.steps)

    def simple_tasks(self) -> list[Step]:
        return [step for step in self.steps if step.case is None]

    def cases(self) -> list[str]:
        return [str(step) for step in self.steps if step.case is not None]

    def __str__(self) -> str:
        return " > ".join(str(step) for step in self.steps)


def load_definition() -> dict[str, Any]:
    return json.loads(DEFINITION.read_text())


def iteration_paths(definition: dict[str, Any]) -> list[ConductorPath]:
    loops = [task for task in definition["tasks"] if task["type"] == "DO_WHILE"]
    if len(loops) != 1 or len(definition["tasks"]) != 1:
        raise ValueError("expected the whole workflow to be one DO_WHILE loop")
    return [ConductorPath(steps) for steps in _walk(loops[0]["loopOver"])]


def _walk(tasks: list[dict[str, Any]]) -> list[tuple[Step, ...]]:
    paths: list[tuple[Step, ...]] = [()]
    for task in tasks:
        branches = _branches(task)
        paths = [path + branch for path in paths for branch in branches]
    return paths


def _branches(task: dict[str, Any]) -> list[tuple[Step, ...]]:
    kind = task["type"]
    if kind == "SIMPLE":
        return [(Step(task["taskReferenceName"], task["name"]),)]
    if kind == "JOIN":
        return [()]
    if kind == "FORK_JOIN":
        # Forked branches all run: one path per combination of each branch's paths.
        per_branch = [_walk(branch) for branch in task["forkTasks"]]
        return [tuple(itertools.chain(*combo)) for combo in itertools.product(*per_branch)]
    if kind == "SWITCH":
        ref = task["taskReferenceName"]
        cases = [*task.get("decisionCases", {}).items(), ("default", task.get("defaultCase", []))]
        return [
            (Step(ref, task["name"], case), *rest) for case, body in cases for rest in _walk(body)
        ]
    raise ValueError(f"the walker does not know Conductor task type {kind} ({task['name']})")
