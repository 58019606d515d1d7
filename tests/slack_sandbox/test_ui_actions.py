"""What a person does on the sandbox page reaches the app as Slack would send it, signed; and
what cannot be done is refused with a sentence the page shows."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from slack_sandbox.state import REVIEW_CHANNEL_ID
from slack_sandbox.view_state import REQUIRED_FIELD
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.slack_sandbox.signed_receiver import SignedReceiver, signed_receiver

ALICE, BOB = "U0ALICE001", "U0BOB00001"
ALICE_DM = "D0ALICE001"
APPROVE: dict[str, Any] = {
    "type": "button",
    "action_id": "review_approve",
    "text": {"type": "plain_text", "text": "Approve"},
    "value": '{"w":"schema-approval-x","s":"Review1.a","v":1}',
    "style": "primary",
}


@pytest.fixture
async def app(slack_standin: SlackStandInForTests) -> AsyncIterator[SignedReceiver]:
    async with signed_receiver(slack_standin.signing_secret) as receiver:
        slack_standin.point_at_bot(receiver.url)
        yield receiver


async def ui(standin: SlackStandInForTests, path: str, body: Any) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{standin.url}/ui/{path}", json=body) as response,
    ):
        return response.status, dict(await response.json())


async def review_request(client: AsyncWebClient) -> str:
    posted = await client.chat_postMessage(
        channel=ALICE,
        text="Schema review",
        blocks=[{"type": "actions", "block_id": "review_actions", "elements": [APPROVE]}],
    )
    return str(posted["ts"])


async def test_a_click_sends_the_signed_block_actions_slack_would(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, app: SignedReceiver
) -> None:
    ts = await review_request(slack_client)
    status, answer = await ui(
        slack_standin,
        "click",
        {"user": ALICE, "channel": ALICE_DM, "ts": ts, "action_id": "review_approve"},
    )
    assert (status, answer) == (200, {"ok": True, "status": 200})
    payload = app.last().payload()
    assert payload["type"] == "block_actions" and payload["user"]["id"] == ALICE
    assert payload["container"] == {
        "type": "message",
        "message_ts": ts,
        "channel_id": ALICE_DM,
        "is_ephemeral": False,
    }
    assert payload["channel"]["id"] == ALICE_DM and payload["message"]["ts"] == ts
    assert payload["actions"][0]["value"] == APPROVE["value"]
    assert payload["actions"][0]["block_id"] == "review_actions"
    assert payload["response_url"].startswith(slack_standin.url + "/response/")


async def test_a_click_in_the_home_tab_has_a_view_container(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, app: SignedReceiver
) -> None:
    # Two reviews waiting: the same action id in two blocks, told apart by block id.
    blocks = [
        {"type": "actions", "block_id": f"home:{n}", "elements": [APPROVE]} for n in ("a", "b")
    ]
    home = await slack_client.views_publish(user_id=ALICE, view={"type": "home", "blocks": blocks})
    view_id = home["view"]["id"]
    status, _ = await ui(
        slack_standin,
        "click",
        {"user": ALICE, "view_id": view_id, "action_id": "review_approve", "block_id": "home:b"},
    )
    assert status == 200
    payload = app.last().payload()
    assert payload["container"] == {"type": "view", "view_id": view_id}
    assert payload["view"]["id"] == view_id and payload["view"]["type"] == "home"
    assert payload["actions"][0]["block_id"] == "home:b"
    assert not {"channel", "message", "response_url"} & payload.keys()


async def test_a_submitted_modal_shows_the_apps_errors_and_closes_when_accepted(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, app: SignedReceiver
) -> None:
    view_id = await open_reason_modal(slack_standin, slack_client)
    status, answer = await ui(
        slack_standin, "submit", {"user": ALICE, "view_id": view_id, "values": {"reason": None}}
    )
    # An empty required field never leaves the client, as in Slack.
    assert (status, answer["delivered"]) == (200, False) and app.received == []
    assert answer["errors"] == {"reason_block": REQUIRED_FIELD}

    app.answer = (
        200,
        json.dumps({"response_action": "errors", "errors": {"reason_block": "Why?"}}),
    )
    _, answer = await ui(
        slack_standin, "submit", {"user": ALICE, "view_id": view_id, "values": {"reason": "  "}}
    )
    assert answer["errors"] == {"reason_block": "Why?"}
    assert slack_standin.open_modals_of(ALICE)[-1].id == view_id

    app.answer = (200, "")
    await ui(
        slack_standin, "submit", {"user": ALICE, "view_id": view_id, "values": {"reason": "Bad"}}
    )
    submitted = app.last().payload()
    assert submitted["type"] == "view_submission"
    assert submitted["view"]["state"]["values"]["reason_block"]["reason"]["value"] == "Bad"
    assert slack_standin.open_modals_of(ALICE) == []


async def test_cancel_closes_and_tells_the_app_only_when_asked(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, app: SignedReceiver
) -> None:
    quiet = await open_reason_modal(slack_standin, slack_client)
    status, answer = await ui(slack_standin, "close", {"user": ALICE, "view_id": quiet})
    assert (status, answer) == (200, {"ok": True, "notified": False}) and app.received == []
    assert slack_standin.open_modals_of(ALICE) == []

    told = await open_reason_modal(slack_standin, slack_client, notify_on_close=True)
    _, answer = await ui(slack_standin, "close", {"user": ALICE, "view_id": told})
    assert answer["notified"] is True
    closed = app.last().payload()
    assert closed["type"] == "view_closed" and closed["view"]["id"] == told
    assert closed["is_cleared"] is False


async def test_opening_home_sends_a_signed_app_home_opened_event(
    slack_standin: SlackStandInForTests, app: SignedReceiver
) -> None:
    status, _ = await ui(slack_standin, "home", {"user": ALICE})
    assert status == 200
    received = app.last()
    assert received.content_type == "application/json"
    envelope = received.payload()
    assert envelope["type"] == "event_callback"
    assert envelope["event"]["type"] == "app_home_opened"
    assert envelope["event"]["user"] == ALICE and envelope["event"]["tab"] == "home"


async def test_the_message_box_runs_commands_and_posts_text(
    slack_standin: SlackStandInForTests, app: SignedReceiver
) -> None:
    app.answer = (200, json.dumps({"text": "Nothing is waiting for you."}))
    status, _ = await ui(
        slack_standin,
        "message",
        {"user": ALICE, "channel": REVIEW_CHANNEL_ID, "text": "/schema-status  inventory "},
    )
    assert status == 200
    form = app.last().form()
    assert (form["command"], form["text"], form["user_id"]) == (
        "/schema-status",
        "inventory",
        ALICE,
    )
    assert form["channel_id"] == REVIEW_CHANNEL_ID
    reply = slack_standin.ephemerals_for(ALICE, REVIEW_CHANNEL_ID)
    assert [e.text for e in reply] == ["Nothing is waiting for you."]
    assert slack_standin.ephemerals_for(BOB) == []

    await ui(slack_standin, "message", {"user": BOB, "channel": REVIEW_CHANNEL_ID, "text": "hi"})
    said = slack_standin.messages_in(REVIEW_CHANNEL_ID)[-1]
    assert (said.user, said.text) == (BOB, "hi")
    assert len(app.received) == 1


@pytest.mark.parametrize(
    ("path", "body", "status", "says"),
    [
        ("click", {"user": "U0NOBODY01", "view_id": "V1", "action_id": "a"}, 404, "Pick one of"),
        ("click", {"user": ALICE, "channel": ALICE_DM, "ts": "1.2", "action_id": "a"}, 404, "1.2"),
        ("click", {"user": ALICE, "channel": "D0BOB00001", "ts": "1", "action_id": "a"}, 404, ""),
        ("click", {"user": ALICE, "channel": ALICE_DM, "ts": "1"}, 400, "action_id"),
        ("click", ["not", "an", "object"], 400, "JSON object"),
        ("submit", {"user": ALICE, "view_id": "V0NOPE"}, 404, "no open view"),
        ("close", {"user": ALICE, "view_id": "V0NOPE"}, 404, "no open view"),
        ("message", {"user": ALICE, "channel": ALICE_DM, "text": " "}, 400, "Type a message"),
        ("message", {"user": ALICE, "channel": ALICE_DM, "text": "/deploy"}, 400, "/deploy"),
        ("dismiss", {"user": ALICE, "channel": ALICE_DM, "ts": "1"}, 404, "no ephemeral"),
    ],
)
async def test_bad_requests_are_refused_with_a_sentence_and_change_nothing(
    slack_standin: SlackStandInForTests,
    app: SignedReceiver,
    path: str,
    body: Any,
    status: int,
    says: str,
) -> None:
    before = len(slack_standin.state.messages)
    got, answer = await ui(slack_standin, path, body)
    assert (got, answer["ok"]) == (status, False)
    assert says in answer["error"] and answer["error"].endswith(".")
    assert app.received == [] and len(slack_standin.state.messages) == before


async def test_a_button_the_message_does_not_have_is_named_with_those_it_has(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, app: SignedReceiver
) -> None:
    ts = await review_request(slack_client)
    status, answer = await ui(
        slack_standin, "click", {"user": ALICE, "channel": ALICE_DM, "ts": ts, "action_id": "x"}
    )
    assert status == 404 and "review_actions/review_approve" in answer["error"]
    assert app.received == []


async def test_an_app_that_fails_the_click_is_shown_not_silent(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, app: SignedReceiver
) -> None:
    ts = await review_request(slack_client)
    click = {"user": ALICE, "channel": ALICE_DM, "ts": ts, "action_id": "review_approve"}
    app.answer = (500, "")
    status, answer = await ui(slack_standin, "click", click)
    assert status == 502 and "HTTP 500" in answer["error"]

    async with signed_receiver(slack_standin.signing_secret) as gone:
        slack_standin.point_at_bot(gone.url)
    status, answer = await ui(slack_standin, "click", click)
    assert status == 502 and "could not be reached" in answer["error"]


async def open_reason_modal(
    standin: SlackStandInForTests, client: AsyncWebClient, *, notify_on_close: bool = False
) -> str:
    view = {
        "type": "modal",
        "callback_id": "reject",
        "title": {"type": "plain_text", "text": "Reject schema"},
        "submit": {"type": "plain_text", "text": "Reject"},
        "notify_on_close": notify_on_close,
        "blocks": [
            {
                "type": "input",
                "block_id": "reason_block",
                "label": {"type": "plain_text", "text": "Why?"},
                "element": {"type": "plain_text_input", "action_id": "reason", "multiline": True},
            }
        ],
    }
    opened = await client.views_open(trigger_id=standin.issue_trigger(ALICE), view=view)
    return str(opened["view"]["id"])
