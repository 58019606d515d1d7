"""The bot's HTTP server: a health check, and no serving without a signing secret."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from pydantic import SecretStr
from temporalio.client import Client

from bot.deps import BotDeps
from bot.identity import SlackIdentity
from bot.settings import Settings, SettingsError
from bot.web import HEALTH_PATH, serve
from tests.fixtures.bot_stack import BotStack


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
    deps = BotDeps(settings=settings, temporal=temporal_client, identity=SlackIdentity())

    # Bounded: a regression would otherwise serve until cancelled.
    async with asyncio.timeout(5):
        with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET is not set"):
            await serve(deps, host="127.0.0.1")
