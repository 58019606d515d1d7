"""With LOG_FORMAT=json, an operator follows one click from the web process's log to the
worker's by its `click_id`, and every line either process writes is one JSON object."""

from __future__ import annotations

import json
from typing import Any

from tests.fixtures.procfile_process import ProcfileProcess
from tests.fixtures.web_processes import WebStack
from tests.helpers import eventually


def json_lines(process: ProcfileProcess) -> list[dict[str, Any]]:
    """Every complete line of the process's output, each of which must be a JSON object."""
    complete = process.output().rpartition("\n")[0]
    lines = []
    for line in complete.splitlines():
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError:
            raise AssertionError(
                f"{process.name} wrote a line that is not JSON: {line!r}"
            ) from None
    return lines


async def test_a_click_is_followed_from_web_to_worker_by_its_click_id(
    json_logging_web_stack: WebStack,
) -> None:
    stack = json_logging_web_stack
    assert stack.web is not None and stack.worker is not None
    web, worker = stack.web, stack.worker
    click, _ = await stack.review_clicks(1)

    result = await stack.click(click)

    assert result.acknowledged

    async def recorded() -> None:
        assert await stack.recorded(click), "the review has not recorded the click yet"

    await eventually(recorded, within=20.0)

    async def web_logged() -> dict[str, Any]:
        mine = [
            line
            for line in json_lines(web)
            if line.get("workflow_id") == click.workflow_id and line.get("click_id")
        ]
        assert mine, "the web process has not logged the click yet"
        return mine[0]

    web_line = await eventually(web_logged, within=20.0)
    assert web_line["slack_user_id"] == click.user_id
    click_id = web_line["click_id"]

    async def worker_logged() -> list[dict[str, Any]]:
        mine = [line for line in json_lines(worker) if line.get("click_id") == click_id]
        assert mine, f"the worker has not logged click {click_id} yet"
        return mine

    worker_lines = await eventually(worker_logged, within=20.0)
    assert {line["workflow_id"] for line in worker_lines} == {click.workflow_id}
    assert all(line["run_id"] for line in worker_lines)
    assert any("accepted" in line["message"] for line in worker_lines)
    for line in (web_line, *worker_lines):
        assert {"time", "level", "logger", "message"} <= line.keys()
