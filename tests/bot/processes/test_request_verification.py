"""Every request from Slack is verified with the signing secret before anything happens."""

from __future__ import annotations

import time

import aiohttp
import pytest

from bot.processes.web import RETRY_HEADER
from slack_presentation.review_actions import ACTION_APPROVE
from slack_sandbox.interactions import sign
from slack_sandbox.users import TEAM_ID
from tests.bot.slack_app.home_runs import home_opened_body
from tests.fixtures.bot_stack import BotStack, buttons
from tests.helpers import eventually

ALICE = "alice@example.com"


async def alice_click(stack: BotStack) -> tuple[str, str]:
    """A review waiting for alice, and the body her Approve click sends: (workflow id, body)."""
    workflow_id = await stack.submit()
    message = await stack.review_message(ALICE)
    return workflow_id, stack.click_body(ALICE, message, ACTION_APPROVE)


async def assert_nothing_happened(stack: BotStack, workflow_id: str) -> None:
    assert stack.standin.calls_to("users.info") == []
    assert stack.standin.ephemerals_for(stack.user_id(ALICE)) == []
    status = await stack.status(workflow_id)
    assert status.decisions == [] and status.state == "awaiting_review"


async def test_a_correctly_signed_click_is_accepted(bot_stack: BotStack) -> None:
    """The control for the tests below: the same click, signed properly, is recorded."""
    workflow_id, body = await alice_click(bot_stack)

    assert await bot_stack.post_to_bot(body) == 200

    async def recorded() -> None:
        assert [d.reviewer for d in (await bot_stack.status(workflow_id)).decisions] == [ALICE]

    await eventually(recorded)


async def test_forged_signature_is_refused(bot_stack: BotStack) -> None:
    workflow_id, body = await alice_click(bot_stack)
    stamp = int(time.time())

    forged = sign("a-guessed-secret", str(stamp), body)
    assert await bot_stack.post_to_bot(body, timestamp=stamp, signature=forged) == 401

    await assert_nothing_happened(bot_stack, workflow_id)


@pytest.mark.parametrize("age_seconds", [6 * 60, -6 * 60])
async def test_stale_or_future_timestamp_is_refused(bot_stack: BotStack, age_seconds: int) -> None:
    """Slack's replay window is five minutes; a correctly signed old request is a replay."""
    workflow_id, body = await alice_click(bot_stack)

    assert await bot_stack.post_to_bot(body, timestamp=int(time.time()) - age_seconds) == 401

    await assert_nothing_happened(bot_stack, workflow_id)


async def test_tampered_body_is_refused(bot_stack: BotStack) -> None:
    """A captured click replayed with another body keeps a signature that no longer fits."""
    workflow_id, body = await alice_click(bot_stack)
    stamp = int(time.time())
    signature = sign(bot_stack.standin.signing_secret, str(stamp), body)
    tampered = body.replace(bot_stack.user_id(ALICE), bot_stack.user_id("bob@example.com"))
    assert tampered != body

    assert await bot_stack.post_to_bot(tampered, timestamp=stamp, signature=signature) == 401

    await assert_nothing_happened(bot_stack, workflow_id)


async def test_unsigned_request_is_refused(bot_stack: BotStack) -> None:
    workflow_id, body = await alice_click(bot_stack)

    assert await bot_stack.post_to_bot(body, signature="v0=") == 401

    await assert_nothing_happened(bot_stack, workflow_id)


async def test_replayed_click_is_refused(bot_stack: BotStack) -> None:
    """The same signed request sent again within Slack's five minutes: a captured click."""
    workflow_id, body = await alice_click(bot_stack)
    stamp = int(time.time())
    message = await bot_stack.review_message(ALICE)
    assert await bot_stack.post_to_bot(body, timestamp=stamp) == 200

    async def recorded() -> None:
        assert [d.reviewer for d in (await bot_stack.status(workflow_id)).decisions] == [ALICE]
        assert not buttons(message)

    await eventually(recorded)

    assert await bot_stack.post_to_bot(body, timestamp=stamp) == 401

    # Had it been acted on, Alice would be told her second decision did not count.
    assert bot_stack.standin.ephemerals_for(bot_stack.user_id(ALICE)) == []
    assert [d.reviewer for d in (await bot_stack.status(workflow_id)).decisions] == [ALICE]


async def test_a_forged_copy_does_not_block_the_real_request(bot_stack: BotStack) -> None:
    """Only verified requests are remembered: a refused forgery sharing the real request's
    timestamp and signature leaves the real one to be acted on."""
    workflow_id, body = await alice_click(bot_stack)
    stamp = int(time.time())
    signature = sign(bot_stack.standin.signing_secret, str(stamp), body)
    forged = body.replace(bot_stack.user_id(ALICE), bot_stack.user_id("bob@example.com"))

    assert await bot_stack.post_to_bot(forged, timestamp=stamp, signature=signature) == 401
    assert await bot_stack.post_to_bot(body, timestamp=stamp, signature=signature) == 200

    async def recorded() -> None:
        assert [d.reviewer for d in (await bot_stack.status(workflow_id)).decisions] == [ALICE]

    await eventually(recorded)


async def test_an_event_slack_retries_is_answered_but_not_handled_twice(
    bot_stack: BotStack,
) -> None:
    """Slack re-sends an event it thinks was lost, marked as a retry: a 401 would make it try
    again; the event was handled already, so the answer is 200 and nothing more happens."""
    alice = bot_stack.user_id(ALICE)
    body = home_opened_body(bot_stack, alice)
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(bot_stack.standin.signing_secret, stamp, body),
    }

    async def post(extra: dict[str, str]) -> int:
        async with (
            aiohttp.ClientSession() as session,
            session.post(bot_stack.bot.events_url, data=body, headers=headers | extra) as response,
        ):
            return response.status

    assert await post({}) == 200

    async def published() -> None:
        assert len(bot_stack.standin.calls_to("views.publish")) == 1

    await eventually(published)

    assert await post({RETRY_HEADER: "1", "X-Slack-Retry-Reason": "http_timeout"}) == 200
    assert await post({}) == 401
    assert len(bot_stack.standin.calls_to("views.publish")) == 1


@pytest.mark.parametrize("stamp", ["soon", "1700000000.5", "", "-1700000000", "1e9"])
async def test_a_correctly_signed_request_with_an_unreadable_timestamp_is_refused(
    bot_stack: BotStack, stamp: str
) -> None:
    """Slack signs whole seconds; anything else is not Slack's (and once made Bolt fail)."""
    workflow_id, body = await alice_click(bot_stack)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(bot_stack.standin.signing_secret, stamp, body),
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(bot_stack.bot.events_url, data=body, headers=headers) as response,
    ):
        assert response.status == 401

    await assert_nothing_happened(bot_stack, workflow_id)


async def test_a_click_from_another_workspace_is_refused(bot_stack: BotStack) -> None:
    workflow_id, body = await alice_click(bot_stack)
    other = body.replace(TEAM_ID, "T0ELSEWHERE")
    assert other != body, "the click names the sandbox's workspace"

    assert await bot_stack.post_to_bot(other) == 403

    status = await bot_stack.status(workflow_id)
    assert status.decisions == [] and status.state == "awaiting_review"
    assert bot_stack.standin.ephemerals_for(bot_stack.user_id(ALICE)) == []
