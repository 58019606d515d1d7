"""The sandbox page on its own (no bot behind it): who is signed in, Block Kit as Slack shows it,
live updates, and failures shown rather than swallowed."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect
from slack_sdk.web.async_client import AsyncWebClient

from slack_sandbox.state import REVIEW_CHANNEL_ID
from tests.browser.sandbox_page import SandboxPage
from tests.fixtures.slack_standin import SlackStandInForTests

ALICE, BOB = "U0ALICE001", "U0BOB00001"


def approve_button(confirm: bool = False) -> dict[str, object]:
    button: dict[str, object] = {
        "type": "button",
        "action_id": "review_approve",
        "text": {"type": "plain_text", "text": "Approve"},
        "style": "primary",
        "value": "v",
    }
    if confirm:
        button["confirm"] = {
            "title": {"type": "plain_text", "text": "Approve it?"},
            "text": {"type": "mrkdwn", "text": "It cannot be undone."},
            "confirm": {"type": "plain_text", "text": "Yes, approve"},
            "deny": {"type": "plain_text", "text": "Not yet"},
        }
    return button


async def test_the_page_keeps_the_person_and_shows_their_messages_live(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, page: Page
) -> None:
    await page.goto(f"{slack_standin.url}/?user={BOB}")
    sandbox = SandboxPage(page, slack_standin.url)
    await expect(page.get_by_role("status")).to_have_text("Live")
    await page.reload()
    await expect(page.get_by_label("Current user")).to_have_value(BOB)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Schema Approvals")

    posted = await slack_client.chat_postMessage(
        channel=BOB,
        text="fallback",
        blocks=[
            {"type": "header", "text": {"type": "plain_text", "text": "Schema review: orders v3"}},
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "*Bold* for <@U0ALICE001>: <https://example.com/o.json|o.json> `v3`",
                },
                "fields": [{"type": "mrkdwn", "text": "*Stage*\nReview1.b"}],
            },
            {"type": "divider"},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "Round _1_"}]},
        ],
    )
    await slack_client.chat_postMessage(channel=ALICE, text="Only for Alice")
    message = sandbox.message("Schema review: orders v3")
    await expect(message.locator("strong").first).to_have_text("Bold")
    await expect(message).to_contain_text("@Alice Anders")
    await expect(message.get_by_role("link", name="o.json")).to_have_attribute(
        "href", "https://example.com/o.json"
    )
    await expect(message.locator("code")).to_have_text("v3")
    await expect(message.locator("em")).to_have_text("1")
    await expect(page.get_by_text("Only for Alice")).to_have_count(0)

    await slack_client.chat_update(channel=posted["channel"], ts=posted["ts"], text="Closed")
    await expect(sandbox.messages()).to_have_count(1)
    await expect(sandbox.messages().first).to_contain_text("(edited)")

    # Elsewhere: the channel gets an unread marker; an ephemeral is Bob's and can be dismissed.
    # The sidebar's links stay the same elements while messages arrive, so a click on one
    # as a message comes in is not lost.
    channel_link = page.get_by_role("link", name=re.compile("schema-reviews"))
    link_before = await channel_link.element_handle()
    await slack_client.chat_postMessage(channel=REVIEW_CHANNEL_ID, text="New request")
    await expect(channel_link.locator(".badge")).to_have_text("1")
    assert await link_before.evaluate("link => link.isConnected")
    await slack_client.chat_postEphemeral(channel=REVIEW_CHANNEL_ID, user=BOB, text="Just you")
    await sandbox.go_to("schema-reviews")
    await expect(channel_link.locator(".badge")).to_be_hidden()
    note = sandbox.ephemerals()
    await expect(note).to_contain_text("Only visible to you")
    await note.get_by_role("button", name="Dismiss message").click()
    await expect(note).to_have_count(0)
    await expect(sandbox.message("New request")).to_be_visible()


async def test_a_click_the_app_cannot_take_is_shown_in_a_banner(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, page: Page
) -> None:
    # Nothing listens there: as if the bot were not running.
    slack_standin.point_at_bot("http://127.0.0.1:9/slack/events")
    await slack_client.chat_postMessage(
        channel=ALICE,
        text="Review",
        blocks=[{"type": "actions", "elements": [approve_button(confirm=True)]}],
    )
    await page.goto(f"{slack_standin.url}/?user={ALICE}")
    sandbox = SandboxPage(page, slack_standin.url)
    approve = sandbox.message("Approve").get_by_role("button", name="Approve")

    await approve.click()
    confirm = page.get_by_role("alertdialog", name="Approve it?")
    await expect(confirm).to_contain_text("It cannot be undone.")
    await confirm.get_by_role("button", name="Not yet").click()
    await expect(confirm).to_have_count(0)
    await expect(sandbox.error_banner()).to_be_hidden()
    assert slack_standin.calls_to("chat.postEphemeral") == []

    await approve.click()
    await page.get_by_role("button", name="Yes, approve").click()
    await expect(sandbox.error_banner()).to_contain_text("could not be reached")
    await page.get_by_role("button", name="Dismiss error").click()
    await expect(sandbox.error_banner()).to_be_hidden()


async def test_an_unknown_person_in_the_address_is_said_not_guessed_silently(
    slack_standin: SlackStandInForTests, page: Page
) -> None:
    await page.goto(f"{slack_standin.url}/?user=U0NOBODY01")
    sandbox = SandboxPage(page, slack_standin.url)
    await expect(sandbox.error_banner()).to_contain_text("No simulated user has the id U0NOBODY01")
    await expect(page.get_by_label("Current user")).to_have_value("U0OWNER001")
    await expect(page).to_have_url(re.compile(r"user=U0OWNER001"))


async def test_an_example_goes_into_the_message_box_ready_to_send(
    slack_standin: SlackStandInForTests, page: Page
) -> None:
    sandbox = SandboxPage(page, slack_standin.url)
    await sandbox.open()
    example = page.locator(".example").filter(has_text="Order placed (Avro record)")
    await example.get_by_role("button", name="Put in message box").click()
    await expect(page.get_by_label("Message", exact=True)).to_have_value(
        f"/submit-schema order-placed 1 {slack_standin.url}/examples/order-placed-avro.json"
        " Order event for the fulfilment pipeline"
    )
