"""Message metadata and `conversations.history`, as Slack serves them, and faults that strike
after Slack acted: what the activities' idempotency keys rely on."""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually

ALICE = "U0ALICE001"
KEY = {"event_type": "schema_review_message", "event_payload": {"idempotency_key": "k-1"}}


async def test_history_returns_metadata_only_when_asked(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    first = await slack_client.chat_postMessage(channel=ALICE, text="first", metadata=KEY)
    await slack_client.chat_postMessage(channel=ALICE, text="second")

    plain = await slack_client.conversations_history(channel=first["channel"])
    full = await slack_client.conversations_history(
        channel=first["channel"], include_all_metadata=True
    )

    assert [m["text"] for m in full["messages"]] == ["second", "first"]
    assert [m.get("metadata") for m in full["messages"]] == [None, KEY]
    assert all("metadata" not in m for m in plain["messages"])


async def test_history_pages_newest_first_and_honours_oldest(
    slack_client: AsyncWebClient,
) -> None:
    posted = [await slack_client.chat_postMessage(channel=ALICE, text=f"m{i}") for i in range(5)]
    channel = posted[0]["channel"]

    page = await slack_client.conversations_history(channel=channel, limit=2)
    rest = await slack_client.conversations_history(
        channel=channel, limit=10, cursor=page["response_metadata"]["next_cursor"]
    )
    since = await slack_client.conversations_history(channel=channel, oldest=posted[2]["ts"])

    assert ([m["text"] for m in page["messages"]], page["has_more"]) == (["m4", "m3"], True)
    assert ([m["text"] for m in rest["messages"]], rest["has_more"]) == (["m2", "m1", "m0"], False)
    assert [m["text"] for m in since["messages"]] == ["m4", "m3"]


async def test_malformed_metadata_is_refused_and_posts_nothing(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    with pytest.raises(SlackApiError) as refused:
        await slack_client.chat_postMessage(
            channel=ALICE, text="x", metadata={"event_payload": {"a": 1}}
        )
    assert refused.value.response["error"] == "invalid_metadata_schema"
    assert slack_standin.messages_in(ALICE) == []


async def test_a_fault_after_the_effect_posts_and_still_answers_503(
    slack_standin: SlackStandInForTests,
) -> None:
    client = AsyncWebClient(token=slack_standin.bot_token, base_url=slack_standin.api_url)
    slack_standin.fail_next("chat.postMessage", error="service_unavailable", after_effect=True)

    with pytest.raises(SlackApiError) as failed:
        await client.chat_postMessage(channel=ALICE, text="posted anyway")

    assert failed.value.response.status_code == 503
    assert [m.text for m in slack_standin.messages_in(ALICE)] == ["posted anyway"]


async def test_a_held_call_acts_and_answers_only_once_released(
    slack_standin: SlackStandInForTests,
) -> None:
    client = AsyncWebClient(token=slack_standin.bot_token, base_url=slack_standin.api_url)
    hold = slack_standin.hold_next("chat.postMessage")
    call = asyncio.ensure_future(client.chat_postMessage(channel=ALICE, text="held"))

    async def posted() -> None:
        assert slack_standin.messages_in(ALICE)

    await eventually(posted, within=5)
    assert not call.done()
    hold.release()
    answer = await asyncio.wait_for(call, 5)

    assert answer["ts"] == slack_standin.messages_in(ALICE)[0].ts
    assert hold.hits == 1


async def test_random_faults_fail_a_repeatable_share_before_acting(
    slack_standin: SlackStandInForTests,
) -> None:
    client = AsyncWebClient(token=slack_standin.bot_token, base_url=slack_standin.api_url)
    chance = slack_standin.faults.at_random(
        ["chat.postMessage"], fraction=0.5, errors=["internal_error"], seed=3
    )
    outcomes = []
    for n in range(20):
        try:
            await client.chat_postMessage(channel=ALICE, text=f"m{n}")
            outcomes.append(True)
        except SlackApiError as failed:
            assert failed.response.status_code == 500
            outcomes.append(False)

    assert chance.hits == outcomes.count(False) and 0 < chance.hits < 20
    # Nothing was posted by a failed call.
    assert len(slack_standin.messages_in(ALICE)) == outcomes.count(True)
    with pytest.raises(ValueError, match="between 0 and 1"):
        slack_standin.faults.at_random(["*"], fraction=1.5, errors=["internal_error"], seed=0)
