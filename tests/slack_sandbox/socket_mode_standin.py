"""A stand-in whose app connects in Socket Mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from slack_sandbox.socket_mode import SANDBOX_APP_TOKEN, SocketModeEndpoint
from tests.fixtures.slack import SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET
from tests.fixtures.slack_standin import SlackStandInForTests

APP_TOKEN = SANDBOX_APP_TOKEN


@dataclass
class SocketStandIn:
    standin: SlackStandInForTests
    socket_mode: SocketModeEndpoint


@asynccontextmanager
async def socket_mode_standin() -> AsyncIterator[SocketStandIn]:
    standin = SlackStandInForTests(
        bot_token=SANDBOX_BOT_TOKEN, signing_secret=SANDBOX_SIGNING_SECRET
    )
    socket_mode = standin.socket_mode
    assert socket_mode is not None
    await standin.start()
    try:
        yield SocketStandIn(standin, socket_mode)
    finally:
        await standin.stop()
