"""Slack user ids and emails, looked up in the stand-in and cached for a while."""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from slack_api.identity import IDENTITY_TTL_SECONDS, IdentityUnavailable, SlackIdentity
from slack_sandbox.users import BOT_USER
from tests.fixtures.slack_standin import SlackStandInForTests


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_email_is_looked_up_once_until_it_expires(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    clock = Clock()
    identity = SlackIdentity(clock=clock)
    alice = slack_standin.user_by_email("alice@example.com").id

    assert await identity.email_of(slack_client, alice) == "alice@example.com"
    assert await identity.email_of(slack_client, alice) == "alice@example.com"
    assert len(slack_standin.calls_to("users.info")) == 1

    clock.now += IDENTITY_TTL_SECONDS + 1
    await identity.email_of(slack_client, alice)
    assert len(slack_standin.calls_to("users.info")) == 2


async def test_user_id_by_email_and_nobody_for_an_unknown_email(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    identity = SlackIdentity()

    assert await identity.user_id_of(slack_client, "Bob@Example.com") == "U0BOB00001"
    assert await identity.user_id_of(slack_client, "bob@example.com") == "U0BOB00001"
    assert await identity.user_id_of(slack_client, "nobody@example.com") is None
    assert len(slack_standin.calls_to("users.lookupByEmail")) == 2


async def test_missing_email_scope_is_explained(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("users.info", error="missing_scope")

    with pytest.raises(IdentityUnavailable, match=r"users:read\.email"):
        await SlackIdentity().email_of(slack_client, "U0ALICE001")


async def test_a_bot_has_no_email_to_review_with(slack_client: AsyncWebClient) -> None:
    with pytest.raises(IdentityUnavailable, match="Bots cannot take part"):
        await SlackIdentity().email_of(slack_client, BOT_USER.id)


async def test_mentions_name_whom_slack_knows_and_leave_out_the_rest(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    identity = SlackIdentity()

    found = await identity.mentions(
        slack_client, ["Alice@Example.com", "nobody@example.com", "alice@example.com"]
    )
    assert found == {"alice@example.com": "U0ALICE001"}
    assert len(slack_standin.calls_to("users.lookupByEmail")) == 2

    slack_standin.fail_next("users.lookupByEmail", error="missing_scope")
    assert await identity.mentions(slack_client, ["bob@example.com"]) == {}


async def test_a_burst_of_clicks_by_one_person_asks_slack_once(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    """Single-flight: clicks arriving together with nothing cached share one users.info call,
    instead of one each (a thousand-click burst once made a thousand calls)."""
    identity = SlackIdentity()
    alice = slack_standin.user_by_email("alice@example.com").id

    emails = await asyncio.gather(*(identity.email_of(slack_client, alice) for _ in range(50)))

    assert set(emails) == {"alice@example.com"}
    assert len(slack_standin.calls_to("users.info")) == 1


async def test_a_failed_shared_lookup_fails_every_click_and_the_next_one_asks_again(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    identity = SlackIdentity()
    alice = slack_standin.user_by_email("alice@example.com").id
    slack_standin.fail_next(
        "users.info", error="service_unavailable", status=503, text="503", times=3
    )

    failures = await asyncio.gather(
        *(identity.email_of(slack_client, alice) for _ in range(5)), return_exceptions=True
    )

    assert all(isinstance(f, IdentityUnavailable) and f.transient for f in failures)
    assert "Slack did not answer" in str(failures[0])
    assert await identity.email_of(slack_client, alice) == "alice@example.com"
