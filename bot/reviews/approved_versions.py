"""The approved versions of a schema: each approval completed a review run, whose result (the
workflow's `ReviewResult`) names the version, its digest and the decisions that approved it.

Read from Temporal rather than the schema store, which only the workers mount.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from temporalio.client import Client

from bot.reviews.lookup import ANY_FAILURE, TEMPORAL_TIMEOUT, check_unavailable
from workflow.models import WORKFLOW_TYPE, ReviewResult, workflow_id_for
from workflow.read_models import ApprovedVersion, approved_version

log = logging.getLogger(__name__)

SHOWN_APPROVALS = 5


async def approved_versions(
    client: Client,
    schema_id: str,
    limit: int = SHOWN_APPROVALS,
    within: timedelta = TEMPORAL_TIMEOUT,
) -> list[ApprovedVersion] | None:
    """The latest approvals, newest first; None when Temporal could not tell (the status is
    shown without them rather than not at all)."""
    query = (
        f"WorkflowType = '{WORKFLOW_TYPE}' AND WorkflowId = '{workflow_id_for(schema_id)}'"
        " AND ExecutionStatus = 'Completed'"
    )
    found: list[ApprovedVersion] = []
    try:
        async with asyncio.timeout(within.total_seconds()):
            async for execution in client.list_workflows(query, limit=limit, rpc_timeout=within):
                handle = client.get_workflow_handle(
                    execution.id, run_id=execution.run_id, result_type=ReviewResult
                )
                result = await handle.result(follow_runs=False, rpc_timeout=within)
                if (approved := approved_version(result)) is not None:
                    found.append(approved)
    except ANY_FAILURE as error:
        check_unavailable(error)
        log.warning("Could not read the approved versions of %s: %r", schema_id, error)
        return None
    return sorted(found, key=lambda a: a.version, reverse=True)
