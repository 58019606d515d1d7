"""The sandbox keeps its conversations across restarts when given a state file, so that a
review that outlives a restart can still edit its messages and people still see them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.views import View as ViewModel
from slack_sdk.web.async_client import AsyncWebClient

from slack_sandbox import (
    STATE_FILE_NAME,
    SandboxStateFileError,
    remove_state_file,
    state_file_in,
)
from slack_sandbox.state import REVIEW_CHANNEL_ID
from slack_sandbox.state_file import FORMAT_VERSION, temp_path
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually

ALICE, ALICE_DM, BOB = "U0ALICE001", "D0ALICE001", "U0BOB00001"
FEED_DEADLINE = 5.0


@asynccontextmanager
async def running(path: Path) -> AsyncIterator[tuple[SlackStandInForTests, AsyncWebClient]]:
    standin = SlackStandInForTests(state_file=path)
    await standin.start()
    try:
        yield standin, AsyncWebClient(token=standin.bot_token, base_url=standin.api_url)
    finally:
        await standin.stop()


def home(text: str) -> ViewModel:
    return ViewModel(type="home", blocks=[SectionBlock(block_id="status", text=text)])


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def saved(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


async def snapshot_of(standin: SlackStandInForTests, user: str) -> dict[str, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{standin.url}/ui/socket?user={user}") as feed,
    ):
        return dict(await asyncio.wait_for(feed.receive_json(), FEED_DEADLINE))


async def test_messages_and_home_tabs_survive_a_restart_and_can_still_be_edited(
    tmp_path: Path,
) -> None:
    path = state_file_in(tmp_path)
    async with running(path) as (_, slack):
        request = await slack.chat_postMessage(channel=REVIEW_CHANNEL_ID, text="inventory v1")
        review = await slack.chat_postMessage(channel=ALICE, text="Please review")
        await slack.chat_update(channel=review["channel"], ts=review["ts"], text="Reviewing…")
        gone = await slack.chat_postMessage(channel=ALICE, text="reminder")
        await slack.chat_delete(channel=ALICE_DM, ts=gone["ts"])
        home_id = (await slack.views_publish(user_id=ALICE, view=home("1 pending")))["view"]["id"]
        await slack.chat_postEphemeral(channel=REVIEW_CHANNEL_ID, user=ALICE, text="Only you")

    async with running(path) as (standin, slack):
        # What the workflow does after a restart: edit its message by the channel and ts it kept.
        await slack.chat_update(channel=ALICE_DM, ts=review["ts"], text="Approved by Alice")
        [message] = standin.messages_in(ALICE)
        assert message.ts == review["ts"]
        assert [r.text for r in message.revisions] == [
            "Please review",
            "Reviewing…",
            "Approved by Alice",
        ]
        assert [m.text for m in standin.messages_in(REVIEW_CHANNEL_ID)] == ["inventory v1"]
        with pytest.raises(SlackApiError) as deleted:
            await slack.chat_update(channel=ALICE_DM, ts=gone["ts"], text="back?")
        assert deleted.value.response["error"] == "message_not_found"

        reopened = await slack.conversations_open(users=ALICE)
        assert reopened["channel"]["id"] == ALICE_DM and reopened["already_open"]
        # A view made after the restart gets an id of its own, not the saved Home tab's.
        bobs_home = await slack.views_publish(user_id=BOB, view=home("nothing for you"))
        assert bobs_home["view"]["id"] != home_id
        republished = await slack.views_publish(user_id=ALICE, view=home("0 pending"))
        assert republished["view"]["id"] == home_id
        modal = await slack.views_open(
            trigger_id=standin.issue_trigger(ALICE),
            view=ViewModel(type="modal", title="Why?", blocks=[SectionBlock(text="x")]),
        )
        assert modal["view"]["id"] != home_id

        later = await slack.chat_postMessage(channel=REVIEW_CHANNEL_ID, text="orders v2")
        old_ts = [request["ts"], review["ts"], gone["ts"], *(r.at_ts for r in message.revisions)]
        assert float(later["ts"]) > max(float(ts) for ts in old_ts)

        snapshot = await snapshot_of(standin, ALICE)
        shown = {m["ts"]: m for m in snapshot["messages"]}
        assert shown[review["ts"]]["text"] == "Approved by Alice" and shown[review["ts"]]["edited"]
        assert shown[request["ts"]]["text"] == "inventory v1"
        assert gone["ts"] not in shown
        assert snapshot["ephemerals"] == [] and snapshot["modals"][0]["id"] == modal["view"]["id"]
        assert snapshot["home"]["id"] == home_id
        assert snapshot["home"]["definition"]["blocks"][0]["text"]["text"] == "0 pending"


async def test_new_ts_follow_the_saved_ones_even_when_the_clock_went_back(
    tmp_path: Path,
) -> None:
    path = state_file_in(tmp_path)
    async with running(path) as (_, slack):
        await slack.chat_postMessage(channel=ALICE, text="first")
    # As if the machine's clock had been an hour ahead when the last message was posted.
    document = saved(path)
    document["last_ts_micros"] += 3600 * 1_000_000
    path.write_text(json.dumps(document))

    async with running(path) as (_, slack):
        posted = await slack.chat_postMessage(channel=ALICE, text="second")
    assert int(posted["ts"].replace(".", "")) > document["last_ts_micros"]


async def test_modals_and_the_call_record_are_not_kept(tmp_path: Path) -> None:
    path = state_file_in(tmp_path)
    async with running(path) as (standin, slack):
        await slack.views_open(
            trigger_id=standin.issue_trigger(ALICE),
            view=ViewModel(type="modal", title="Why?", blocks=[SectionBlock(text="x")]),
        )
        assert standin.open_modals_of(ALICE)

    async with running(path) as (standin, _):
        assert standin.open_modals_of(ALICE) == []
        assert standin.state.views == {} and standin.state.calls == []
    assert saved(path)["format"] == FORMAT_VERSION


async def test_changes_reach_the_file_while_running_one_write_per_burst(tmp_path: Path) -> None:
    path = state_file_in(tmp_path)
    async with running(path) as (standin, slack):
        assert standin.autosave is not None
        writes_at_start = standin.autosave.writes
        # One after the other, as a review posts to each reviewer in turn.
        for n in range(50):
            await slack.chat_postMessage(channel=ALICE, text=f"post {n}")

        async def all_saved() -> None:
            assert len(saved(path)["messages"]) == 50

        await eventually(all_saved)
        assert standin.autosave.writes - writes_at_start < 10

        # Stopped before the save delay is over: stopping saves what is pending.
        await asyncio.gather(
            *(
                slack.chat_postMessage(channel=REVIEW_CHANNEL_ID, text=f"more {n}")
                for n in range(50)
            )
        )
    assert len(saved(path)["messages"]) == 100
    # Written through a temporary file that replaced the real one: none is left behind.
    assert files_in(tmp_path) == [STATE_FILE_NAME]


async def test_an_interrupted_write_leaves_the_last_save_usable(tmp_path: Path) -> None:
    path = state_file_in(tmp_path)
    async with running(path) as (_, slack):
        await slack.chat_postMessage(channel=ALICE, text="kept")
    temp_path(path).write_text('{"format": 1, "messag')

    async with running(path) as (standin, _):
        assert [m.text for m in standin.messages_in(ALICE)] == ["kept"]
    assert files_in(tmp_path) == [STATE_FILE_NAME]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"format": 1, "messages": [', "it is not valid JSON"),
        ('["a", "list"]', "it has no format version"),
        ('{"format": 99}', "it was saved in format 99 and this version of the sandbox reads"),
        (
            '{"format": 1, "last_ts_micros": 5, "last_id": 3, "channels": [], '
            '"messages": [{"channel": "C1"}], "home_views": []}',
            "entry 1 of its messages is not what the sandbox saves",
        ),
    ],
)
async def test_an_unusable_file_is_refused_with_what_to_do(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = state_file_in(tmp_path)
    path.write_text(content)
    standin = SlackStandInForTests(state_file=path)

    with pytest.raises(SandboxStateFileError) as refused:
        await standin.start()

    message = str(refused.value)
    assert str(path) in message and problem in message
    assert "Delete it or start with --fresh" in message
    assert path.read_text() == content
    with pytest.raises(RuntimeError):
        _ = standin.url
    await standin.stop()


async def test_a_place_that_cannot_be_written_is_refused_at_start(tmp_path: Path) -> None:
    (tmp_path / "not-a-directory").write_text("")
    path = tmp_path / "not-a-directory" / STATE_FILE_NAME
    standin = SlackStandInForTests(state_file=path)

    with pytest.raises(SandboxStateFileError, match="it cannot be written"):
        await standin.start()
    await standin.stop()


async def test_removing_the_state_file_starts_an_empty_workspace(tmp_path: Path) -> None:
    path = state_file_in(tmp_path)
    async with running(path) as (_, slack):
        await slack.chat_postMessage(channel=ALICE, text="forgotten")
    temp_path(path).write_text("{")

    assert remove_state_file(path) is True
    assert files_in(tmp_path) == []
    assert remove_state_file(path) is False
    async with running(path) as (standin, _):
        assert standin.messages_in(ALICE) == []
