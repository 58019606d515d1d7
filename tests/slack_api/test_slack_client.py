"""The Slack client's two retry profiles, against the stand-in: a post is never sent twice, a
read survives a Slack hiccup, and a person waiting is answered sooner than a worker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from slack_api.client import (
    PERSON_WAITING,
    WORKER,
    RetryProfile,
    build_slack_client,
    close_client,
    without_blind_retries,
    without_rate_limit_retries,
)
from tests.fixtures.slack_standin import SlackStandInForTests

ALICE = "alice@example.com"


def _client(standin: SlackStandInForTests, profile: RetryProfile) -> AsyncWebClient:
    return build_slack_client(
        standin.bot_token, standin.api_url, profile=profile, session=aiohttp.ClientSession()
    )


@pytest.fixture
async def bot_client(slack_standin: SlackStandInForTests) -> AsyncIterator[AsyncWebClient]:
    client = _client(slack_standin, PERSON_WAITING)
    try:
        yield client
    finally:
        await close_client(client)


@pytest.fixture
async def worker_client(slack_standin: SlackStandInForTests) -> AsyncIterator[AsyncWebClient]:
    client = _client(slack_standin, WORKER)
    try:
        yield client
    finally:
        await close_client(client)


@pytest.fixture(params=["bot", "worker"])
def any_client(
    request: pytest.FixtureRequest, bot_client: AsyncWebClient, worker_client: AsyncWebClient
) -> AsyncWebClient:
    return bot_client if request.param == "bot" else worker_client


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


async def test_the_workers_post_without_blind_retries_is_not_sent_twice(
    slack_standin: SlackStandInForTests, worker_client: AsyncWebClient
) -> None:
    alice = slack_standin.user_by_email(ALICE).id
    slack_standin.fail_next("chat.postMessage", error="internal_error", after_effect=True)

    with pytest.raises(SlackApiError):
        await without_blind_retries(worker_client).chat_postMessage(
            channel=alice, text="Review requested."
        )

    assert [m.text for m in slack_standin.messages_in(alice)] == ["Review requested."]


async def test_a_rate_limited_post_is_sent_once_slack_lets_it(
    slack_standin: SlackStandInForTests, any_client: AsyncWebClient
) -> None:
    alice = slack_standin.user_by_email(ALICE).id
    slack_standin.fail_next("chat.postMessage", error="ratelimited", retry_after=0)

    await without_blind_retries(any_client).chat_postMessage(
        channel=alice, text="Recorded: approved."
    )

    assert [m.text for m in slack_standin.messages_in(alice)] == ["Recorded: approved."]


async def test_a_read_is_retried_after_a_5xx(
    slack_standin: SlackStandInForTests, any_client: AsyncWebClient
) -> None:
    alice = slack_standin.user_by_email(ALICE).id
    slack_standin.fail_next("users.info", error="service_unavailable")

    answer = await any_client.users_info(user=alice)

    assert answer["user"]["profile"]["email"] == ALICE
    assert len(slack_standin.calls_to("users.info")) == 2


async def test_a_person_waiting_hears_of_a_second_rate_limit_where_a_worker_waits_it_out(
    slack_standin: SlackStandInForTests, bot_client: AsyncWebClient, worker_client: AsyncWebClient
) -> None:
    alice = slack_standin.user_by_email(ALICE).id
    slack_standin.fail_next("users.info", error="ratelimited", retry_after=0, times=2)
    with pytest.raises(SlackApiError):
        await bot_client.users_info(user=alice)

    slack_standin.fail_next("users.info", error="ratelimited", retry_after=0, times=2)
    answer = await worker_client.users_info(user=alice)

    assert answer["user"]["profile"]["email"] == ALICE
    assert len(slack_standin.calls_to("users.info")) == 2 + 3


async def test_a_rate_limited_search_is_left_to_the_caller(
    slack_standin: SlackStandInForTests, worker_client: AsyncWebClient
) -> None:
    """Slack may allow one `conversations.history` a minute: sleeping it out in place would
    outlast the activity's attempt."""
    channel = slack_standin.dm_channel_of(slack_standin.user_by_email(ALICE).id)
    slack_standin.fail_next("conversations.history", error="ratelimited", retry_after=60)

    with pytest.raises(SlackApiError) as refused:
        await without_rate_limit_retries(worker_client).conversations_history(channel=channel)

    assert refused.value.response.status_code == 429
    assert len(slack_standin.calls_to("conversations.history")) == 1
