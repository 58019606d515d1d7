"""What `build_app` puts into each request's Bolt context, read back with a type."""

from __future__ import annotations

from slack_bolt.context.async_context import AsyncBoltContext

from bot.deps import BotDeps

DEPS_KEY = "deps"


def deps_of(context: AsyncBoltContext) -> BotDeps:
    deps = context.get(DEPS_KEY)
    if not isinstance(deps, BotDeps):
        raise RuntimeError("No BotDeps in the Bolt context: build the app with bot.app.build_app.")
    return deps
