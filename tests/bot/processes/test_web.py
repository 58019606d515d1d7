"""The bot's HTTP server: a health check, no serving without a signing secret, and the count
of acknowledged work still running (what a benchmark waits for)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from pydantic import SecretStr
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.authorization import AuthorizeResult
from temporalio.client import Client

from bot.processes.web import HEALTH_PATH, serve, start_http
from bot.runtime.settings import Settings, SettingsError
from bot.slack_app.deps import BotDeps
from slack_api.people import SlackPeople
from slack_sandbox.interactions import sign
from tests.fixtures.bot_stack import BotStack, journalled_deps


async def test_health_check_answers(bot_stack: BotStack) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(bot_stack.bot.url + HEALTH_PATH) as response,
    ):
        assert (response.status, await response.text()) == (200, "ok")


async def test_http_mode_refuses_to_start_without_a_signing_secret(
    temporal_client: Client,
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=None,
        slack_app_token=None,
    )
    deps = BotDeps(settings=settings, temporal=temporal_client, people=SlackPeople())

    # Bounded: a regression would otherwise serve until cancelled.
    async with asyncio.timeout(5):
        with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET is not set"):
            await serve(deps, host="127.0.0.1")


async def test_web_refuses_to_start_on_a_click_journal_directory_it_cannot_use(
    bot_stack: BotStack, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings = bot_stack.settings.model_copy(
        update={"click_journal_dir": blocker / "journal", "port": 0}
    )

    async with asyncio.timeout(5):
        with pytest.raises(SettingsError) as refused:
            await serve(journalled_deps(settings, bot_stack.temporal), host="127.0.0.1")
    assert refused.value.lines == [
        f"CLICK_JOURNAL_DIR {blocker / 'journal'} cannot hold the click journal (Not a"
        " directory): point it at a writable directory, on a volume that outlives the process."
    ]


async def test_the_server_counts_the_work_of_acknowledged_requests_until_it_ends() -> None:
    secret = "test-signing-secret"
    release = asyncio.Event()

    async def authorize(**_: object) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-test")

    app = AsyncApp(signing_secret=secret, authorize=authorize)

    @app.action("slow")
    async def slow(ack: AsyncAck) -> None:
        await ack()
        await release.wait()

    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "api_app_id": "A1",
        "trigger_id": "1.2.3",
        "actions": [{"action_id": "slow", "block_id": "b", "type": "button", "action_ts": "1"}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sign(secret, timestamp, body),
    }
    server = await start_http(app, "127.0.0.1", 0)
    try:
        assert server.in_flight == 0
        async with (
            aiohttp.ClientSession() as session,
            session.post(server.events_url, data=body, headers=headers) as response,
        ):
            assert response.status == 200
        # Acknowledged, and the listener still works: counted until it ends.
        assert server.in_flight >= 1
        release.set()
        for _ in range(500):
            if not server.in_flight:
                break
            await asyncio.sleep(0.01)
        assert server.in_flight == 0
    finally:
        release.set()
        await server.stop()
