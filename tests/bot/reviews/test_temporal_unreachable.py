"""When Temporal cannot be reached, Slack still gets its ack and the reviewer is told plainly."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from temporalio.client import Client

from bot.reviews import decisions, follow_ups
from bot.reviews.decisions import (
    DECISION_FAILED,
    DECISION_PENDING,
    NOT_CONFIRMED,
    SERVICE_UNREACHABLE,
    SignalAnswer,
)
from bot.slack_app.listeners import decide
from slack_presentation.reject_modal import REASON_BLOCK
from slack_presentation.review_actions import ACTION_APPROVE, ACTION_REJECT
from tests.fixtures.bot_stack import BotStack, buttons
from tests.helpers import eventually
from workflow.models import ReviewDecision

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


@dataclass
class SilentTemporal:
    """A port that accepts connections and says nothing, like a hung server or a bad proxy,
    until `hang_up` is set."""

    address: str
    # Set once a client connected: the bot is waiting for Temporal.
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    hang_up: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
async def silent_temporal() -> AsyncIterator[SilentTemporal]:
    connections: list[asyncio.StreamWriter] = []
    silent: SilentTemporal | None = None

    async def say_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        assert silent is not None
        silent.reached.set()
        await silent.hang_up.wait()
        writer.close()

    server = await asyncio.start_server(say_nothing, "127.0.0.1", 0)
    silent = SilentTemporal(f"127.0.0.1:{server.sockets[0].getsockname()[1]}")
    try:
        yield silent
    finally:
        silent.hang_up.set()
        for writer in connections:
            writer.close()
        server.close()
        await server.wait_closed()


async def told_not_recorded(stack: BotStack, *sentences: str) -> None:
    async def arrived() -> None:
        texts = [e.text for e in stack.standin.ephemerals_for(stack.user_id(ALICE))]
        assert texts == list(sentences or [SERVICE_UNREACHABLE])

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
    bot_stack: BotStack, silent_temporal: SilentTemporal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack's deadline is met even when Temporal hangs: the ack goes before the decision."""
    # Only the hang-up below ends the decision's wait, so the order is fixed, not raced.
    monkeypatch.setattr(decisions, "DECISION_TIMEOUT_SECONDS", 600.0)
    silent = await Client.connect(silent_temporal.address, lazy=True)
    bot_stack.standin.point_at_bot((await bot_stack.start_bot(silent)).events_url)
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)

    result = await bot_stack.click(ALICE, message, ACTION_APPROVE)

    # An ack that waited for Temporal would still be waiting: the click would time out.
    assert result.status == 200 and not result.timed_out
    async with asyncio.timeout(10):
        await silent_temporal.reached.wait()
    assert bot_stack.standin.ephemerals_for(bot_stack.user_id(ALICE)) == []
    silent_temporal.hang_up.set()
    await told_not_recorded(bot_stack)
    assert (await bot_stack.status(workflow_id)).decisions == []


async def test_a_temporal_that_never_answers_is_reported_as_slow_then_unconfirmed(
    bot_stack: BotStack, silent_temporal: SilentTemporal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Being recorded" first; after the follow-up window, that it is not known: never a
    guess either way."""
    monkeypatch.setattr(decisions, "DECISION_TIMEOUT_SECONDS", 0.5)
    # The click's signal is tried first, then the update alone: both go unanswered.
    monkeypatch.setattr(decisions, "SIGNAL_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(follow_ups, "FOLLOW_UP_SECONDS", 1.0)
    silent = await Client.connect(silent_temporal.address, lazy=True)
    bot_stack.standin.point_at_bot((await bot_stack.start_bot(silent)).events_url)
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)

    result = await bot_stack.click(ALICE, message, ACTION_APPROVE)

    assert result.status == 200 and not result.timed_out
    await told_not_recorded(bot_stack, DECISION_PENDING, NOT_CONFIRMED)
    async with asyncio.timeout(10):
        await silent_temporal.reached.wait()
    assert (await bot_stack.status(workflow_id)).decisions == []


async def test_a_lost_being_recorded_reply_does_not_stop_the_follow_up(
    bot_stack: BotStack, silent_temporal: SilentTemporal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack fails the "being recorded" reply: the bot still follows up and says the outcome."""
    monkeypatch.setattr(decisions, "DECISION_TIMEOUT_SECONDS", 0.5)
    # The click's signal is tried first, then the update alone: both go unanswered.
    monkeypatch.setattr(decisions, "SIGNAL_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(follow_ups, "FOLLOW_UP_SECONDS", 1.0)
    silent = await Client.connect(silent_temporal.address, lazy=True)
    bot_stack.standin.point_at_bot((await bot_stack.start_bot(silent)).events_url)
    await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)
    bot_stack.standin.fail_next("chat.postEphemeral", error="internal_error")

    result = await bot_stack.click(ALICE, message, ACTION_APPROVE)

    assert result.status == 200
    await told_not_recorded(bot_stack, NOT_CONFIRMED)
    assert len(bot_stack.standin.calls_to("chat.postEphemeral")) == 2


async def test_an_unexpected_failure_after_the_ack_is_told_to_the_reviewer(
    bot_stack: BotStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever fails once Slack was answered, the person hears that the outcome is unknown."""

    async def failing(*_: object, **__: object) -> None:
        raise RuntimeError("an answer nobody planned for")

    monkeypatch.setattr(decide, "record_decision", failing)
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)

    result = await bot_stack.click(ALICE, message, ACTION_APPROVE)

    assert result.status == 200
    await told_not_recorded(bot_stack, DECISION_FAILED)

    # The click was signalled before the ack: the review has it, as "look at the message" says.
    async def recorded() -> None:
        decisions = (await bot_stack.status(workflow_id)).decisions
        assert [(d.stage, d.reviewer) for d in decisions] == [("Review1.a", ALICE)]

    await eventually(recorded)


async def test_a_signal_temporal_did_not_take_falls_back_to_the_update_alone(
    bot_stack: BotStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The click's signal is refused or unanswered, Temporal otherwise fine: the update alone
    decides, as before signals, and the reviewer sees the review message close."""
    signalled: list[str] = []

    async def not_taken(_: Client, __: str, decision: ReviewDecision) -> SignalAnswer:
        signalled.append(decision.click_id)
        return "not taken"

    monkeypatch.setattr(decide, "signal_decision", not_taken)
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)

    result = await bot_stack.click(ALICE, message, ACTION_APPROVE)

    assert result.status == 200 and not result.timed_out

    async def closed() -> None:
        assert not buttons(message)
        decisions = (await bot_stack.status(workflow_id)).decisions
        assert [(d.stage, d.reviewer) for d in decisions] == [("Review1.a", ALICE)]

    await eventually(closed)
    assert len(signalled) == 1 and signalled[0].startswith("decision-")
    assert bot_stack.standin.ephemerals_for(bot_stack.user_id(ALICE)) == []
