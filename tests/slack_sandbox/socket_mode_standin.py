"""A stand-in with Socket Mode attached, as `SlackStandIn` will have it once wired.

Until server.py and interactions.py wire `SocketModeEndpoint` in, this attaches it before the
stand-in starts and routes what the stand-in would POST to the app over the socket while an app
is connected, exactly as the wiring does. Once wired, `socket_mode_standin` reduces to building
`SlackStandIn(..., app_token=APP_TOKEN)` and taking its `socket_mode`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from slack_sandbox import InteractionResult, SlackStandIn
from slack_sandbox.interactions import FORM
from slack_sandbox.socket_mode import SocketModeEndpoint
from tests.fixtures.slack import SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET

APP_TOKEN = "xapp-1-A0SANDBOX1-sandbox-app-token"


@dataclass
class SocketStandIn:
    standin: SlackStandIn
    socket_mode: SocketModeEndpoint


@asynccontextmanager
async def socket_mode_standin() -> AsyncIterator[SocketStandIn]:
    standin = SlackStandIn(bot_token=SANDBOX_BOT_TOKEN, signing_secret=SANDBOX_SIGNING_SECRET)
    socket_mode = SocketModeEndpoint(standin.state, app_token=APP_TOKEN, faults=standin.faults)
    socket_mode.attach(standin.app)
    interactions = standin.interactions
    post = interactions._send

    async def send(
        url: str | None, body: str, what: str, content_type: str = FORM
    ) -> InteractionResult:
        if socket_mode.connected:
            return await socket_mode.deliver_request(
                body, content_type, deadline=interactions.ack_deadline_seconds
            )
        return await post(url, body, what, content_type)

    interactions._send = send  # type: ignore[method-assign]
    await standin.start()
    try:
        yield SocketStandIn(standin, socket_mode)
    finally:
        await standin.stop()
