"""Every corpus case through a real review: the earlier versions approved in the store, the
new one submitted, and the `status` query's `compatibility` checked against the reference
tool's verdict. All cases run at once on one worker."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHandle

from tests.fixtures.compatibility_corpus import CASES, Case
from tests.helpers import eventually
from tests.workflow.compatibility_runs import upload_stack
from tests.workflow.review_harness import status_of
from workflow.models import ReviewStatus


async def verdict_of(handle: WorkflowHandle[Any, Any]) -> ReviewStatus:
    async def check() -> ReviewStatus:
        status = await status_of(handle)
        assert status.state == "awaiting_review", (status.state, status.history[-1].text)
        return status

    return await eventually(check, within=90)


async def test_every_case_gets_the_reference_verdict_in_the_status(
    temporal_client: Client, tmp_path: Path
) -> None:
    async with upload_stack(temporal_client, tmp_path) as stack:
        handles: list[tuple[Case, WorkflowHandle[Any, Any]]] = []
        for case in CASES:
            schema_id = f"corpus-{case.name}"
            stack.approve_earlier(schema_id, case.extension, case.documents[:-1])
            handle = await stack.submit(
                schema_id, case.version, case.documents[-1], case.extension, case.mode
            )
            handles.append((case, handle))
        statuses = await asyncio.gather(*(verdict_of(handle) for _, handle in handles))

    wrong = []
    for (case, _), status in zip(handles, statuses, strict=True):
        verdict = status.compatibility
        assert verdict is not None, case.name
        assert (verdict.mode, verdict.against_version) == (case.mode, case.version - 1)
        if verdict.compatible != case.compatible:
            wrong.append(f"{case.name}: {verdict}")
            continue
        routed = any("Compliance review (Review3) is required" in e.text for e in status.history)
        assert routed is not case.compatible, case.name
        if case.compatible:
            assert verdict.problems == [], case.name
        else:
            assert verdict.problems, case.name
            assert any(re.search(rf"\b{case.field}\b", p) for p in verdict.problems), (
                case.name,
                verdict.problems,
            )
    assert wrong == []
