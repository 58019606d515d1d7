"""Slack failing the bot's own calls: `users.info` answering 503 with a text body (a proxy's
page, not Slack's JSON), and `auth.test` failing right after the web process starts."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable

from temporalio.service import RPCError, RPCStatusCode

from bot.slack_app.services.workspace import SLACK_UNREACHABLE
from slack_presentation.review_actions import ACTION_APPROVE
from tests.faults.conftest import FaultRow
from tests.fixtures.bot_stack import posted_before_buttons_named_the_reviewer
from tests.fixtures.web_processes import WebStack
from tests.helpers import eventually
from workflow.models import workflow_id_for

PROXY_PAGE = "503 Service Unavailable"
# What the bot says when users.info never answered (slack_api.people).
WHO_ARE_YOU_UNANSWERED = "Slack did not answer when this app asked who you are"
OWNER_ID = "U0OWNER001"


async def _no_review(stack: WebStack, schema_id: str) -> bool:
    try:
        await stack.temporal.get_workflow_handle(workflow_id_for(schema_id)).describe()
    except RPCError as error:
        return error.status == RPCStatusCode.NOT_FOUND
    return False


async def test_users_info_503_with_a_text_body(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    clicks = await stack.review_clicks(4)
    for click in clicks:
        # Requests posted before buttons named their reviewer: each clicker is looked up.
        posted_before_buttons_named_the_reviewer(click.message)
    passing, failing = clicks[:6], clicks[6:]

    # A short outage: the bot's client retries it (as the worker's does), so nothing is lost.
    stack.standin.fail_next(
        "users.info", error="service_unavailable", status=503, text=PROXY_PAGE, times=2
    )
    recovered = await stack.burst(passing)

    async def retried_clicks_recorded() -> None:
        # Acknowledged once journalled: their lookups and signals follow the ack.
        for result in recovered:
            assert await stack.recorded(result.click)

    # Then the long outage, which must not meet their lookups.
    with contextlib.suppress(AssertionError):
        await eventually(retried_clicks_recorded, within=20)
    # A long one: the reviewer hears that nothing was recorded, and why.
    stack.standin.fail_next(
        "users.info", error="service_unavailable", status=503, text=PROXY_PAGE, times=1000
    )
    refused = await stack.burst(failing)
    schema_id = f"faults-{uuid.uuid4().hex[:8]}"
    before = len(stack.standin.ephemerals_for(OWNER_ID))
    command = await stack.standin.run_slash_command(
        OWNER_ID, "/submit-schema", f"{schema_id} 1 {stack.documents_url} During an outage"
    )

    async def told_everyone() -> None:
        for result in refused:
            assert any(WHO_ARE_YOU_UNANSWERED in t for t in stack.told(result.click))
        replies = [e.text for e in stack.standin.ephemerals_for(OWNER_ID)[before:]]
        assert any(WHO_ARE_YOU_UNANSWERED in t and "Not submitted" in t for t in replies)

    await eventually(told_everyone, within=20)
    stack.standin.faults.clear()
    recorded = [await stack.recorded(r.click) for r in [*recovered, *refused]]
    lost = sum(
        1
        for r, was_recorded in zip([*recovered, *refused], recorded, strict=True)
        if r.acknowledged
        and not was_recorded
        and not any(WHO_ARE_YOU_UNANSWERED in t for t in stack.told(r.click))
    )
    report_fault(
        FaultRow(
            "Slack users.info 503 with a text body",
            attempted=len(clicks) + 1,
            recorded=sum(recorded),
            lost=lost,
            duplicated=stack.duplicated_requests(),
            note=(
                f"{len(passing)} clicks in a 2-call outage recorded (retried);"
                f" {len(failing)} clicks and a /submit-schema in a long outage told"
                " nothing was recorded"
            ),
        )
    )
    assert all(r.acknowledged for r in [*recovered, *refused]) and command.status == 200
    assert recorded == [True] * len(passing) + [False] * len(failing)
    assert await _no_review(stack, schema_id)
    assert lost == 0


async def test_auth_test_failing_right_after_start(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    [early, *clicks] = await stack.review_clicks(7)
    assert stack.web is not None
    await stack.web.stop()
    earlier = len(stack.standin.calls_to("auth.test"))
    # Slack down as the web process starts: its auth.test at start fails (three tries).
    stack.standin.fail_next("auth.test", error="internal_error", times=1000)
    await stack.start_web()
    schema_id = f"faults-{uuid.uuid4().hex[:8]}"

    command, clicked = await asyncio.gather(
        stack.standin.run_slash_command(
            OWNER_ID, "/submit-schema", f"{schema_id} 1 {stack.documents_url} Auth down"
        ),
        stack.standin.click_button(
            early.user_id, early.message.channel, early.message.ts, ACTION_APPROVE
        ),
    )
    # Slack comes back, with one more failure that the retry absorbs, as a burst arrives.
    stack.standin.faults.clear()
    stack.standin.fail_next("auth.test", error="internal_error", times=1)
    results = await stack.burst(clicks)

    async def every_click_recorded() -> None:
        # Acknowledged once journalled: their signals follow the ack.
        for result in results:
            assert await stack.recorded(result.click)

    # A click still missing at the deadline is counted as lost below.
    with contextlib.suppress(AssertionError):
        await eventually(every_click_recorded, within=20)
    recorded = [await stack.recorded(r.click) for r in results]
    told = [t for r in results for t in stack.told(r.click)]
    auth_calls = [c.http_status for c in stack.standin.calls_to("auth.test")[earlier:]]
    report_fault(
        FaultRow(
            "Slack auth.test failing right after web starts",
            attempted=len(results) + 2,
            recorded=sum(recorded),
            lost=sum(
                1 for r, ok in zip(results, recorded, strict=True) if r.acknowledged and not ok
            ),
            duplicated=stack.duplicated_requests(),
            note=(
                "during the outage a /submit-schema is told Slack is unreachable and a click is"
                f" answered {clicked.status} (shown as failed); then {len(results)} clicks all"
                " recorded; nobody told to reinstall"
            ),
        )
    )
    # The command's answer is shown to the person; the click is answered with a failure, which
    # Slack shows on the button, rather than a 200 that drops it.
    assert (command.status, command.body) == (200, SLACK_UNREACHABLE)
    assert clicked.status == 503
    assert not await stack.recorded(early)
    assert await _no_review(stack, schema_id)
    assert all(r.acknowledged for r in results)
    assert all(recorded)
    assert not any("reinstall" in t.lower() for t in told)
    # Once known, the answer is kept: one successful auth.test for the whole burst.
    assert auth_calls.count(200) == 1 and auth_calls[-1] == 200
