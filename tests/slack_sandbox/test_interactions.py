"""What the stand-in sends to the bot when people click and fill in modals: signed like Slack,
in Slack's payload formats, and how the bot's answers show up for the people in the sandbox."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View as ViewModel
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.fixtures.slack_standin import SlackStandInForTests
from tests.slack_sandbox.recording_bot import RecordingBot, recording_bot

ALICE, BOB = "U0ALICE001", "U0BOB00001"


@pytest.fixture
async def bot(slack_standin: SlackStandInForTests) -> AsyncIterator[RecordingBot]:
    async with recording_bot(slack_standin) as recording:
        yield recording


async def post_review(client: AsyncWebClient) -> Any:
    return await client.chat_postMessage(
        channel=ALICE,
        text="Review inventory-service v1",
        blocks=[
            ActionsBlock(
                block_id="decision",
                elements=[
                    ButtonElement(
                        text="Approve", action_id="review_approve", value='{"v":1}', style="primary"
                    ),
                    ButtonElement(text="Reject", action_id="review_reject", value='{"v":1}'),
                ],
            )
        ],
    )


def reject_modal() -> ViewModel:
    return ViewModel(
        type="modal",
        callback_id="reject_reason",
        title="Reject schema",
        submit="Reject",
        private_metadata="wf|Review1.a|1",
        blocks=[
            InputBlock(
                block_id="reason",
                label="Why?",
                element=PlainTextInputElement(action_id="reason_input"),
            ),
            InputBlock(
                block_id="senior",
                label="Senior reviewer",
                element=UserSelectElement(action_id="pick", initial_user="U0CAROL001"),
            ),
            InputBlock(
                block_id="severity",
                label="Severity",
                optional=True,
                element=StaticSelectElement(
                    action_id="level",
                    options=[
                        Option(value="minor", text="Minor"),
                        Option(value="major", text="Major"),
                    ],
                ),
            ),
        ],
    )


async def test_click_sends_a_signed_block_actions_payload_built_from_the_button(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, bot: RecordingBot
) -> None:
    posted = await post_review(slack_client)

    result = await slack_standin.click_button(
        ALICE, posted["channel"], posted["ts"], "review_approve"
    )

    assert result.status == 200, "the bot verified the signature with SignatureVerifier"
    payload = bot.last_payload()
    assert payload["type"] == "block_actions"
    assert payload["user"]["id"] == ALICE and payload["user"]["username"] == "alice"
    assert payload["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": posted["channel"],
        "is_ephemeral": False,
    }
    [action] = payload["actions"]
    assert (action["action_id"], action["block_id"], action["value"], action["style"]) == (
        "review_approve",
        "decision",
        '{"v":1}',
        "primary",
    )
    assert action["text"]["text"] == "Approve"
    assert payload["message"]["ts"] == posted["ts"]
    assert payload["response_url"].startswith(slack_standin.url + "/response/")


async def test_a_click_on_a_message_that_changed_since_reaches_the_bot_as_shown(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, bot: RecordingBot
) -> None:
    posted = await post_review(slack_client)
    shown = {"type": "button", "action_id": "review_approve", "value": '{"v":1}', "text": "x"}
    await slack_client.chat_update(
        channel=posted["channel"], ts=posted["ts"], text="Approved by alice", blocks=[]
    )

    result = await slack_standin.click_button(
        ALICE, posted["channel"], posted["ts"], "review_approve", block_id="decision", shown=shown
    )

    assert result.status == 200
    [action] = bot.last_payload()["actions"]
    assert (action["action_id"], action["block_id"], action["value"]) == (
        "review_approve",
        "decision",
        '{"v":1}',
    )
    # Without the button as shown, the stand-in says plainly that the message changed.
    with pytest.raises(LookupError, match="The message changed since it was shown"):
        await slack_standin.click_button(
            ALICE, posted["channel"], posted["ts"], "review_approve", block_id="decision"
        )


async def test_a_bot_with_another_signing_secret_refuses_the_click(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, bot: RecordingBot
) -> None:
    bot.verifier = SignatureVerifier("some-other-secret")
    posted = await post_review(slack_client)
    result = await slack_standin.click_button(
        ALICE, posted["channel"], posted["ts"], "review_reject"
    )
    assert result.status == 401
    assert bot.received == []


async def test_the_clicks_trigger_id_opens_a_modal(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, bot: RecordingBot
) -> None:
    posted = await post_review(slack_client)
    await slack_standin.click_button(ALICE, posted["channel"], posted["ts"], "review_reject")

    opened = await slack_client.views_open(
        trigger_id=bot.last_payload()["trigger_id"], view=reject_modal()
    )
    assert [v.id for v in slack_standin.open_modals_of(ALICE)] == [opened["view"]["id"]]


async def test_response_url_replies_show_like_slack_shows_them(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, bot: RecordingBot
) -> None:
    posted = await post_review(slack_client)
    await slack_standin.click_button(BOB, posted["channel"], posted["ts"], "review_approve")
    respond = AsyncWebhookClient(bot.last_payload()["response_url"])

    await respond.send(text="This is not your review.")
    assert [e.text for e in slack_standin.ephemerals_for(BOB)] == ["This is not your review."]

    await respond.send(text="Approved by alice", blocks=[], replace_original=True)
    [message] = slack_standin.messages_in(ALICE)
    assert message.text == "Approved by alice" and message.blocks == []
    assert [r.text for r in message.revisions] == [
        "Review inventory-service v1",
        "Approved by alice",
    ]

    await respond.send(text="Everyone: approved", response_type="in_channel")
    assert [m.text for m in slack_standin.messages_in(ALICE)][-1] == "Everyone: approved"

    gone = await respond.send_dict({"delete_original": True})
    assert gone.status_code == 200
    assert message not in slack_standin.messages_in(ALICE)


async def test_submit_view_sends_state_values_in_slacks_shape(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, bot: RecordingBot
) -> None:
    opened = await slack_client.views_open(
        trigger_id=slack_standin.issue_trigger(ALICE), view=reject_modal()
    )
    view_id = opened["view"]["id"]
    bot.answer = (200, json.dumps({"response_action": "errors", "errors": {"reason": "Too short"}}))

    result = await slack_standin.submit_view(ALICE, view_id, {"reason": "no", "level": "major"})

    assert result.status == 200
    payload = bot.last_payload()
    assert payload["type"] == "view_submission"
    assert payload["view"]["callback_id"] == "reject_reason"
    assert payload["view"]["private_metadata"] == "wf|Review1.a|1"
    values = payload["view"]["state"]["values"]
    assert values["reason"] == {"reason_input": {"type": "plain_text_input", "value": "no"}}
    assert values["senior"]["pick"]["selected_user"] == "U0CAROL001"
    assert values["severity"]["level"]["selected_option"]["value"] == "major"
    [still_open] = slack_standin.open_modals_of(ALICE)
    assert still_open.errors == {"reason": "Too short"}

    bot.answer = (200, "")
    await slack_standin.submit_view(ALICE, view_id, {"reason": "Breaks consumers of v1"})
    assert slack_standin.open_modals_of(ALICE) == []


async def test_a_modal_with_an_empty_required_field_is_not_sent(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, bot: RecordingBot
) -> None:
    opened = await slack_client.views_open(
        trigger_id=slack_standin.issue_trigger(ALICE), view=reject_modal()
    )
    result = await slack_standin.submit_view(ALICE, opened["view"]["id"], {})
    assert result.delivered is False and bot.received == []
    assert "reason" in slack_standin.open_modals_of(ALICE)[0].errors
    with pytest.raises(ValueError, match="no input called 'colour'"):
        await slack_standin.submit_view(ALICE, opened["view"]["id"], {"colour": "red"})


async def test_changes_are_streamed_to_subscribers(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    changes = slack_standin.state.subscribe()
    posted = await slack_client.chat_postMessage(channel=ALICE, text="hello")
    kinds = []
    while not changes.empty():
        change = changes.get_nowait()
        kinds.append(change.kind)
        if change.kind == "message_posted":
            assert change.data["message"]["ts"] == posted["ts"]
    assert "message_posted" in kinds and "api_call" in kinds
    snapshot = json.loads(json.dumps(slack_standin.state.snapshot()))
    assert [m["text"] for m in snapshot["messages"]] == ["hello"]
