"""What `build_app` puts into each request's Bolt context, read back with a type."""

from __future__ import annotations

import asyncio

from slack_bolt.context.async_context import AsyncBoltContext

from bot.slack_app.deps import BotDeps

DEPS_KEY = "deps"
# When the HTTP front received the request (the event loop's clock): Slack's 3 seconds run from
# about then, not from when a listener starts, which under a burst can be much later.
RECEIVED_AT_KEY = "received_at"


def deps_of(context: AsyncBoltContext) -> BotDeps:
    deps = context.get(DEPS_KEY)
    if not isinstance(deps, BotDeps):
        raise RuntimeError(
            "No BotDeps in the Bolt context: build the app with bot.slack_app.app.build_app."
        )
    return deps


def seconds_since_received(context: AsyncBoltContext) -> float:
    """How long ago the request arrived; 0 when unknown (Socket Mode, tests calling Bolt)."""
    received = context.get(RECEIVED_AT_KEY)
    if not isinstance(received, float):
        return 0.0
    return max(asyncio.get_running_loop().time() - received, 0.0)
