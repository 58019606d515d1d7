"""The activities' view of people: Slack's answers through the shared lookup, its failures as
the activities' errors, with the sentences and retryability the workflow relies on."""

from __future__ import annotations

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from temporalio.exceptions import ApplicationError

from activities.slack_people import ActivityPeople, worker_people
from tests.fixtures.slack_standin import SlackStandInForTests


async def test_a_direct_message_to_someone_unknown_fails_for_good(
    slack_client: AsyncWebClient,
) -> None:
    with pytest.raises(ApplicationError) as failed:
        await ActivityPeople(slack_client, worker_people()).dm_channel(
            "nobody@example.com", doing="testing"
        )

    assert failed.value.type == "SlackUserNotFound"
    assert failed.value.message == (
        "No Slack user has the email nobody@example.com; check the reviewer roster."
    )
    assert failed.value.non_retryable


async def test_slack_unavailable_while_opening_a_dm_is_tried_again(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("conversations.open", error="service_unavailable", times=3)

    with pytest.raises(ApplicationError) as failed:
        await ActivityPeople(slack_client, worker_people()).dm_channel(
            "alice@example.com", doing="sending the review request to alice@example.com"
        )

    assert failed.value.type == "SlackUnavailable"
    assert failed.value.message == (
        "Slack is unavailable (service_unavailable) while sending the review request to"
        " alice@example.com; will try again."
    )
    assert not failed.value.non_retryable


async def test_a_rejected_token_says_which_setting_to_fix(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("users.lookupByEmail", error="invalid_auth")

    with pytest.raises(ApplicationError) as failed:
        await ActivityPeople(slack_client, worker_people()).dm_channel(
            "alice@example.com", doing="testing"
        )

    assert failed.value.type == "SlackAuthError"
    assert "check SLACK_BOT_TOKEN" in failed.value.message
    assert failed.value.non_retryable


async def test_a_slack_failure_leaves_the_person_unmentioned_instead_of_failing(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("users.lookupByEmail", error="invalid_auth")

    people = ActivityPeople(slack_client, worker_people())

    assert await people.mentions(["bob@example.com"]) == {}
    assert await people.mentions(["bob@example.com"]) == {"bob@example.com": "U0BOB00001"}
