"""Requests the web process must refuse without changing anything: a correctly signed request
whose timestamp does not read as Slack's, and a genuine request from another workspace."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

import aiohttp
from temporalio.service import RPCError, RPCStatusCode

from bot.slack_app.services.workspace import OTHER_WORKSPACE
from slack_presentation.review_actions import ACTION_APPROVE
from slack_sandbox import app_requests as payloads
from slack_sandbox.interactions import sign, source_buttons
from tests.faults.conftest import FaultRow
from tests.fixtures.web_processes import Click, WebStack
from workflow.models import workflow_id_for

OTHER_TEAM = "T0ELSEWHERE"
OWNER_ID = "U0OWNER001"


def click_payload(stack: WebStack, click: Click) -> dict[str, object]:
    """The block_actions payload Slack sends for this click."""
    user = stack.standin.state.users.require(click.user_id)
    block_id, button = next(
        (b, e) for b, e in source_buttons(click.message) if e.get("action_id") == ACTION_APPROVE
    )
    return payloads.block_actions(
        user=user,
        channel=stack.standin.state.channels[click.message.channel],
        source=click.message,
        block_id=block_id,
        button=button,
        trigger_id=stack.standin.issue_trigger(user.id),
        response_url=f"{stack.standin.url}/response/unused",
    )


async def post_signed(stack: WebStack, body: str, timestamp: str) -> tuple[int, str]:
    """POST `body` signed with the real signing secret over exactly this timestamp."""
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sign(stack.standin.signing_secret, timestamp, body),
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(stack.events_url, data=body, headers=headers) as response,
    ):
        return response.status, await response.text()


async def test_signed_requests_with_unreadable_timestamps_are_refused(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    [click, *_] = await stack.review_clicks(1)
    body = urlencode({"payload": json.dumps(click_payload(stack, click))})
    now = int(time.time())
    stamps = ["not-a-number", f"{now}.5", "", f"{now}e0", f"-{now}"]

    statuses = [(await post_signed(stack, body, stamp))[0] for stamp in stamps]

    recorded = await stack.recorded(click)
    # Lost: answered 200 (Slack believes it counted), yet not recorded and nobody told.
    told = bool(stack.told(click))
    lost = 0 if recorded or told else statuses.count(200)
    report_fault(
        FaultRow(
            "signed request with a non-numeric, fractional or empty timestamp",
            attempted=len(stamps),
            recorded=int(recorded),
            lost=lost,
            duplicated=stack.duplicated_requests(),
            note=f"answered {sorted(set(statuses))}",
        )
    )
    assert statuses == [401] * len(stamps)
    assert not recorded
    # The same click with a proper timestamp is Slack's, and counts.
    assert (await post_signed(stack, body, str(now)))[0] == 200


async def test_a_genuine_request_from_another_workspace_changes_nothing(
    web_stack: WebStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack = web_stack
    [click, *_] = await stack.review_clicks(1)
    payload = click_payload(stack, click)
    payload["team"] = {"id": OTHER_TEAM, "domain": "elsewhere"}
    payload["user"] = {**payload["user"], "team_id": OTHER_TEAM}  # type: ignore[dict-item]
    now = str(int(time.time()))
    clicked = await post_signed(stack, urlencode({"payload": json.dumps(payload)}), now)
    schema_id = f"faults-{uuid.uuid4().hex[:8]}"
    owner = stack.standin.state.users.require(OWNER_ID)
    command = payloads.slash_command(
        user=owner,
        channel=stack.standin.state.channels[stack.standin.dm_channel_of(OWNER_ID)],
        command="/submit-schema",
        text=f"{schema_id} 1 {stack.documents_url} From elsewhere",
        response_url=f"{stack.standin.url}/response/unused",
        trigger_id=stack.standin.issue_trigger(OWNER_ID),
    )
    command["team_id"] = OTHER_TEAM
    commanded = await post_signed(stack, urlencode(command), now)

    recorded = await stack.recorded(click)
    # Describe, not the visibility list: that is eventually consistent, and would show nothing
    # for a review started a moment ago.
    started = await _exists(stack, workflow_id_for(schema_id))
    # Lost: answered 200 (Slack believes it counted), yet neither done nor explained.
    lost = int(clicked[0] == 200 and not recorded and not stack.told(click))
    lost += int(commanded[0] == 200 and not started and OTHER_WORKSPACE not in commanded[1])
    report_fault(
        FaultRow(
            "genuine click and /submit-schema from another workspace",
            attempted=2,
            recorded=int(recorded) + int(started),
            lost=lost,
            duplicated=stack.duplicated_requests(),
            note=f"click answered {clicked[0]}; command answered with a sentence",
        )
    )
    assert clicked[0] == 403
    assert commanded == (200, OTHER_WORKSPACE)
    assert not recorded and not started
    assert stack.told(click) == []


async def _exists(stack: WebStack, workflow_id: str) -> bool:
    try:
        await stack.temporal.get_workflow_handle(workflow_id).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True
