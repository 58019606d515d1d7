"""Who people are in Slack (emails, user ids, DMs, mentions), looked up in the stand-in and
cached for a while: the one lookup the bot and the activities share."""

from __future__ import annotations

import asyncio
import time

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from slack_api.people import (
    IdentityUnavailable,
    PersonNotFound,
    SlackLookupFailed,
    SlackPeople,
)
from slack_api.ttl_cache import LOOKUP_TTL_SECONDS
from slack_sandbox.users import BOT_USER
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.slack_api.test_ttl_cache import Clock


async def test_email_is_looked_up_once_until_it_expires(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    clock = Clock()
    people = SlackPeople(clock=clock)
    alice = slack_standin.user_by_email("alice@example.com").id

    assert await people.email_of(slack_client, alice) == "alice@example.com"
    assert await people.email_of(slack_client, alice) == "alice@example.com"
    assert len(slack_standin.calls_to("users.info")) == 1

    clock.now += LOOKUP_TTL_SECONDS + 1
    await people.email_of(slack_client, alice)
    assert len(slack_standin.calls_to("users.info")) == 2


async def test_user_id_by_email_and_nobody_for_an_unknown_email(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    people = SlackPeople()

    assert await people.user_id_of(slack_client, "Bob@Example.com") == "U0BOB00001"
    assert await people.user_id_of(slack_client, "bob@example.com") == "U0BOB00001"
    with pytest.raises(PersonNotFound, match=r"nobody@example\.com"):
        await people.user_id_of(slack_client, "nobody@example.com")
    assert len(slack_standin.calls_to("users.lookupByEmail")) == 2


async def test_a_slack_refusal_says_what_slack_said(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("users.lookupByEmail", error="invalid_auth")

    with pytest.raises(SlackLookupFailed) as failed:
        await SlackPeople().user_id_of(slack_client, "bob@example.com")

    assert failed.value.code == "invalid_auth"
    assert not failed.value.transient


async def test_missing_email_scope_is_explained(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("users.info", error="missing_scope")

    with pytest.raises(IdentityUnavailable, match=r"users:read\.email"):
        await SlackPeople().email_of(slack_client, "U0ALICE001")


async def test_a_bot_has_no_email_to_review_with(slack_client: AsyncWebClient) -> None:
    with pytest.raises(IdentityUnavailable, match="Bots cannot take part"):
        await SlackPeople().email_of(slack_client, BOT_USER.id)


async def test_mentions_name_whom_slack_knows_once_each_until_the_answer_expires(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    clock = Clock()
    people = SlackPeople(clock=clock)

    first = await people.mentions(
        slack_client, ["Alice@Example.com", "nobody@example.com", "alice@example.com"]
    )
    again = await people.mentions(slack_client, ["alice@example.com"])

    assert first == again == {"alice@example.com": "U0ALICE001"}
    assert len(slack_standin.calls_to("users.lookupByEmail")) == 2  # alice once, nobody once
    # A renamed or re-created account is picked up once the answer expires.
    clock.now += LOOKUP_TTL_SECONDS + 1
    await people.mentions(slack_client, ["alice@example.com"])
    assert len(slack_standin.calls_to("users.lookupByEmail")) == 3


async def test_a_slack_failure_leaves_the_person_unmentioned_instead_of_failing(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("users.lookupByEmail", error="missing_scope")

    assert await SlackPeople().mentions(slack_client, ["bob@example.com"]) == {}


async def test_a_slow_slack_leaves_a_waiting_person_with_emails(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    held = slack_standin.hold_next("users.lookupByEmail", times=2)
    started = time.monotonic()
    try:
        found = await SlackPeople(mention_seconds=0.5).mentions(
            slack_client, ["alice@example.com", "bob@example.com"]
        )
    finally:
        held.release()

    assert found == {}
    assert time.monotonic() - started < 5


async def test_a_burst_of_clicks_by_one_person_asks_slack_once(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    """Single-flight: clicks arriving together with nothing cached share one users.info call,
    instead of one each (a thousand-click burst once made a thousand calls)."""
    people = SlackPeople()
    alice = slack_standin.user_by_email("alice@example.com").id

    emails = await asyncio.gather(*(people.email_of(slack_client, alice) for _ in range(50)))

    assert set(emails) == {"alice@example.com"}
    assert len(slack_standin.calls_to("users.info")) == 1


async def test_many_messages_naming_one_person_ask_slack_once(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    people = SlackPeople()

    found = await asyncio.gather(
        *(people.mentions(slack_client, ["carol@example.com"]) for _ in range(20))
    )

    assert all(f == {"carol@example.com": "U0CAROL001"} for f in found)
    assert len(slack_standin.calls_to("users.lookupByEmail")) == 1


async def test_a_failed_shared_lookup_fails_every_click_and_the_next_one_asks_again(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    people = SlackPeople()
    alice = slack_standin.user_by_email("alice@example.com").id
    slack_standin.fail_next(
        "users.info", error="service_unavailable", status=503, text="503", times=3
    )

    failures = await asyncio.gather(
        *(people.email_of(slack_client, alice) for _ in range(5)), return_exceptions=True
    )

    assert all(isinstance(f, IdentityUnavailable) and f.transient for f in failures)
    assert "Slack did not answer" in str(failures[0])
    assert await people.email_of(slack_client, alice) == "alice@example.com"


async def test_a_direct_message_channel_is_opened_once(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    people = SlackPeople()
    dave = slack_standin.user_by_email("dave@example.com").id

    first = await people.dm_channel_of(slack_client, "dave@example.com")
    again = await people.dm_channel_of(slack_client, "Dave@Example.com")

    assert first == again == slack_standin.dm_channel_of(dave)
    assert len(slack_standin.calls_to("conversations.open")) == 1


async def test_no_direct_message_to_someone_slack_does_not_know(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    with pytest.raises(PersonNotFound):
        await SlackPeople().dm_channel_of(slack_client, "nobody@example.com")

    assert slack_standin.calls_to("conversations.open") == []
