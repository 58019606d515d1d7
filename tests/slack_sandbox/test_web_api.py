"""The Web API methods the project calls, driven through the real slack_sdk client."""

from __future__ import annotations

import json

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, HeaderBlock, SectionBlock
from slack_sdk.web.async_client import AsyncWebClient

from tests.fixtures.slack import sandbox_client
from tests.fixtures.slack_standin import SlackStandInForTests

ALICE = "U0ALICE001"


def review_blocks() -> list:
    return [
        HeaderBlock(text="inventory-service v1"),
        SectionBlock(text="*Stage:* Review1.a"),
        ActionsBlock(
            block_id="decision",
            elements=[
                ButtonElement(
                    text="Approve", action_id="review_approve", value="v1", style="primary"
                ),
                ButtonElement(text="Reject", action_id="review_reject", value="v1", style="danger"),
            ],
        ),
    ]


async def error_of(call) -> SlackApiError:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackApiError) as raised:
        await call
    return raised.value


async def test_auth_test_names_the_bot_and_refuses_bad_tokens(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    identity = await slack_client.auth_test()
    assert identity["user_id"] == "U0SCHEMABOT"
    assert identity["bot_id"].startswith("B")

    wrong = await error_of(sandbox_client(slack_standin, token="xoxb-wrong").auth_test())
    assert wrong.response["error"] == "invalid_auth"
    unauthenticated = AsyncWebClient(base_url=slack_standin.api_url)
    assert (await error_of(unauthenticated.auth_test())).response["error"] == "not_authed"


async def test_users_lookup_by_email_ignores_case_and_knows_unknown_people(
    slack_client: AsyncWebClient,
) -> None:
    user = (await slack_client.users_lookupByEmail(email="Alice@Example.com"))["user"]
    assert (user["id"], user["profile"]["email"]) == (ALICE, "alice@example.com")

    missing = await error_of(slack_client.users_lookupByEmail(email="nobody@example.com"))
    assert missing.response["error"] == "users_not_found"


async def test_users_info(slack_client: AsyncWebClient) -> None:
    user = (await slack_client.users_info(user=ALICE))["user"]
    assert (user["name"], user["real_name"]) == ("alice", "Alice Anders")
    missing = await error_of(slack_client.users_info(user="U0NOBODY00"))
    assert missing.response["error"] == "user_not_found"


async def test_conversations_open_gives_each_person_one_stable_dm(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    first = await slack_client.conversations_open(users=ALICE)
    again = await slack_client.conversations_open(users=ALICE)
    assert first["channel"]["id"] == again["channel"]["id"] == slack_standin.dm_channel_of(ALICE)
    assert first["channel"]["id"].startswith("D")
    assert again["already_open"] is True
    missing = await error_of(slack_client.conversations_open(users="U0NOBODY00"))
    assert missing.response["error"] == "user_not_found"


async def test_conversations_info(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    dm = slack_standin.dm_channel_of(ALICE)
    assert (await slack_client.conversations_info(channel=dm))["channel"]["user"] == ALICE
    missing = await error_of(slack_client.conversations_info(channel="C0NOWHERE0"))
    assert missing.response["error"] == "channel_not_found"


async def test_chat_post_message_stores_blocks_as_posted(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    dm = (await slack_client.conversations_open(users=ALICE))["channel"]["id"]
    posted = await slack_client.chat_postMessage(channel=dm, text="Review", blocks=review_blocks())

    assert posted["channel"] == dm
    assert posted["message"]["ts"] == posted["ts"]
    stored = slack_standin.last_message_to("alice@example.com")
    assert stored is not None and stored.ts == posted["ts"]
    assert stored.blocks[2]["elements"][0]["action_id"] == "review_approve"
    assert stored.blocks[0]["block_id"], "Slack gives blocks without an id one of its own"


async def test_chat_post_message_to_a_user_id_lands_in_their_dm(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    posted = await slack_client.chat_postMessage(channel=ALICE, text="hello")
    assert posted["channel"] == slack_standin.dm_channel_of(ALICE)
    assert [m.text for m in slack_standin.messages_in(ALICE)] == ["hello"]


async def test_chat_post_message_errors(slack_client: AsyncWebClient) -> None:
    nowhere = await error_of(slack_client.chat_postMessage(channel="C0NOWHERE0", text="x"))
    assert nowhere.response["error"] == "channel_not_found"
    empty = await error_of(slack_client.api_call("chat.postMessage", json={"channel": ALICE}))
    assert empty.response["error"] == "no_text"
    too_long = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Approve"},
        "value": "x" * 2001,
    }
    invalid = await error_of(
        slack_client.chat_postMessage(
            channel=ALICE, text="x", blocks=[{"type": "actions", "elements": [too_long]}]
        )
    )
    assert invalid.response["error"] == "invalid_blocks"
    assert "value" in invalid.response["errors"][0]


async def test_form_encoded_blocks_and_token_param_are_accepted_and_token_not_recorded(
    slack_standin: SlackStandInForTests,
) -> None:
    anonymous = AsyncWebClient(base_url=slack_standin.api_url)
    blocks = json.dumps([b.to_dict() for b in review_blocks()])
    posted = await anonymous.api_call(
        "chat.postMessage",
        data={"token": slack_standin.bot_token, "channel": ALICE, "text": "x", "blocks": blocks},
    )
    assert slack_standin.messages_in(ALICE)[0].blocks[1]["text"]["text"] == "*Stage:* Review1.a"
    assert posted["ok"] is True
    recorded = slack_standin.calls_to("chat.postMessage")[0]
    assert "token" not in recorded.params
    assert slack_standin.bot_token not in json.dumps(recorded.params)


async def test_chat_update_keeps_the_edit_history(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    posted = await slack_client.chat_postMessage(
        channel=ALICE, text="Review", blocks=review_blocks()
    )
    updated = await slack_client.chat_update(
        channel=posted["channel"], ts=posted["ts"], text="Approved by alice", blocks=[]
    )

    assert updated["ts"] == posted["ts"]
    message = slack_standin.messages_in(ALICE)[0]
    assert message.text == "Approved by alice" and message.blocks == []
    assert [r.text for r in message.revisions] == ["Review", "Approved by alice"]
    assert message.revisions[0].blocks[2]["type"] == "actions"


async def test_chat_update_errors(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    dm = slack_standin.dm_channel_of(ALICE)
    missing = await error_of(slack_client.chat_update(channel=dm, ts="1.000001", text="x"))
    assert missing.response["error"] == "message_not_found"
    theirs = slack_standin.post_as(ALICE, dm, "a message alice wrote")
    refused = await error_of(slack_client.chat_update(channel=dm, ts=theirs.ts, text="x"))
    assert refused.response["error"] == "cant_update_message"
    assert slack_standin.messages_in(dm)[0].text == "a message alice wrote"


async def test_chat_post_ephemeral_is_seen_only_by_its_user(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    dm = slack_standin.dm_channel_of(ALICE)
    sent = await slack_client.chat_postEphemeral(channel=dm, user=ALICE, text="Not your review")
    [seen] = slack_standin.ephemerals_for(ALICE)
    assert (seen.ts, seen.channel, seen.text) == (sent["message_ts"], dm, "Not your review")
    assert slack_standin.ephemerals_for("U0BOB00001") == []
    assert slack_standin.messages_in(dm) == []


async def test_chat_get_permalink(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    posted = await slack_client.chat_postMessage(channel=ALICE, text="x")
    link = await slack_client.chat_getPermalink(channel=posted["channel"], message_ts=posted["ts"])
    assert link["permalink"].startswith(slack_standin.url + "/archives/" + posted["channel"])
    missing = await error_of(
        slack_client.chat_getPermalink(channel=posted["channel"], message_ts="1.000001")
    )
    assert missing.response["error"] == "message_not_found"


async def test_ratelimited_answers_429_with_retry_after_and_slack_sdk_retries(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("chat.postMessage", error="ratelimited", retry_after=0)
    posted = await slack_client.chat_postMessage(channel=ALICE, text="after a pause")
    assert posted["ok"] is True
    assert [(c.http_status, c.error) for c in slack_standin.calls_to("chat.postMessage")] == [
        (429, "ratelimited"),
        (200, None),
    ]
    assert [m.text for m in slack_standin.messages_in(ALICE)] == ["after a pause"]


async def test_ratelimited_without_a_retry_handler_surfaces_retry_after(
    slack_standin: SlackStandInForTests,
) -> None:
    client = AsyncWebClient(token=slack_standin.bot_token, base_url=slack_standin.api_url)
    slack_standin.fail_next("users.lookupByEmail", retry_after=7)
    limited = await error_of(client.users_lookupByEmail(email="alice@example.com"))
    assert limited.response.status_code == 429
    assert limited.response.headers["Retry-After"] == "7"
    assert limited.response["error"] == "ratelimited"


async def test_server_errors_are_retried_by_slack_sdk(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    slack_standin.fail_next("conversations.open", error="internal_error", times=2)
    opened = await slack_client.conversations_open(users=ALICE)
    assert opened["channel"]["id"] == slack_standin.dm_channel_of(ALICE)
    assert [c.http_status for c in slack_standin.calls_to("conversations.open")] == [500, 500, 200]


async def test_unknown_method(slack_client: AsyncWebClient) -> None:
    unknown = await error_of(slack_client.api_call("chat.postTelegram"))
    assert unknown.response["error"] == "unknown_method"


@pytest.mark.parametrize(
    ("text", "content_type"),
    [
        pytest.param("503 Service Unavailable", "text/plain", id="text"),
        pytest.param("<html><body>Bad gateway</body></html>", "text/html", id="html"),
    ],
)
async def test_a_planned_outage_can_answer_with_a_proxy_page_instead_of_json(
    slack_standin: SlackStandInForTests, text: str, content_type: str
) -> None:
    """What a load balancer in front of Slack sends: not Slack's JSON, so clients must cope."""
    slack_standin.fail_next("users.info", error="service_unavailable", status=503, text=text)
    client = AsyncWebClient(token=slack_standin.bot_token, base_url=slack_standin.api_url)

    failed = await error_of(client.users_info(user="U0ALICE001"))

    assert failed.response.status_code == 503
    assert failed.response.headers["Content-Type"].startswith(content_type)
    assert not isinstance(failed.response.data, dict) or "ok" not in failed.response.data
    assert [(c.http_status, c.error) for c in slack_standin.calls_to("users.info")] == [
        (503, "service_unavailable")
    ]
    assert (await client.users_info(user="U0ALICE001"))["user"]["id"] == "U0ALICE001"
