"""The browser sandbox over HTTP: the page and its files, the example documents, and the live
feed that shows each person what they would see in Slack."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from slack_sandbox.state import REVIEW_CHANNEL_ID
from tests.fixtures.slack_standin import SlackStandInForTests

ALICE, BOB = "U0ALICE001", "U0BOB00001"
ALICE_DM, BOB_DM = "D0ALICE001", "D0BOB00001"
# A deadline for each websocket message, not a pause: receive returns as soon as one arrives.
FEED_DEADLINE = 5.0


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def next_shown(feed: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    return dict(await asyncio.wait_for(feed.receive_json(), FEED_DEADLINE))


async def test_the_page_and_its_files_are_served(
    slack_standin: SlackStandInForTests, http: aiohttp.ClientSession
) -> None:
    async with http.get(slack_standin.url + "/") as page:
        assert page.status == 200 and page.content_type == "text/html"
        html = await page.text()
    assert 'aria-label="Current user"' in html and "/static/app.js" in html
    for name, kind in [("app.js", "javascript"), ("app.css", "css"), ("mrkdwn.js", "javascript")]:
        async with http.get(f"{slack_standin.url}/static/{name}") as file:
            assert file.status == 200 and kind in file.content_type, name
    async with http.get(slack_standin.url + "/static/..%2Fserver.py") as escape:
        assert escape.status == 404
        assert "the page's files are" in (await escape.json())["error"]


async def test_the_user_switcher_lists_the_simulated_people(
    slack_standin: SlackStandInForTests, http: aiohttp.ClientSession
) -> None:
    async with http.get(slack_standin.url + "/ui/people") as response:
        people = (await response.json())["users"]
    assert [p["real_name"] for p in people] == [
        "Olivia Owner",
        "Alice Anders",
        "Bob Brandt",
        "Carol Chen",
        "Dave Dekker",
        "Erin Evans",
        "Frank Fischer",
    ]


async def test_examples_are_listed_with_ready_commands_and_served(
    slack_standin: SlackStandInForTests, http: aiohttp.ClientSession
) -> None:
    async with http.get(slack_standin.url + "/examples/") as response:
        examples = (await response.json())["examples"]
    assert [e["url"] for e in examples] == slack_standin.example_urls()
    assert examples[0]["url"] == slack_standin.url + "/examples/inventory-item-v1.json"
    formats = set()
    for example in examples:
        assert example["command"].startswith(
            f"/submit-schema {example['schema_id']} {example['version']} {example['url']} "
        )
        async with http.get(example["url"]) as document:
            assert document.status == 200
            if example["file"].endswith(".proto"):
                assert document.content_type == "text/plain"
                assert 'syntax = "proto3";' in await document.text()
                formats.add("protobuf")
                continue
            assert document.content_type == "application/json"
            formats.add("avro" if (await document.json()).get("type") == "record" else "json")
    assert formats == {"avro", "json", "protobuf"}
    async with http.get(slack_standin.url + "/examples/nope.json") as missing:
        assert missing.status == 404
        assert "inventory-item-v1.json" in (await missing.json())["error"]


async def test_the_feed_shows_posted_and_updated_messages_live(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, http: aiohttp.ClientSession
) -> None:
    await slack_client.chat_postMessage(channel=BOB, text="For Bob only")
    async with http.ws_connect(f"{slack_standin.url}/ui/socket?user={ALICE}") as feed:
        snapshot = await next_shown(feed)
        assert snapshot["type"] == "snapshot" and snapshot["me"] == ALICE
        channels = {c["id"] for c in snapshot["channels"]}
        assert {REVIEW_CHANNEL_ID, ALICE_DM} <= channels and BOB_DM not in channels
        assert snapshot["messages"] == []
        assert snapshot["commands"] == ["/submit-schema", "/schema-status"]

        posted = await slack_client.chat_postMessage(
            channel=ALICE, text="Review this", blocks=[_section("*Review* this")]
        )
        shown = await next_shown(feed)
        assert shown["type"] == "message"
        assert shown["message"]["ts"] == posted["ts"] and shown["message"]["channel"] == ALICE_DM
        assert shown["message"]["blocks"][0]["text"]["text"] == "*Review* this"
        assert shown["message"]["edited"] is False

        await slack_client.chat_update(
            channel=ALICE_DM, ts=posted["ts"], text="Decided", blocks=[_section("Decided")]
        )
        updated = await next_shown(feed)
        assert updated["message"]["ts"] == posted["ts"] and updated["message"]["edited"] is True
        assert updated["message"]["blocks"][0]["text"]["text"] == "Decided"
        assert "revisions" not in updated["message"]

        # Bob's DM and Bob's ephemeral never reach Alice's page: the next thing shown is hers.
        await slack_client.chat_postMessage(channel=BOB, text="Bob's review")
        await slack_client.chat_postEphemeral(channel=REVIEW_CHANNEL_ID, user=BOB, text="Bob's")
        await slack_client.chat_postEphemeral(channel=REVIEW_CHANNEL_ID, user=ALICE, text="Hers")
        ephemeral = await next_shown(feed)
        assert ephemeral["type"] == "ephemeral" and ephemeral["ephemeral"]["text"] == "Hers"


async def test_the_feed_shows_the_persons_modals_and_home_tab(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient, http: aiohttp.ClientSession
) -> None:
    async with http.ws_connect(f"{slack_standin.url}/ui/socket?user={ALICE}") as feed:
        assert (await next_shown(feed))["modals"] == []
        await slack_client.views_publish(
            user_id=ALICE, view={"type": "home", "blocks": [_section("Alice's home")]}
        )
        home = await next_shown(feed)
        assert home["type"] == "views" and home["modals"] == []
        assert home["home"]["definition"]["blocks"][0]["text"]["text"] == "Alice's home"
        await slack_client.views_open(
            trigger_id=slack_standin.issue_trigger(ALICE), view=_modal("Reject schema")
        )
        opened = await next_shown(feed)
        assert [m["definition"]["title"]["text"] for m in opened["modals"]] == ["Reject schema"]


async def test_the_feed_refuses_an_unknown_person(
    slack_standin: SlackStandInForTests, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{slack_standin.url}/ui/socket?user=U0NOBODY01") as response:
        assert response.status == 404
        error = (await response.json())["error"]
    assert "U0NOBODY01" in error and "U0ALICE001 (Alice Anders)" in error


async def test_stopping_closes_open_feeds_promptly(http: aiohttp.ClientSession) -> None:
    standin = SlackStandInForTests()
    await standin.start()
    async with http.ws_connect(f"{standin.url}/ui/socket?user={ALICE}") as feed:
        await next_shown(feed)
        # Without closing the sockets, aiohttp would wait out its shutdown timeout (60 s).
        await asyncio.wait_for(standin.stop(), 5.0)
        closing = await asyncio.wait_for(feed.receive(), FEED_DEADLINE)
    assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _modal(title: str) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": []}
