"""The bot's Slack client: a post is never sent twice, a read survives a Slack hiccup."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from slack_api.client import build_bot_client, close_client
from tests.fixtures.slack_standin import SlackStandInForTests

ALICE = "alice@example.com"


@pytest.fixture
async def bot_client(slack_standin: SlackStandInForTests) -> AsyncIterator[AsyncWebClient]:
    client = build_bot_client(slack_standin.bot_token, slack_standin.api_url)
    try:
        yield client
    finally:
        await close_client(client)


@pytest.mark.parametrize("error", ["internal_error", "service_unavailable"])
async def test_a_5xx_after_slack_posted_does_not_post_the_message_twice(
    slack_standin: SlackStandInForTests, bot_client: AsyncWebClient, error: str
) -> None:
    alice = slack_standin.user_by_email(ALICE).id
    slack_standin.fail_next("chat.postMessage", error=error, after_effect=True)

    with pytest.raises(SlackApiError):
        await bot_client.chat_postMessage(channel=alice, text="Recorded: approved.")

    assert [m.text for m in slack_standin.messages_in(alice)] == ["Recorded: approved."]


async def test_a_5xx_after_slack_posted_does_not_show_the_ephemeral_twice(
    slack_standin: SlackStandInForTests, bot_client: AsyncWebClient
) -> None:
    alice = slack_standin.user_by_email(ALICE).id
    channel = slack_standin.dm_channel_of(alice)
    slack_standin.fail_next("chat.postEphemeral", error="internal_error", after_effect=True)

    with pytest.raises(SlackApiError):
        await bot_client.chat_postEphemeral(channel=channel, user=alice, text="Not recorded.")

    assert [e.text for e in slack_standin.ephemerals_for(alice)] == ["Not recorded."]


async def test_a_rate_limited_post_is_sent_once_slack_lets_it(
    slack_standin: SlackStandInForTests, bot_client: AsyncWebClient
) -> None:
    alice = slack_standin.user_by_email(ALICE).id
    slack_standin.fail_next("chat.postMessage", error="ratelimited", retry_after=0)

    await bot_client.chat_postMessage(channel=alice, text="Recorded: approved.")

    assert [m.text for m in slack_standin.messages_in(alice)] == ["Recorded: approved."]


async def test_a_read_is_retried_after_a_5xx(
    slack_standin: SlackStandInForTests, bot_client: AsyncWebClient
) -> None:
    alice = slack_standin.user_by_email(ALICE).id
    slack_standin.fail_next("users.info", error="service_unavailable")

    answer = await bot_client.users_info(user=alice)

    assert answer["user"]["profile"]["email"] == ALICE
    assert len(slack_standin.calls_to("users.info")) == 2
