"""Slash commands through the stand-in: Slack's form fields reach the bot signed, its answer
shows as Slack shows it, and a failing or slow bot shows Slack's own errors."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from tests.fixtures.slack_standin import SlackStandInForTests
from tests.slack_sandbox.recording_bot import RecordingBot, recording_bot

ALICE, BOB = "U0ALICE001", "U0BOB00001"


@pytest.fixture
async def bot(slack_standin: SlackStandInForTests) -> AsyncIterator[RecordingBot]:
    async with recording_bot(slack_standin) as recording:
        yield recording


async def test_slash_command_sends_slacks_form_fields_and_shows_the_answer(
    slack_standin: SlackStandInForTests, bot: RecordingBot
) -> None:
    bot.answer = (200, json.dumps({"text": "Usage: /schema-status schema_id"}))

    result = await slack_standin.run_slash_command(ALICE, "/schema-status", "")

    assert result.status == 200
    form = bot.received[-1]
    assert (form["command"], form["text"], form["user_id"], form["user_name"]) == (
        "/schema-status",
        "",
        ALICE,
        "alice",
    )
    assert form["channel_id"] == slack_standin.dm_channel_of(ALICE)
    assert form["response_url"].startswith(slack_standin.url) and form["trigger_id"]
    [shown] = slack_standin.ephemerals_for(ALICE)
    assert shown.text == "Usage: /schema-status schema_id"

    bot.answer = (200, json.dumps({"response_type": "in_channel", "text": "Review started"}))
    await slack_standin.run_slash_command(ALICE, "/submit-schema", "inv 1 https://x", "C0REVIEWS01")
    assert [m.text for m in slack_standin.messages_in("C0REVIEWS01")] == ["Review started"]


async def test_a_failing_bot_shows_slacks_dispatch_failed(
    slack_standin: SlackStandInForTests, bot: RecordingBot
) -> None:
    bot.answer = (500, "")
    result = await slack_standin.run_slash_command(ALICE, "/schema-status", "inv")
    assert result.status == 500
    [shown] = slack_standin.ephemerals_for(ALICE)
    assert shown.text == '/schema-status failed with the error "dispatch_failed"'


async def test_a_bot_that_answers_after_the_deadline_shows_operation_timeout(
    slack_standin: SlackStandInForTests, bot: RecordingBot
) -> None:
    slack_standin.interactions.ack_deadline_seconds = 0.1
    bot.stalled = True
    result = await slack_standin.run_slash_command(ALICE, "/schema-status", "inv")
    assert result.timed_out and result.status is None
    [shown] = slack_standin.ephemerals_for(ALICE)
    assert shown.text == '/schema-status failed with the error "operation_timeout"'
