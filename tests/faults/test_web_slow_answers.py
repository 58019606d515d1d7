"""A decision or submission Temporal is slow to answer: the person hears "being recorded" /
"being submitted", then what became of it, from the same process, or, when a deploy stops the
process first, that it is not confirmed yet and how to check, before the process exits."""

from __future__ import annotations

import asyncio
import signal
import uuid
from collections.abc import Callable

from temporalio.service import RPCError, RPCStatusCode

from bot.reviews.decisions import DECISION_PENDING, NOT_CONFIRMED_YET
from bot.slack_app.services.submit_replies import BEING_SUBMITTED
from bot.slack_app.services.submit_replies import NOT_CONFIRMED_YET as NOT_CONFIRMED_YET_SUBMISSION
from tests.faults.conftest import FaultRow
from tests.fixtures.web_processes import Click, WebStack
from tests.helpers import eventually
from workflow.models import workflow_id_for

OWNER_ID = "U0OWNER001"

# The first try waits 15 s for the workflow's answer before "being recorded".
PENDING_WITHIN = 30.0


async def _pending_click(stack: WebStack) -> Click:
    """A click while no worker runs: Temporal takes the update and nobody answers it."""
    [click, _] = await stack.review_clicks(1)
    assert stack.worker is not None
    await stack.worker.stop(signal.SIGTERM)
    result = await stack.click(click)
    assert result.acknowledged

    async def told_pending() -> None:
        assert stack.told(click) == [DECISION_PENDING]

    await eventually(told_pending, within=PENDING_WITHIN, interval=0.2)
    return click


async def test_being_recorded_is_followed_by_recorded(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    click = await _pending_click(stack)

    await stack.start_worker()

    async def told_outcome() -> None:
        assert len(stack.told(click)) == 2

    await eventually(told_outcome, within=60, interval=0.2)
    told = stack.told(click)
    recorded = await stack.recorded(click)
    report_fault(
        FaultRow(
            "a click while the worker is down, worker started after 'being recorded'",
            attempted=1,
            recorded=int(recorded),
            lost=int(not recorded),
            duplicated=stack.duplicated_requests(),
            note=f"told: {' / '.join(t.split(':')[0] for t in told)}",
        )
    )
    assert told[0] == DECISION_PENDING
    assert told[1].startswith("Recorded:"), told
    assert recorded


async def test_a_deploy_tells_a_pending_reviewer_the_decision_is_not_confirmed_yet(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    click = await _pending_click(stack)
    assert stack.web is not None
    loop = asyncio.get_running_loop()
    signalled = loop.time()

    # Within the 30 s a platform waits before SIGKILL, or `stop` fails the test.
    exit_code = await stack.web.stop(signal.SIGTERM, within=30.0)

    stopped_after = loop.time() - signalled
    told = stack.told(click)
    # The update may have been taken or dropped with the process; a worker says which.
    await stack.start_worker()
    recorded = await stack.recorded(click)
    report_fault(
        FaultRow(
            "web SIGTERM while a decision waits for Temporal",
            attempted=1,
            recorded=int(recorded),
            lost=int(not recorded and NOT_CONFIRMED_YET not in told),
            duplicated=stack.duplicated_requests(),
            note=f"exit {exit_code} after {stopped_after:.1f} s; {len(told)} replies before it",
        )
    )
    assert exit_code == 0, stack.web.output()
    assert told == [DECISION_PENDING, NOT_CONFIRMED_YET]


async def test_a_deploy_tells_a_pending_submitter_to_check_before_submitting_again(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    schema_id = f"faults-{uuid.uuid4().hex[:10]}"
    assert stack.worker is not None and stack.web is not None
    await stack.worker.stop(signal.SIGTERM)

    def told() -> list[str]:
        return [e.text for e in stack.standin.ephemerals_for(OWNER_ID) if schema_id in e.text]

    await stack.standin.run_slash_command(
        OWNER_ID, "/submit-schema", f"{schema_id} 1 {stack.documents_url}"
    )

    async def told_pending() -> None:
        assert told() == [BEING_SUBMITTED.format(version=1, schema=schema_id)]

    await eventually(told_pending, within=PENDING_WITHIN, interval=0.2)
    loop = asyncio.get_running_loop()
    signalled = loop.time()
    exit_code = await stack.web.stop(signal.SIGTERM, within=30.0)
    stopped_after = loop.time() - signalled
    await stack.start_worker()
    pending = BEING_SUBMITTED.format(version=1, schema=schema_id)
    unconfirmed = NOT_CONFIRMED_YET_SUBMISSION.format(version=1, schema=schema_id)
    report_fault(
        FaultRow(
            "web SIGTERM while a submission waits for Temporal",
            attempted=1,
            recorded=int(await _review_exists(stack, schema_id)),
            lost=int(
                NOT_CONFIRMED_YET_SUBMISSION.format(version=1, schema=schema_id) not in told()
            ),
            duplicated=stack.duplicated_requests(),
            note=f"exit {exit_code} after {stopped_after:.1f} s",
        )
    )
    assert exit_code == 0, stack.web.output()
    assert told() == [pending, unconfirmed]


async def _review_exists(stack: WebStack, schema_id: str) -> bool:
    try:
        await stack.temporal.get_workflow_handle(workflow_id_for(schema_id)).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True
