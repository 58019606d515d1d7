"""`notify_registration`: the owner and the review channel hear, once, that an approved version
is not in the schema registry (yet) and why, against the local Slack stand-in."""

from __future__ import annotations

from dataclasses import replace

from activities.registration_notices import RegistrationNoticeActivities
from slack_api.client import WORKER, build_slack_client
from tests.activities.activity_runs import dm_of, scheduled_activity
from tests.fixtures.slack_standin import SlackStandInForTests
from workflow.activity_payloads import RegistrationNotice
from workflow.models import workflow_id_for

OWNER = "owner@example.com"
REVIEW_CHANNEL = "C0REVIEWS01"


def notice(
    kind: str,
    reason: str,
    *,
    retry_hours: float | None = None,
    channel: str | None = REVIEW_CHANNEL,
) -> RegistrationNotice:
    return RegistrationNotice(
        workflow_id=workflow_id_for("inventory-service"),
        kind="pending" if kind == "pending" else "not_registered",
        schema_id="inventory-service",
        version=2,
        subject="inventory-service-value",
        reason=reason,
        owner=OWNER,
        review_channel=channel,
        retry_hours=retry_hours,
    )


def activities(slack_standin: SlackStandInForTests) -> RegistrationNoticeActivities:
    return RegistrationNoticeActivities(
        build_slack_client(slack_standin.bot_token, slack_standin.api_url, profile=WORKER)
    )


async def test_the_owner_and_the_channel_hear_once_that_registration_is_pending(
    slack_standin: SlackStandInForTests,
) -> None:
    pending = notice("pending", "The schema registry did not answer (503).", retry_hours=24.0)
    env = scheduled_activity()
    sending = activities(slack_standin)

    posted = await env.run(sending.notify_registration, pending)
    # Temporal retries the attempt whose answer it never got: nothing is posted twice.
    env.info = replace(env.info, attempt=2)
    again = await env.run(activities(slack_standin).notify_registration, pending)

    [to_owner] = dm_of(slack_standin, OWNER)
    [in_channel] = slack_standin.messages_in(REVIEW_CHANNEL)
    assert [(p.channel, p.ts) for p in posted] == [
        (to_owner.channel, to_owner.ts),
        (in_channel.channel, in_channel.ts),
    ]
    assert again == posted
    assert to_owner.text == (
        "Version 2 of *inventory-service* is approved, but not registered in the schema registry"
        " yet (subject `inventory-service-value`): The schema registry did not answer (503)."
        " The approval stands; the bot keeps trying for up to 24 hours and says so once it is"
        " registered."
    )
    assert in_channel.text == to_owner.text


async def test_a_refused_registration_says_how_to_go_on(
    slack_standin: SlackStandInForTests,
) -> None:
    refused = notice("not_registered", "Schema being registered is incompatible", channel=None)

    await scheduled_activity().run(activities(slack_standin).notify_registration, refused)

    [to_owner] = dm_of(slack_standin, OWNER)
    assert to_owner.text.startswith(
        "Version 2 of *inventory-service* is approved, but not registered in the schema registry"
        " (subject `inventory-service-value`): Schema being registered is incompatible. The"
        " review stays open until the owner or an admin retries the registration (Retry"
        " registration in /schema-status inventory-service)"
    )
    assert slack_standin.messages_in(REVIEW_CHANNEL) == []
