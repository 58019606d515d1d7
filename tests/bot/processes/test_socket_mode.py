"""The real bot in Socket Mode: commands and clicks reach it over the stand-in's websocket."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator

import aiohttp
import pytest
from pydantic import SecretStr
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.processes.devserver import free_port
from bot.processes.web import HEALTH_PATH, SLACK_EVENTS_PATH, serve
from bot.slack_app.app import build_app
from bot.slack_app.deps import BotDeps
from bot.slack_app.services.command_parsing import SUBMIT_USAGE
from slack_api.client import close_client
from slack_api.people import SlackPeople
from slack_presentation.review_actions import ACTION_APPROVE
from slack_sandbox.socket_mode import SocketModeEndpoint
from tests.bot.slack_app.command_runs import run_command
from tests.fixtures.bot_stack import (
    INVENTORY_V1,
    OWNER,
    BotStack,
    buttons,
    journalled_deps,
    posted_before_buttons_named_the_reviewer,
)
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually
from tests.slack_sandbox.socket_mode_standin import APP_TOKEN, SocketStandIn, socket_mode_standin
from workflow.models import REVIEW_1A

ALICE = "alice@example.com"


@pytest.fixture
async def socket_standin() -> AsyncIterator[SocketStandIn]:
    async with socket_mode_standin() as standin:
        yield standin


@pytest.fixture
def slack_standin(socket_standin: SocketStandIn) -> SlackStandInForTests:
    """`bot_stack` runs on this stand-in, which also speaks Socket Mode."""
    return socket_standin.standin


@pytest.fixture
def socket_mode(socket_standin: SocketStandIn) -> SocketModeEndpoint:
    return socket_standin.socket_mode


def no_request_urls(standin: SlackStandInForTests) -> None:
    """In Socket Mode Slack has no request URL: anything sent over HTTP would now fail."""
    standin.interaction_url = standin.slash_command_url = standin.event_url = None


async def until_connected(socket_mode: SocketModeEndpoint, connected: bool = True) -> None:
    async def settled() -> None:
        assert socket_mode.connected is connected

    await eventually(settled)


@pytest.fixture
async def socket_bot(
    bot_stack: BotStack, socket_mode: SocketModeEndpoint
) -> AsyncIterator[AsyncSocketModeHandler]:
    """The bot's Bolt app connected over Socket Mode, with the stack's worker and settings."""
    deps = BotDeps(settings=bot_stack.settings, temporal=bot_stack.temporal, people=SlackPeople())
    app = build_app(deps)
    handler = AsyncSocketModeHandler(app, APP_TOKEN)
    no_request_urls(bot_stack.standin)
    try:
        await handler.connect_async()
        await until_connected(socket_mode)
        yield handler
    finally:
        await handler.close_async()
        await close_client(app.client)


@pytest.mark.usefixtures("socket_bot")
async def test_submit_and_approve_over_the_socket(
    bot_stack: BotStack, socket_mode: SocketModeEndpoint
) -> None:
    schema_id = f"orders-{uuid.uuid4().hex[:10]}"
    url = bot_stack.put_schema(f"{schema_id}-v1.json", INVENTORY_V1)

    reply = await run_command(bot_stack, OWNER, "/submit-schema", f"{schema_id} 1 {url}")

    assert f"Review started for *{schema_id}* version 1" in reply.text
    request = await bot_stack.review_message(ALICE, stage=REVIEW_1A)
    assert schema_id in str(request.blocks)

    click = await bot_stack.click(ALICE, request, ACTION_APPROVE)

    assert click.status == 200

    async def decided() -> None:
        current = bot_stack.standin.state.find_message(request.channel, request.ts)
        assert current is not None and current.edited and not buttons(current)

    await eventually(decided)
    sent = [(d.envelope_type, d.ack is not None) for d in socket_mode.deliveries]
    assert sent == [("slash_commands", True), ("interactive", True)]


async def test_serve_with_an_app_token_runs_in_socket_mode(
    bot_stack: BotStack, socket_mode: SocketModeEndpoint
) -> None:
    port = free_port()
    settings = bot_stack.settings.model_copy(
        update={"slack_app_token": SecretStr(APP_TOKEN), "port": port}
    )
    deps = BotDeps(settings=settings, temporal=bot_stack.temporal, people=SlackPeople())
    no_request_urls(bot_stack.standin)
    serving = asyncio.create_task(serve(deps, host="127.0.0.1"))
    try:
        await until_connected(socket_mode)

        reply = await run_command(bot_stack, OWNER, "/submit-schema", "orders zero")

        assert reply.text.startswith("Not submitted:") and SUBMIT_USAGE in reply.text
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}{HEALTH_PATH}") as health,
            session.post(f"http://127.0.0.1:{port}{SLACK_EVENTS_PATH}", data="x") as forged,
        ):
            # Socket Mode verifies no signatures, so no request URL may be served beside it.
            assert (health.status, forged.status) == (200, 404)
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    await until_connected(socket_mode, connected=False)


async def test_stopping_in_socket_mode_finishes_an_acknowledged_decision(
    bot_stack: BotStack, socket_mode: SocketModeEndpoint, caplog: pytest.LogCaptureFixture
) -> None:
    """A stop while a click's decision is under way (acknowledged, Slack not yet done telling
    the bot who clicked) waits for it: the decision is recorded, not dropped with the session."""
    caplog.set_level(logging.INFO, logger="bot.runtime.in_flight")
    settings = bot_stack.settings.model_copy(
        update={"slack_app_token": SecretStr(APP_TOKEN), "port": free_port()}
    )
    deps = journalled_deps(settings, bot_stack.temporal)
    workflow_id = await bot_stack.submit()
    # Posted before buttons named their reviewer: Slack is asked who clicked.
    message = posted_before_buttons_named_the_reviewer(await bot_stack.review_message(ALICE))
    no_request_urls(bot_stack.standin)
    serving = asyncio.create_task(serve(deps, host="127.0.0.1"))
    try:
        await until_connected(socket_mode)
        who = bot_stack.standin.hold_next("users.info")

        click = await bot_stack.click(ALICE, message, ACTION_APPROVE)

        assert click.status == 200
        assert who.hits == 1
        serving.cancel()

        async def draining() -> None:
            assert "acknowledged request(s) before stopping" in caplog.text

        await eventually(draining)
        who.release()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    assert [d.reviewer for d in (await bot_stack.status(workflow_id)).decisions] == [ALICE]
