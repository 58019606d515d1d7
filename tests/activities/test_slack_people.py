"""Looking people up for the activities, against the Slack stand-in."""

from __future__ import annotations

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from temporalio.exceptions import ApplicationError

from activities.slack_people import SlackPeople
from slack_api.ttl_cache import TtlCache
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.slack_api.test_ttl_cache import Clock


async def test_mentions_are_looked_up_once_per_person_until_they_expire(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    clock = Clock()
    people = SlackPeople(slack_client, user_ids=TtlCache(ttl_seconds=600, clock=clock))

    first = await people.mentions(["alice@example.com", "Alice@Example.com", "nobody@example.com"])
    again = await people.mentions(["alice@example.com"])

    assert first == again == {"alice@example.com": "U0ALICE001"}
    assert len(slack_standin.calls_to("users.lookupByEmail")) == 2  # alice once, nobody once
    # A renamed or re-created account is picked up once the answer expires.
    clock.now += 601
    await people.mentions(["alice@example.com"])
    assert len(slack_standin.calls_to("users.lookupByEmail")) == 3


async def test_a_slack_failure_leaves_the_person_unmentioned_instead_of_failing(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("users.lookupByEmail", error="invalid_auth")

    assert await SlackPeople(slack_client).mentions(["bob@example.com"]) == {}


async def test_a_direct_message_to_someone_unknown_fails_for_good(
    slack_client: AsyncWebClient,
) -> None:
    with pytest.raises(ApplicationError) as failed:
        await SlackPeople(slack_client).dm_channel("nobody@example.com", doing="testing")

    assert failed.value.type == "SlackUserNotFound"
    assert failed.value.non_retryable
