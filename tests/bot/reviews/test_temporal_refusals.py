"""When Temporal answers a decision with an error, the reviewer is told what became of it."""

from __future__ import annotations

import pytest
from temporalio.client import Client
from temporalio.service import RetryConfig, RPCStatusCode

from bot.reviews import follow_ups
from bot.reviews.decisions import DECISION_PENDING, NOT_CONFIRMED, SERVICE_UNREACHABLE
from slack_presentation.review_actions import ACTION_APPROVE
from tests.bot.reviews.refusing_temporal import refusing_temporal
from tests.fixtures.bot_stack import BotStack, buttons
from tests.helpers import eventually

ALICE = "alice@example.com"

# The client retries some statuses for seconds before giving up; the bot's answer to what it
# finally gets is the same, so the test's client gives up at once.
NO_RETRIES = RetryConfig(max_retries=1, initial_interval_millis=1, max_elapsed_time_millis=1)


@pytest.mark.parametrize(
    ("status", "sentences"),
    [
        # An API key without the right to update workflows, or an expired one.
        pytest.param(
            RPCStatusCode.PERMISSION_DENIED, [SERVICE_UNREACHABLE], id="permission_denied"
        ),
        pytest.param(RPCStatusCode.UNAUTHENTICATED, [SERVICE_UNREACHABLE], id="unauthenticated"),
        pytest.param(
            RPCStatusCode.RESOURCE_EXHAUSTED, [SERVICE_UNREACHABLE], id="resource_exhausted"
        ),
        # The server failed part-way: the decision may have counted, so the bot asks again
        # with the same update id, and says it does not know only when it never learns.
        pytest.param(RPCStatusCode.INTERNAL, [DECISION_PENDING, NOT_CONFIRMED], id="internal"),
        # A frontend may take the update and then drop: not "NOT recorded" either.
        pytest.param(
            RPCStatusCode.UNAVAILABLE, [DECISION_PENDING, NOT_CONFIRMED], id="unavailable"
        ),
    ],
)
async def test_a_decision_temporal_refuses_is_reported_to_the_reviewer(
    bot_stack: BotStack,
    status: RPCStatusCode,
    sentences: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(follow_ups, "FOLLOW_UP_SECONDS", 1.0)
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)
    async with refusing_temporal(status) as frontend:
        refusing = await Client.connect(frontend.address, retry_config=NO_RETRIES)
        bot_stack.standin.point_at_bot((await bot_stack.start_bot(refusing)).events_url)

        result = await bot_stack.click(ALICE, message, ACTION_APPROVE)

        assert result.status == 200 and not result.timed_out
        alice = bot_stack.user_id(ALICE)

        async def told() -> None:
            assert [e.text for e in bot_stack.standin.ephemerals_for(alice)] == sentences

        await eventually(told, within=10)
        assert frontend.refused and set(frontend.refused) == {status}
    assert (await bot_stack.status(workflow_id)).decisions == []
    assert not message.edited and buttons(message)
