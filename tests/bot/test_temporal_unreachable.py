"""When Temporal cannot be reached, Slack still gets its ack and the reviewer is told plainly."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client

from activities.review_actions import ACTION_APPROVE, ACTION_REJECT
from bot import decisions
from bot.blocks.reject_modal import REASON_BLOCK
from bot.decisions import SERVICE_SLOW, SERVICE_UNREACHABLE
from tests.fixtures.bot_stack import BotStack, buttons
from tests.helpers import eventually

ALICE = "alice@example.com"


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def unreachable_bot(bot_stack: BotStack) -> AsyncIterator[BotStack]:
    """The stand-in now talks to a bot whose Temporal address answers nothing."""
    gone = await Client.connect(f"127.0.0.1:{closed_port()}", lazy=True)
    server = await bot_stack.start_bot(gone)
    bot_stack.standin.point_at_bot(server.events_url)
    yield bot_stack


@pytest.fixture
async def silent_temporal_port() -> AsyncIterator[int]:
    """A port that accepts connections and never answers, like a hung server or a bad proxy."""
    connections: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        await reader.read()

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for writer in connections:
            writer.close()
        server.close()
        await server.wait_closed()


async def told_not_recorded(stack: BotStack, sentence: str = SERVICE_UNREACHABLE) -> None:
    async def arrived() -> None:
        texts = [e.text for e in stack.standin.ephemerals_for(stack.user_id(ALICE))]
        assert texts == [sentence]

    await eventually(arrived, within=10)


async def test_approve_is_acked_and_the_reviewer_told_it_was_not_recorded(
    unreachable_bot: BotStack,
) -> None:
    stack = unreachable_bot
    workflow_id = await stack.submit()
    message = await stack.review_message(ALICE)

    result = await stack.click(ALICE, message, ACTION_APPROVE)

    assert result.status == 200 and not result.timed_out
    await told_not_recorded(stack)
    assert (await stack.status(workflow_id)).decisions == []
    assert not message.edited and buttons(message)


async def test_reject_modal_opens_and_its_submission_is_not_lost_silently(
    unreachable_bot: BotStack,
) -> None:
    stack = unreachable_bot
    workflow_id = await stack.submit()
    message = await stack.review_message(ALICE)
    alice = stack.user_id(ALICE)

    assert (await stack.click(ALICE, message, ACTION_REJECT)).status == 200

    async def opened() -> str:
        modals = stack.standin.open_modals_of(alice)
        assert modals
        return modals[-1].id

    view_id = await eventually(opened)
    result = await stack.standin.submit_view(alice, view_id, {REASON_BLOCK: "missing owner field"})

    assert result.status == 200 and not result.timed_out
    await told_not_recorded(stack)
    assert (await stack.status(workflow_id)).decisions == []


async def test_a_silent_temporal_does_not_delay_the_ack(
    bot_stack: BotStack, silent_temporal_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack's deadline is met even when Temporal hangs: the ack goes before the decision."""
    monkeypatch.setattr(decisions, "DECISION_TIMEOUT_SECONDS", 2.0)
    # Shorter than the decision timeout, so an ack that waited for Temporal would miss it.
    bot_stack.standin.interactions.ack_deadline_seconds = 1.0
    silent = await Client.connect(f"127.0.0.1:{silent_temporal_port}", lazy=True)
    bot_stack.standin.point_at_bot((await bot_stack.start_bot(silent)).events_url)
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)

    result = await bot_stack.click(ALICE, message, ACTION_APPROVE)

    assert result.status == 200 and not result.timed_out
    await told_not_recorded(bot_stack, SERVICE_SLOW)
    assert (await bot_stack.status(workflow_id)).decisions == []
