"""The stand-in drives a real Bolt app end to end: signatures, trigger_ids, acks, respond()."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually

ALICE = "U0ALICE001"
REASON_MODAL = {
    "type": "modal",
    "callback_id": "reject_reason",
    "title": {"type": "plain_text", "text": "Reject schema"},
    "submit": {"type": "plain_text", "text": "Reject"},
    "blocks": [
        {
            "type": "input",
            "block_id": "reason",
            "label": {"type": "plain_text", "text": "Why?"},
            "element": {"type": "plain_text_input", "action_id": "reason_input"},
        }
    ],
}


def build_app(standin: SlackStandInForTests) -> AsyncApp:
    client = AsyncWebClient(token=standin.bot_token, base_url=standin.api_url)
    app = AsyncApp(client=client, signing_secret=standin.signing_secret)

    @app.action("review_reject")
    async def open_reason(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=REASON_MODAL)

    @app.view("reject_reason")
    async def check_reason(ack: AsyncAck, view: dict[str, Any]) -> None:
        reason = view["state"]["values"]["reason"]["reason_input"]["value"]
        if len(reason.strip()) < 5:
            await ack(response_action="errors", errors={"reason": "Say a little more."})
        else:
            await ack()

    @app.command("/schema-status")
    async def status(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        await ack(f"Looking up {command['text']}…")
        await respond(text="inventory-service: awaiting review")

    return app


@pytest.fixture
async def bolt_url(slack_standin: SlackStandInForTests) -> AsyncIterator[str]:
    runner = web.AppRunner(build_app(slack_standin).web_app(path="/slack/events"))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    slack_standin.point_at_bot(url)
    try:
        yield url
    finally:
        await runner.cleanup()


async def test_reject_click_opens_a_modal_whose_errors_show_under_the_field(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, bolt_url: str
) -> None:
    button = {
        "type": "button",
        "action_id": "review_reject",
        "text": {"type": "plain_text", "text": "Reject"},
        "value": "v1",
    }
    posted = await slack_client.chat_postMessage(
        channel=ALICE, text="Review", blocks=[{"type": "actions", "elements": [button]}]
    )
    clicked = await slack_standin.click_button(
        ALICE, posted["channel"], posted["ts"], "review_reject"
    )
    assert clicked.status == 200

    async def modal_is_open() -> str:
        [modal] = slack_standin.open_modals_of(ALICE)
        return modal.id

    view_id = await eventually(modal_is_open)
    await slack_standin.submit_view(ALICE, view_id, {"reason": "no"})
    assert slack_standin.open_modals_of(ALICE)[0].errors == {"reason": "Say a little more."}
    await slack_standin.submit_view(ALICE, view_id, {"reason": "Drops a required field"})
    assert slack_standin.open_modals_of(ALICE) == []


async def test_slash_command_ack_text_and_respond_reach_the_person(
    slack_standin: SlackStandInForTests, bolt_url: str
) -> None:
    result = await slack_standin.run_slash_command(ALICE, "/schema-status", "inventory-service")
    assert result.status == 200

    async def both_replies_shown() -> None:
        # respond() may overtake the ack's body, in Slack as here: order is not promised.
        texts = sorted(e.text for e in slack_standin.ephemerals_for(ALICE))
        assert texts == ["Looking up inventory-service…", "inventory-service: awaiting review"]

    await eventually(both_replies_shown)
