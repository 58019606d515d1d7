"""What the person hears when a listener fails unexpectedly (a bug, an answer nobody planned
for): Bolt would only log it, and the person, answered 200 already, would wait for nothing.

The sentence says only what is true: the bot does not know how far the work got.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.slack_app.listeners.decide import tell
from slack_api.client import SLACK_FAILURES

log = logging.getLogger(__name__)

UNEXPECTED_FAILURE = (
    "Something went wrong in the bot while it handled this, so whether it was done is not "
    "known. Look at the review message, or check with `/schema-status` and the schema's id, "
    "before trying again."
)


def register(app: AsyncApp) -> None:
    app.error(tell_unexpected_failure)


async def tell_unexpected_failure(
    error: Exception, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    user_id = _user_of(body)
    log.error(
        "A %s listener failed for %s: %r", body.get("type") or "command", user_id or "?", error
    )
    if context.respond is not None:
        try:
            await context.respond(
                text=UNEXPECTED_FAILURE, response_type="ephemeral", replace_original=False
            )
            return
        except SLACK_FAILURES as failure:
            log.warning("Could not answer through response_url: %r", failure)
    if user_id is not None and context.client is not None:
        await tell(context.client, None, user_id, UNEXPECTED_FAILURE)


def _user_of(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if isinstance(user, dict) and isinstance(user.get("id"), str):
        return str(user["id"])
    user_id = body.get("user_id")
    return user_id if isinstance(user_id, str) else None
